import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileFrame {
  frame: string;
  selfPct: number;
}

/**
 * Runs `during` under the V8 sampling profiler of this process (the API runs in it), writes the
 * .cpuprofile (for Chrome DevTools / speedscope) and answers the frames that took the most
 * samples themselves, and the share of samples under our own code by file.
 */
export async function profiled<T>(
  file: string,
  during: () => Promise<T>,
): Promise<{ result: T; top: ProfileFrame[]; byFile: ProfileFrame[] }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    const result = await during();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    await writeFile(file, JSON.stringify(profile));
    return { result, ...summarise(profile) };
  } finally {
    session.disconnect();
  }
}

const short = (url: string) => {
  const cut = url.indexOf('node_modules/');
  if (cut >= 0) return url.slice(cut + 'node_modules/'.length);
  const root = path.resolve(__dirname, '..', '..');
  return url.replace(`file://${root}/`, '');
};

function summarise(profile: Profile) {
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const self = new Map<string, number>();
  const ours = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    // tsx compiles each .ts file to a line or two: its line numbers say nothing there.
    const at = url.endsWith('.ts') ? short(url) : url ? `${short(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${at}`;
    self.set(key, (self.get(key) ?? 0) + hits);
    // Inclusive, per source file of ours (server/, src/) anywhere on the sample's stack.
    const seen = new Set<string>();
    for (let at: number | undefined = n.id; at !== undefined; at = parent.get(at)) {
      const u = byId.get(at)!.callFrame.url;
      const m = /\/(server|src)\/[^:]+\.ts/.exec(u);
      if (m && !seen.has(m[0])) {
        seen.add(m[0]);
        ours.set(m[0].slice(1), (ours.get(m[0].slice(1)) ?? 0) + hits);
      }
    }
  }
  const ranked = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([frame, hits]) => ({ frame, selfPct: Number(((100 * hits) / total).toFixed(1)) }));
  return { top: ranked(self, 25), byFile: ranked(ours, 15) };
}
