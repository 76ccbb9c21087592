import type { PreparedRecord } from './compare';

/** Blocks larger than this are too common to say anything ("solutions", "group"): other keys must find the pair. */
const MAX_BLOCK = 150;
/** Exact domain and exact name blocks are never skipped; in a huge one, a record meets this many neighbours. */
const EXACT_WINDOW = 150;
const STOP_TOKENS = new Set(['and', 'the', 'of', 'de', 'la', 'le', 'der', 'die', 'und', 'et', 'y']);

function keysOf(record: PreparedRecord): { exact: string[]; fuzzy: string[] } {
  const exact: string[] = [];
  const fuzzy: string[] = [];
  if (record.domain) exact.push(`d:${record.domain.registrable}`);
  const name = record.name;
  if (name) {
    exact.push(`n:${name.compact}`);
    for (const token of new Set(name.tokens)) {
      if (token.length >= 3 && !STOP_TOKENS.has(token)) fuzzy.push(`t:${token}`);
    }
    if (name.compact.length >= 6)
      fuzzy.push(`p:${name.compact.slice(0, 5)}`, `s:${name.compact.slice(-5)}`);
  }
  return { exact, fuzzy };
}

/**
 * Blocking: records that share a domain, a name, a name token, or the first or last five letters of
 * the name are candidates; nothing else is compared. Each query visits a candidate once.
 */
export class CandidateIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly seen: Uint32Array;
  private generation = 0;

  constructor(private readonly records: readonly PreparedRecord[]) {
    this.seen = new Uint32Array(records.length);
    records.forEach((record, index) => {
      const { exact, fuzzy } = keysOf(record);
      for (const key of [...exact, ...fuzzy]) {
        const list = this.postings.get(key);
        if (list) list.push(index);
        else this.postings.set(key, [index]);
      }
    });
  }

  /** Calls visit(j) once for every candidate j of the record (at position `self`, or not indexed: -1). */
  forEachCandidate(record: PreparedRecord, self: number, visit: (index: number) => void): void {
    this.generation += 1;
    const mark = this.generation;
    if (self >= 0) this.seen[self] = mark;
    const take = (index: number) => {
      if (this.seen[index] === mark) return;
      this.seen[index] = mark;
      visit(index);
    };
    const { exact, fuzzy } = keysOf(record);
    for (const key of exact) {
      const list = this.postings.get(key) ?? [];
      if (list.length <= EXACT_WINDOW) list.forEach(take);
      else this.window(list, self, take);
    }
    for (const key of fuzzy) {
      const list = this.postings.get(key);
      if (list && list.length <= MAX_BLOCK) list.forEach(take);
    }
  }

  get size(): number {
    return this.records.length;
  }

  private window(list: number[], self: number, take: (index: number) => void) {
    let position = self < 0 ? 0 : lowerBound(list, self);
    position = Math.max(0, Math.min(position - EXACT_WINDOW / 2, list.length - EXACT_WINDOW));
    for (let k = position; k < position + EXACT_WINDOW && k < list.length; k++) take(list[k]!);
  }
}

function lowerBound(list: number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
