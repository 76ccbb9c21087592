/** The REST API versions the sandbox answers: Summer '14 (31.0) to Spring '26 (66.0). */
export const MIN_VERSION = 31;
export const LATEST_VERSION = 66;

// Three releases a year: 60.0 was Spring '24, 61.0 Summer '24, 62.0 Winter '25.
function releaseName(major: number): string {
  const step = major - 60;
  const year = 24 + Math.floor(step / 3);
  const season = ((step % 3) + 3) % 3;
  return season === 0
    ? `Spring '${year}`
    : season === 1
      ? `Summer '${year}`
      : `Winter '${year + 1}`;
}

export function apiVersions() {
  const versions = [];
  for (let major = MIN_VERSION; major <= LATEST_VERSION; major++)
    versions.push({
      label: releaseName(major),
      url: `/services/data/v${major}.0`,
      version: `${major}.0`,
    });
  return versions;
}

/** "v59.0" → "59.0", if the sandbox serves that version. */
export function servedVersion(segment: string): string | undefined {
  const m = /^v(\d+)\.0$/.exec(segment);
  const major = m ? Number(m[1]) : NaN;
  return major >= MIN_VERSION && major <= LATEST_VERSION ? `${major}.0` : undefined;
}
