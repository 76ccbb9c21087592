import { CandidateIndex } from '../matching/candidate-index';
import {
  compareRecords,
  type Comparison,
  DEFAULT_NAME_THRESHOLD,
  type Evidence,
  matchScore,
  type PreparedRecord,
  sameDomain,
  sameLabel,
  supportedAcronym,
} from '../matching/compare';
import { type MatchInput, prepareRecord } from '../matching/prepare';
import { nameSimilarity } from '../matching/similarity';
import {
  byStrength,
  clearDifference,
  type Difference,
  type Edge,
  GuardedClusters,
  type Place,
} from './guarded-clusters';

export interface ReconcileInput extends MatchInput {
  source: string;
}

export interface ReconcileOptions {
  nameThreshold?: number;
  /** Record id pairs a person said belong together (merge decisions). */
  mergeDecisions?: ReadonlyArray<readonly [string, string]>;
  /** Record id pairs a person said are different organisations (keep-apart decisions). */
  keepApartDecisions?: ReadonlyArray<readonly [string, string]>;
}

export interface ReviewItem {
  /** The record that matches more than one cluster that cannot be merged; it is left on its own. */
  recordId: string;
  candidates: Array<{
    clusterId: string;
    recordIds: string[];
    matchedRecordId: string;
    evidence: Evidence[];
  }>;
}

export interface ReconcileResult {
  /** Cluster id per input record, in input order: the id of the cluster's first record. */
  clusterIds: string[];
  reviews: ReviewItem[];
  stats: { records: number; comparisons: number; matches: number; clusters: number };
}

const MERGE_DECISION_SCORE = 2;

/**
 * The order in which matches are merged: a shared domain, then one brand's label under two
 * suffixes, then names by score. The guard then meets a brand's countries before the records
 * that only a name ties to one of them.
 */
function strength(a: PreparedRecord, b: PreparedRecord, score: number): number {
  if (sameDomain(a, b)) return 1.5;
  return sameLabel(a, b) ? 1 + score / 4 : score;
}

/** Groups records of several sources that are the same organisation (DESIGN.md §3, docs/matching.md). */
export function reconcile(
  inputs: readonly ReconcileInput[],
  options: ReconcileOptions = {},
): ReconcileResult {
  const settings = { nameThreshold: options.nameThreshold ?? DEFAULT_NAME_THRESHOLD };
  const records = inputs.map(prepareRecord);
  const position = new Map(inputs.map((input, index) => [input.id, index]));
  const index = new CandidateIndex(records);

  const comparisons = new Map<number, Comparison>();
  const compare = (i: number, j: number): Comparison => {
    const [a, b] = i < j ? [i, j] : [j, i];
    const key = a * records.length + b;
    let result = comparisons.get(key);
    if (!result) {
      result = compareRecords(records[a]!, records[b]!, settings);
      comparisons.set(key, result);
    }
    return result;
  };

  const edges: Edge[] = [];
  let compared = 0;
  for (let i = 0; i < records.length; i++) {
    for (const j of index.candidates(i)) {
      if (j < i) continue;
      compared++;
      const score = matchScore(records[i]!, records[j]!, settings);
      if (score !== undefined)
        edges.push({ a: i, b: j, score: strength(records[i]!, records[j]!, score) });
    }
  }
  dropAmbiguousAcronyms(edges, records, settings.nameThreshold);
  const pairs = (decisions: ReconcileOptions['mergeDecisions']) =>
    (decisions ?? []).flatMap(([x, y]) => {
      const a = position.get(x);
      const b = position.get(y);
      return a === undefined || b === undefined ? [] : [[Math.min(a, b), Math.max(a, b)] as const];
    });
  for (const [a, b] of pairs(options.mergeDecisions))
    edges.push({ a, b, score: MERGE_DECISION_SCORE });
  const keptApart = new Set(
    pairs(options.keepApartDecisions).map(([a, b]) => a * records.length + b),
  );
  edges.sort(byStrength);

  const differ = (p: number, q: number): Difference =>
    keptApart.has(Math.min(p, q) * records.length + Math.max(p, q))
      ? 'hard'
      : clearDifference(compare(p, q));
  const place = (i: number): Place => {
    const { country, domain } = records[i]!;
    return domain && !domain.privateSuffix
      ? { country, label: domain.label, registrable: domain.registrable }
      : { country };
  };

  // Pass 1 finds the records that sit between clusters; pass 2 clusters without them.
  const first = new GuardedClusters(records.length, differ, place);
  const between = new Set<number>();
  for (const edge of first.mergeAll(edges)) {
    for (const [self, other] of [
      [edge.a, edge.b],
      [edge.b, edge.a],
    ] as const) {
      if (first.membersOf(self).length > 1 && first.fits(self, other)) between.add(self);
    }
  }
  const clusters = new GuardedClusters(records.length, differ, place);
  clusters.mergeAll(edges, (i) => between.has(i));
  const reviews = placeBetweenRecords(between, edges, clusters, records, inputs, compare);

  const firstOfCluster = new Map<number, number>();
  inputs.forEach((_, i) => {
    const root = clusters.find(i);
    if (!firstOfCluster.has(root)) firstOfCluster.set(root, i);
  });
  const clusterIds = inputs.map((_, i) => inputs[firstOfCluster.get(clusters.find(i))!]!.id);
  return {
    clusterIds,
    reviews,
    stats: {
      records: records.length,
      comparisons: compared,
      matches: edges.length,
      clusters: new Set(clusterIds).size,
    },
  };
}

