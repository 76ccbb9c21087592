import type { Comparison } from './compare';

export interface Edge {
  a: number;
  b: number;
  score: number;
}

/** Clusters bigger than this are checked through their first members only. */
const GUARD_SAMPLE = 40;

/**
 * Union-find over match edges, strongest first, that refuses a merge when any record of one side
 * clearly differs from any record of the other: A≈B and B≈C do not put A with C when A and C clearly
 * differ. Refused edges are returned for the review step.
 */
export class GuardedClusters {
  private readonly parent: Int32Array;
  private readonly members: number[][];

  constructor(
    size: number,
    private readonly clearlyDiffer: (a: number, b: number) => boolean,
  ) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
    this.members = Array.from({ length: size }, (_, i) => [i]);
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[x] !== root) {
      const next = this.parent[x]!;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }

  membersOf(x: number): readonly number[] {
    return this.members[this.find(x)]!;
  }

  compatible(x: number, y: number): boolean {
    const left = this.membersOf(x).slice(0, GUARD_SAMPLE);
    const right = this.membersOf(y).slice(0, GUARD_SAMPLE);
    return left.every((p) => right.every((q) => !this.clearlyDiffer(p, q)));
  }

  /** Merges along the edges in the order given; answers the edges it refused. */
  mergeAll(edges: readonly Edge[], skip: (index: number) => boolean = () => false): Edge[] {
    const refused: Edge[] = [];
    for (const edge of edges) {
      if (skip(edge.a) || skip(edge.b)) continue;
      const ra = this.find(edge.a);
      const rb = this.find(edge.b);
      if (ra === rb) continue;
      if (!this.compatible(ra, rb)) {
        refused.push(edge);
        continue;
      }
      this.union(ra, rb);
    }
    return refused;
  }

  union(x: number, y: number): void {
    let big = this.find(x);
    let small = this.find(y);
    if (big === small) return;
    if (this.members[big]!.length < this.members[small]!.length) [big, small] = [small, big];
    this.parent[small] = big;
    this.members[big]!.push(...this.members[small]!);
    this.members[small] = [];
  }
}

/** Strongest first; ties by position so that the same input always clusters the same way. */
export const byStrength = (x: Edge, y: Edge) => y.score - x.score || x.a - y.a || x.b - y.b;

/**
 * Clearly different: no match, and hard evidence against — two company domains of different brands,
 * or two countries. Different names alone are not enough (a domain may join "NW" to "Northwind").
 */
export function clearlyDifferent(comparison: Comparison): boolean {
  return (
    !comparison.match &&
    comparison.evidence.some((e) => e.kind === 'domain_conflict' || e.kind === 'country_conflict')
  );
}
