import type { PreparedRecord } from './compare';

/** Blocks larger than this are too common to say anything ("solutions", "group"): other keys must find the pair. */
const MAX_BLOCK = 50;
/** Exact domain and exact name blocks are never skipped; in a huge one, a record meets this many neighbours. */
const EXACT_WINDOW = 100;
const STOP_TOKENS = new Set(['and', 'the', 'of', 'de', 'la', 'le', 'der', 'die', 'und', 'et', 'y']);

interface Keys {
  exact: string[];
  fuzzy: string[];
}

function keysOf(record: PreparedRecord): Keys {
  const exact: string[] = [];
  const fuzzy: string[] = [];
  if (record.domain) exact.push(`d:${record.domain.registrable}`);
  const name = record.name;
  if (!name) return { exact, fuzzy };
  exact.push(`n:${name.compact}`);
  let longest = '';
  const words = [...new Set(name.tokens)].filter(
    (token) => token.length >= 3 && !STOP_TOKENS.has(token),
  );
  for (const token of words) {
    fuzzy.push(`t:${token}`);
    if (token.length > longest.length || (token.length === longest.length && token < longest))
      longest = token;
  }
  // A word with the start of another stays a small block when each word alone is common
  // ("sunrisepoint" + "ins…"), and survives a typo later in the other word.
  const leading = words.slice(0, 4);
  for (const a of leading)
    for (const b of leading) if (a !== b) fuzzy.push(`q:${a}|${b.slice(0, 3)}`);
  if (name.compact.length >= 6)
    fuzzy.push(`p:${name.compact.slice(0, 5)}`, `s:${name.compact.slice(-5)}`);
  // Words one typo apart share a word-with-one-letter-deleted, so a typo in the distinctive word of
  // "Sunrsiepoint Insurance" still meets "Sunrisepoint Insurance".
  if (longest.length >= 5) {
    for (let i = 0; i < longest.length; i++)
      fuzzy.push(`x:${longest.slice(0, i)}${longest.slice(i + 1)}`);
    fuzzy.push(`x:${longest}`);
  }
  return { exact, fuzzy };
}

/** FNV-1a: keys become numbers; a rare collision only adds a candidate that comparison then rejects. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function hashedKeys(record: PreparedRecord): { keys: number[]; exactCount: number } {
  const { exact, fuzzy } = keysOf(record);
  return { keys: [...exact, ...fuzzy].map(hashKey), exactCount: exact.length };
}

/**
 * Blocking: records that share a domain, a name, a name word, a word and the start of another, the
 * first or last five letters of the name, or their longest word up to one typo are candidates;
 * nothing else is compared. Blocks of common keys are skipped, so the work per record stays flat.
 */
export class CandidateIndex {
  private readonly postings = new Map<number, number[]>();
  /** Every record's keys, flat: record i owns keys[offsets[i] .. offsets[i + 1]), exact keys first. */
  private readonly keys: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly exactCounts: Uint8Array;
  private readonly seen: Uint32Array;
  private generation = 0;

  constructor(records: readonly PreparedRecord[]) {
    this.seen = new Uint32Array(records.length);
    this.offsets = new Uint32Array(records.length + 1);
    this.exactCounts = new Uint8Array(records.length);
    const all: number[] = [];
    records.forEach((record, index) => {
      const { keys, exactCount } = hashedKeys(record);
      this.exactCounts[index] = exactCount;
      for (const key of keys) {
        all.push(key);
        const list = this.postings.get(key);
        if (list) list.push(index);
        else this.postings.set(key, [index]);
      }
      this.offsets[index + 1] = all.length;
    });
    this.keys = Uint32Array.from(all);
  }

  /**
   * The candidates of the record at position `self`, or of a record that is not in the index
   * (self = -1, record given), each once, in no particular order.
   */
  candidates(self: number, record?: PreparedRecord): number[] {
    const mark = ++this.generation;
    const out: number[] = [];
    if (self >= 0) this.seen[self] = mark;
    const outside = self < 0 ? hashedKeys(record!) : undefined;
    const count = outside ? outside.keys.length : this.offsets[self + 1]! - this.offsets[self]!;
    const exactCount = outside ? outside.exactCount : this.exactCounts[self]!;
    for (let k = 0; k < count; k++) {
      const key = outside ? outside.keys[k]! : this.keys[this.offsets[self]! + k]!;
      const list = this.postings.get(key);
      if (!list) continue;
      let from = 0;
      let to = list.length;
      if (k < exactCount) {
        if (list.length > EXACT_WINDOW) [from, to] = windowAround(list, self);
      } else if (list.length > MAX_BLOCK) continue;
      for (let p = from; p < to; p++) {
        const index = list[p]!;
        if (this.seen[index] === mark) continue;
        this.seen[index] = mark;
        out.push(index);
      }
    }
    return out;
  }
}
function windowAround(list: number[], self: number): [number, number] {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! < self) low = mid + 1;
    else high = mid;
  }
  const from = Math.max(0, Math.min(low - EXACT_WINDOW / 2, list.length - EXACT_WINDOW));
  return [from, from + EXACT_WINDOW];
}

/**
 * The same blocking, for a set that grows one record at a time (the companies earlier registrations
 * hold). Candidates are the positions given to add(); common blocks are skipped as above.
 */
export class GrowingIndex {
  private readonly postings = new Map<number, number[]>();
  private readonly seen: number[] = [];
  private generation = 0;

  add(position: number, record: PreparedRecord): void {
    for (const key of hashedKeys(record).keys) {
      const list = this.postings.get(key);
      if (list) list.push(position);
      else this.postings.set(key, [position]);
    }
  }

  candidates(record: PreparedRecord): number[] {
    const mark = ++this.generation;
    const out: number[] = [];
    const { keys, exactCount } = hashedKeys(record);
    keys.forEach((key, k) => {
      const list = this.postings.get(key);
      if (!list || (k >= exactCount && list.length > MAX_BLOCK)) return;
      for (const position of list) {
        if (this.seen[position] === mark) continue;
        this.seen[position] = mark;
        out.push(position);
      }
    });
    return out;
  }
}
