import { CandidateIndex } from './candidate-index';
import {
  compareRecords,
  type Comparison,
  DEFAULT_NAME_THRESHOLD,
  type Evidence,
  matchScore,
  type PreparedRecord,
} from './compare';
import { byStrength, clearlyDifferent, type Edge, GuardedClusters } from './guarded-clusters';
import { type MatchInput, prepareRecord } from './prepare';

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
      if (score !== undefined) edges.push({ a: i, b: j, score });
    }
  }
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

  const differ = (p: number, q: number) =>
    keptApart.has(Math.min(p, q) * records.length + Math.max(p, q)) ||
    clearlyDifferent(compare(p, q));

  // Pass 1 finds the records that sit between clusters; pass 2 clusters without them.
  const first = new GuardedClusters(records.length, differ);
  const between = new Set<number>();
  for (const edge of first.mergeAll(edges)) {
    for (const [self, other] of [
      [edge.a, edge.b],
      [edge.b, edge.a],
    ] as const) {
      const compatibleWithOther = first.membersOf(other).every((q) => !differ(self, q));
      if (first.membersOf(self).length > 1 && compatibleWithOther) between.add(self);
    }
  }
  const clusters = new GuardedClusters(records.length, differ);
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
