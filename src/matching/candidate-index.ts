import { MIN_COUNTRY_ACRONYM, type PreparedRecord } from './compare';
import { initialsOf } from './generic-words';

/** Blocks larger than this are too common to say anything ("solutions", "group"): other keys must find the pair. */
const MAX_BLOCK = 50;
/** Exact domain and exact name blocks are never skipped; in a huge one, a record meets this many neighbours. */
const EXACT_WINDOW = 100;
const BUCKET_BITS = 20;
const STOP_TOKENS = new Set(['and', 'the', 'of', 'de', 'la', 'le', 'der', 'die', 'und', 'et', 'y']);

// Keys are FNV-1a hashes of their parts, mixed without building the key strings: a rare collision
// only adds a candidate that comparison then rejects.
const FNV_OFFSET = 0x811c9dc5;

function mix(hash: number, text: string, skip = -1): number {
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash;
}

const key = (kind: string, ...parts: string[]) =>
  parts.reduce((hash, part) => mix(mix(hash, part), '|'), mix(FNV_OFFSET, kind)) >>> 0;

/** A record's blocking keys, the exact ones (domain, whole name) first. */
function hashedKeys(record: PreparedRecord): { keys: number[]; exactCount: number } {
  const keys: number[] = [];
  // The domain, and its label without the suffix: acme.de meets acme.com.
  if (record.domain) keys.push(key('d', record.domain.registrable), key('l', record.domain.label));
  const name = record.name;
  if (!name) return { keys, exactCount: keys.length };
  keys.push(key('n', name.compact));
  const exactCount = keys.length;
  // An acronym meets the records whose domain label it is ("IBM" / ibm.com).
  if (name.acronym) keys.push(key('l', name.acronym));
  // A spelled-out name without a company domain meets the records whose domain label is its
  // initials ("International Business Machines" / IBM on ibm.com): compare.ts rule 6, by country.
  if (!record.domain)
    for (const initials of initialsOf(name.words))
      if (initials.length >= MIN_COUNTRY_ACRONYM) keys.push(key('l', initials));
  abbreviationKeys(name.content, keys);
  const words = [...new Set(name.tokens)].filter(
    (token) => token.length >= 3 && !STOP_TOKENS.has(token),
  );
  // Short names block on each word; longer ones on a word with the start of another, which stays
  // a small block when each word alone is common ("sunrisepoint" + "ins…") and survives a typo
  // later in the other word.
  if (words.length <= 2) for (const word of words) keys.push(key('t', word));
  // In alphabetical order, so that word order does not matter: each word with the start of the
  // next (round the circle) — a typo in one word leaves the pairs of the others intact.
  const sorted = [...words].sort().slice(0, 5);
  for (let i = 0; i < sorted.length && sorted.length >= 2; i++) {
    if (sorted.length === 2 && i === 1) break;
    const a = sorted[i]!;
    const b = sorted[(i + 1) % sorted.length]!;
    keys.push(key('q', a, b.slice(0, 3)), key('q', b, a.slice(0, 3)));
  }
  // Words one typo apart share a word-with-one-letter-deleted: a typo in the distinctive (longest)
  // word of "Sunrsiepoint Insurance" still meets "Sunrisepoint Insurance". With other words, the
  // variant is paired with the start of the next longest, to keep the block small. (Halves of the
  // word instead — four keys, not one per letter — found fewer of the labelled typos.)
  const [longest, next] = [...words].sort((x, y) => y.length - x.length || (x < y ? -1 : 1));
  if (longest && longest.length >= 5) {
    const tail = next ? next.slice(0, 3) : '';
    for (let skip = -1; skip < longest.length; skip++)
      keys.push(mix(mix(mix(mix(FNV_OFFSET, 'x'), longest, skip), '|'), tail) >>> 0);
  }
  return { keys, exactCount };
}

/**
 * The first word with the initials of the other words, generic words left out: "Northwind Intl
 * Mfg" and "Northwind International Manufacturing" share northwind|m, "Northwind Capital Group"
 * and "Northwind Capital" share northwind|c, whatever is abbreviated or dropped. The first word is
 * the brand, which nobody abbreviates; the same key for the longest word as well found 0.2 % more
 * true pairs at 200k records for 5 % more comparisons and a sixth more candidates per registration.
 */
function abbreviationKeys(content: readonly string[], keys: number[]): void {
  const words = content.filter((word) => word.length >= 3 && !STOP_TOKENS.has(word));
  if (words.length < 2) return;
  const initials: string[] = [];
  for (let i = 1; i < words.length; i++) initials.push(words[i]![0]!);
  keys.push(key('a', words[0]!, initials.sort().join('')));
}

/**
 * Blocking: records that share a domain or its label, a name, a word (of a short name), a word and
 * the start of another, a word and the initials of the others, or their longest word up to one
 * typo are candidates; nothing else is compared. Blocks of
 * common keys are skipped, so the work per record stays flat.
 */