/**
 * An acronym matched by its own domain and a country (compare.ts, support `country`) stands for
 * one spelled-out name only when the data holds one: when records on "ibm.com" called IBM meet
 * both "International Business Machines" and "Iron Bridge Marine", names that do not match each
 * other, none of those acronym matches is kept. Removes the edges in place.
 */
function dropAmbiguousAcronyms(
  edges: Edge[],
  records: readonly PreparedRecord[],
  nameThreshold: number,
): void {
  const byDomain = new Map<string, { edges: number[]; expansions: number[] }>();
  edges.forEach((edge, position) => {
    if (edge.score !== nameThreshold) return;
    const [a, b] = [records[edge.a]!, records[edge.b]!];
    if (supportedAcronym(a, b)?.support !== 'country') return;
    const [short, long] = a.domain ? [a, edge.b] : [b, edge.a];
    const group = byDomain.get(short.domain!.label) ?? { edges: [], expansions: [] };
    group.edges.push(position);
    group.expansions.push(long);
    byDomain.set(short.domain!.label, group);
  });
  const dropped = new Set<number>();
  for (const { edges: positions, expansions } of byDomain.values()) {
    const names = expansions.map((i) => records[i]!.name!);
    const ambiguous = names.some((x, i) =>
      names.slice(i + 1).some((y) => nameSimilarity(x, y, nameThreshold) < nameThreshold),
    );
    if (ambiguous) positions.forEach((position) => dropped.add(position));
  }
  if (dropped.size === 0) return;
  // In place: a spread of hundreds of thousands of edges would overflow the stack.
  let kept = 0;
  for (let position = 0; position < edges.length; position++)
    if (!dropped.has(position)) edges[kept++] = edges[position]!;
  edges.length = kept;
}

/** A between record that fits only one cluster after all joins it; one that fits several is for review. */
function placeBetweenRecords(
  between: Set<number>,
  edges: readonly Edge[],
  clusters: GuardedClusters,
  records: readonly PreparedRecord[],
  inputs: readonly ReconcileInput[],
  compare: (i: number, j: number) => Comparison,
): ReviewItem[] {
  const matchedBy = new Map<number, number[]>();
  for (const edge of edges) {
    for (const [self, other] of [
      [edge.a, edge.b],
      [edge.b, edge.a],
    ] as const) {
      if (between.has(self) && !between.has(other))
        matchedBy.set(self, [...(matchedBy.get(self) ?? []), other]);
    }
  }
  const reviews: ReviewItem[] = [];
  for (const record of [...between].sort((x, y) => x - y)) {
    const neighbours = new Map<number, number>();
    for (const other of matchedBy.get(record) ?? []) {
      const root = clusters.find(other);
      if (!neighbours.has(root)) neighbours.set(root, other);
    }
    const fitting = [...neighbours].filter(([root]) => clusters.compatible(record, root));
    if (fitting.length === 1) {
      clusters.union(record, fitting[0]![0]);
      continue;
    }
    reviews.push({
      recordId: records[record]!.id,
      candidates: [...neighbours].map(([root, matched]) => {
        const members = [...clusters.membersOf(root)].sort((x, y) => x - y);
        return {
          clusterId: inputs[members[0]!]!.id,
          recordIds: members.map((m) => inputs[m]!.id),
          matchedRecordId: inputs[matched]!.id,
          evidence: compare(record, matched).evidence,
        };
      }),
    });
  }
  return reviews;
}
