import { abbreviates } from '../../src/matching/abbreviations';
import type { LabelledRecord } from '../data/labelled-set';

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** The variant kinds a pair of records of one organisation puts to the test. */
function kindsOf(a: LabelledRecord, b: LabelledRecord): string[] {
  const kinds: string[] = [];
  if (a.kind === 'plain') kinds.push('plain (the original variants)');
  if (a.kind !== 'plain' && a.kind !== 'multi_tld' && a.form !== b.form) {
    kinds.push(a.kind);
    const unknown = [...a.shortForms, ...b.shortForms].some((pair) => {
      const [short, long] = pair.split('>') as [string, string];
      return !abbreviates(short, long);
    });
    if (unknown) kinds.push('abbreviation, form neither rule nor table knows');
  }
  if (a.kind === 'multi_tld' && a.suffix && b.suffix && a.suffix !== b.suffix) {
    kinds.push('multi_tld');
    if (a.countryMeant && b.countryMeant && a.countryMeant !== b.countryMeant)
      kinds.push('multi_tld, two countries');
  }
  return kinds;
}

export interface KindRecall {
  pairs: number;
  recall: Record<string, number>;
}

/** Recall per variant kind: of the true pairs that exercise the kind, how many each engine put together. */
export function recallByKind(
  records: readonly LabelledRecord[],
  engines: Record<string, readonly string[]>,
): Record<string, KindRecall> {
  const byOrg = new Map<string, number[]>();
  records.forEach((r, i) => byOrg.set(r.organisation, [...(byOrg.get(r.organisation) ?? []), i]));
  const counts = new Map<string, { pairs: number; found: Record<string, number> }>();
  for (const members of byOrg.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const [i, j] = [members[x]!, members[y]!];
        for (const kind of kindsOf(records[i]!, records[j]!)) {
          const entry = counts.get(kind) ?? { pairs: 0, found: {} };
          entry.pairs++;
          for (const [engine, clusters] of Object.entries(engines))
            if (clusters[i] === clusters[j]) entry.found[engine] = (entry.found[engine] ?? 0) + 1;
          counts.set(kind, entry);
        }
      }
    }
  }
  return Object.fromEntries(
    [...counts].sort().map(([kind, { pairs, found }]) => [
      kind,
      {
        pairs,
        recall: Object.fromEntries(
          Object.keys(engines).map((engine) => [engine, round((found[engine] ?? 0) / pairs)]),
        ),
      },
    ]),
  );
}

export interface NegativePrecision {
  groups: number;
  /** Pairs of records of different organisations in one group: what must not be merged. */
  negativePairs: number;
  precision: Record<string, number>;
  falsePairs: Record<string, number>;
}

/**
 * Precision per hard-negative kind: among records of one negative group (organisations that
 * must stay apart), the pairs an engine put together, and how many of them are one organisation.
 */
export function precisionByNegative(
  records: readonly LabelledRecord[],
  engines: Record<string, readonly string[]>,
): Record<string, NegativePrecision> {
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const group of r.negatives) groups.set(group, [...(groups.get(group) ?? []), i]);
  });
  const out = new Map<
    string,
    {
      groups: number;
      negativePairs: number;
      together: Record<string, number>;
      wrong: Record<string, number>;
    }
  >();
  for (const [group, members] of groups) {
    if (new Set(members.map((i) => records[i]!.organisation)).size < 2) continue;
    const kind = group.slice(0, group.indexOf(':'));
    const entry = out.get(kind) ?? { groups: 0, negativePairs: 0, together: {}, wrong: {} };
    entry.groups++;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const [i, j] = [members[x]!, members[y]!];
        const sameOrg = records[i]!.organisation === records[j]!.organisation;
        if (!sameOrg) entry.negativePairs++;
        for (const [engine, clusters] of Object.entries(engines)) {
          if (clusters[i] !== clusters[j]) continue;
          entry.together[engine] = (entry.together[engine] ?? 0) + 1;
          if (!sameOrg) entry.wrong[engine] = (entry.wrong[engine] ?? 0) + 1;
        }
      }
    }
    out.set(kind, entry);
  }
  return Object.fromEntries(
    [...out].sort().map(([kind, e]) => [
      kind,
      {
        groups: e.groups,
        negativePairs: e.negativePairs,
        precision: Object.fromEntries(
          Object.keys(engines).map((engine) => {
            const together = e.together[engine] ?? 0;
            return [engine, together === 0 ? 1 : round(1 - (e.wrong[engine] ?? 0) / together)];
          }),
        ),
        falsePairs: Object.fromEntries(Object.keys(engines).map((n) => [n, e.wrong[n] ?? 0])),
      },
    ]),
  );
}