export class CandidateIndex {
  /** Every (key, record) pair, sorted: key in the high 32 bits, record position in the low 32. */
  private readonly keyOfPair: Uint32Array;
  private readonly recordOfPair: Uint32Array;
  /** Where each bucket of keys (their top BUCKET_BITS bits) starts among the pairs: lookups stay O(1). */
  private readonly bucketStart: Uint32Array;
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
    const perRecord = records.map((record, index) => {
      const hashed = hashedKeys(record);
      this.exactCounts[index] = hashed.exactCount;
      this.offsets[index + 1] = this.offsets[index]! + hashed.keys.length;
      return hashed.keys;
    });
    this.keys = new Uint32Array(this.offsets[records.length]!);
    const owners = new Uint32Array(this.keys.length);
    perRecord.forEach((keys, index) => {
      this.keys.set(keys, this.offsets[index]!);
      owners.fill(index, this.offsets[index]!, this.offsets[index + 1]!);
    });
    // One sorted array of (key, record) pairs instead of a map of lists: a fraction of the memory.
    [this.keyOfPair, this.recordOfPair] = radixSortPairs(this.keys, owners);
    this.bucketStart = new Uint32Array((1 << BUCKET_BITS) + 1);
    for (let i = 0; i < this.keyOfPair.length; i++)
      this.bucketStart[(this.keyOfPair[i]! >>> (32 - BUCKET_BITS)) + 1]!++;
    for (let b = 1; b < this.bucketStart.length; b++)
      this.bucketStart[b]! += this.bucketStart[b - 1]!;
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
      let [from, to] = this.block(key);
      const size = to - from;
      if (size === 0) continue;
      if (k < exactCount) {
        if (size > EXACT_WINDOW) [from, to] = windowAround(this.recordOfPair, from, to, self);
      } else if (size > MAX_BLOCK) continue;
      for (let p = from; p < to; p++) {
        const index = this.recordOfPair[p]!;
        if (this.seen[index] === mark) continue;
        this.seen[index] = mark;
        out.push(index);
      }
    }
    return out;
  }

  /** The range of pairs with this key: its bucket, then a search within the bucket. */
  private block(key: number): [number, number] {
    const bucket = key >>> (32 - BUCKET_BITS);
    const end = this.bucketStart[bucket + 1]!;
    const from = lowerBound(this.keyOfPair, this.bucketStart[bucket]!, end, key);
    return [from, lowerBound(this.keyOfPair, from, end, key + 1)];
  }
}
/**
 * Sorts (key, value) pairs by key: two stable counting passes of 16 bits, so values keep their
 * order within a key (records stay in position order). Typed arrays only — the same sort with
 * packed BigInts spent most of its time allocating them.
 */
function radixSortPairs(keys: Uint32Array, values: Uint32Array): [Uint32Array, Uint32Array] {
  const middle: [Uint32Array, Uint32Array] = [
    new Uint32Array(keys.length),
    new Uint32Array(keys.length),
  ];
  const sorted: [Uint32Array, Uint32Array] = [
    new Uint32Array(keys.length),
    new Uint32Array(keys.length),
  ];
  countingPass([keys, values], middle, 0);
  countingPass(middle, sorted, 16);
  return sorted;
}

function countingPass(
  [keys, values]: [Uint32Array, Uint32Array],
  [outKeys, outValues]: [Uint32Array, Uint32Array],
  shift: number,
) {
  const counts = new Uint32Array(65_537);
  for (let i = 0; i < keys.length; i++) counts[((keys[i]! >>> shift) & 0xffff) + 1]!++;
  for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
  for (let i = 0; i < keys.length; i++) {
    const at = counts[(keys[i]! >>> shift) & 0xffff]!++;
    outKeys[at] = keys[i]!;
    outValues[at] = values[i]!;
  }
}

function lowerBound(values: Uint32Array, from: number, to: number, value: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The EXACT_WINDOW records of a block nearest to `self` (records are in position order within a block). */
function windowAround(
  records: Uint32Array,
  from: number,
  to: number,
  self: number,
): [number, number] {
  const at = self < 0 ? from : lowerBound(records, from, to, self);
  const start = Math.max(from, Math.min(at - EXACT_WINDOW / 2, to - EXACT_WINDOW));
  return [start, start + EXACT_WINDOW];
}

/**
 * The same blocking, for a set that grows one record at a time (the companies earlier registrations
 * hold). Candidates are the positions given to add(); common blocks are skipped as above.
 */
export class GrowingIndex {
  private readonly postings = new Map<number, number[]>();
  private seen = new Uint32Array(1024);
  private generation = 0;

  add(position: number, record: PreparedRecord): void {
    if (position >= this.seen.length) {
      const grown = new Uint32Array(Math.max(position + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
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
    for (let k = 0; k < keys.length; k++) {
      const list = this.postings.get(keys[k]!);
      if (!list || (k >= exactCount && list.length > MAX_BLOCK)) continue;
      for (const position of list) {
        if (this.seen[position] === mark) continue;
        this.seen[position] = mark;
        out.push(position);
      }
    }
    return out;
  }
}
