import type { Comparison } from '../matching/compare';

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
    private readonly differ: (a: number, b: number) => Difference,
    private readonly place: (record: number) => Place = () => ({}),
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
    return this.fit(this.membersOf(x), this.membersOf(y));
  }

  /** Whether one record may join the cluster of another (it need not be in a cluster of its own). */
  fits(record: number, clusterOf: number): boolean {
    return this.fit([record], this.membersOf(clusterOf));
  }

  /**
   * No hard difference between the sides; and two countries keep them apart only when neither side
   * already holds the other's country or is one brand on several country domains: a cluster that
   * acme.de and acme.com spread over Germany and the US takes a US record that matches it.
   */
  private fit(leftMembers: readonly number[], rightMembers: readonly number[]): boolean {
    const left = leftMembers.slice(0, GUARD_SAMPLE);
    const right = rightMembers.slice(0, GUARD_SAMPLE);
    let sides: [Spread, Spread] | undefined;
    for (const p of left) {
      for (const q of right) {
        const difference = this.differ(p, q);
        if (difference === 'none') continue;
        if (difference === 'hard') return false;
        sides ??= [this.spread(left), this.spread(right)];
        const [l, r] = sides;
        const excused =
          l.international ||
          r.international ||
          r.countries.has(this.place(p).country) ||
          l.countries.has(this.place(q).country);
        if (!excused) return false;
      }
    }
    return true;
  }

  private spread(members: readonly number[]): Spread {
    const countries = new Set<string | undefined>();
    const suffixes = new Map<string, string>();
    let international = false;
    for (const member of members) {
      const { country, label, registrable } = this.place(member);
      countries.add(country);
      if (label === undefined || registrable === undefined) continue;
      const seen = suffixes.get(label);
      if (seen === undefined) suffixes.set(label, registrable);
      else if (seen !== registrable) international = true;
    }
    return { countries, international };
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

/** Where a record is: its country, and its company domain's label and registrable domain. */
export interface Place {
  country?: string | undefined;
  label?: string | undefined;
  registrable?: string | undefined;
}

interface Spread {
  countries: Set<string | undefined>;
  /** One label under two public suffixes: a brand that is at home in several countries. */
  international: boolean;
}

/** How two records that may end up in one cluster differ: not clearly, hard, or by country. */
export type Difference = 'none' | 'hard' | 'country';

/**
 * Clearly different: no match, and evidence against — two company domains of different brands or
 * two sibling names (hard), or two countries. Different names alone are not enough (a domain may join "NW" to
 * "Northwind").
 */
export function clearDifference(comparison: Comparison): Difference {
  if (comparison.match) return 'none';
  if (comparison.evidence.some((e) => e.kind === 'domain_conflict' || e.kind === 'word_conflict'))
    return 'hard';
  if (comparison.evidence.some((e) => e.kind === 'country_conflict')) return 'country';
  return 'none';
}
