/** One source record of a partner, as survivorship sees it. */
export interface SourceFields {
  source: string;
  key: string;
  /** ISO timestamp of the record's last change in its source. */
  updatedAt: string;
  name?: string | null;
  domain?: string | null;
  country?: string | null;
  type?: string | null;
  tier?: string | null;
  status?: string | null;
  partnerManager?: string | null;
  regions?: string[];
  verticals?: string[];
  certifications?: string[];
}

export type GoldenField =
  | 'name'
  | 'domain'
  | 'country'
  | 'type'
  | 'tier'
  | 'status'
  | 'partnerManager'
  | 'regions'
  | 'verticals'
  | 'certifications';

/**
 * Where each golden field comes from (docs/matching.md, "Survivorship"): the partner program owns
 * what it manages (type, tier, status, partner manager, regions, verticals, certifications); for
 * the rest the most recently updated non-empty value wins.
 */
export const SURVIVORSHIP: Record<GoldenField, { owner?: string }> = {
  name: {},
  domain: {},
  country: {},
  type: { owner: 'program' },
  tier: { owner: 'program' },
  status: { owner: 'program' },
  partnerManager: { owner: 'program' },
  regions: { owner: 'program' },
  verticals: { owner: 'program' },
  certifications: { owner: 'program' },
};

/** Ties in time: the program first, then CRMs in this order, then record key. */
const SOURCE_ORDER = ['program', 'salesforce', 'hubspot'];

const empty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0);
const rank = (source: string) =>
  SOURCE_ORDER.includes(source) ? SOURCE_ORDER.indexOf(source) : SOURCE_ORDER.length;

export type Golden = { [F in GoldenField]?: SourceFields[F] } & {
  provenance: Partial<Record<GoldenField, string>>;
};

/** The golden record of one cluster, with the record key each value came from. */
export function goldenRecord(records: readonly SourceFields[]): Golden {
  const newestFirst = [...records].sort((a, b) =>
    a.updatedAt < b.updatedAt
      ? 1
      : a.updatedAt > b.updatedAt
        ? -1
        : rank(a.source) - rank(b.source) || (a.key < b.key ? -1 : 1),
  );
  const golden: Golden = { provenance: {} };
  for (const field of Object.keys(SURVIVORSHIP) as GoldenField[]) {
    const owner = SURVIVORSHIP[field].owner;
    const owned = owner ? newestFirst.filter((r) => r.source === owner && !empty(r[field])) : [];
    const pick = owned[0] ?? newestFirst.find((r) => !empty(r[field]));
    if (!pick) continue;
    (golden as Record<string, unknown>)[field] = pick[field];
    golden.provenance[field] = pick.key;
  }
  return golden;
}
