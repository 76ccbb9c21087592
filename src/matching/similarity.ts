import { distance } from 'fastest-levenshtein';

import { abbreviationPair } from './abbreviations';
import type { NormalizedName } from './name';

/**
 * How alike two normalised company names are, from 0 to 1: the larger of
 *  - a weighted soft Dice coefficient over words (order-free): equal words and a word with its
 *    abbreviation count 1, words of 5+ letters one typo apart (insert, delete, substitute, or swap
 *    two neighbours) count 0.95, others 0; generic words ("group", "holdings") weigh 0.15 of a word,
 *    so that one left out lowers the score a little;
 *  - the same for the whole name with spaces removed ("North Wind" / "Northwind").
 * Names whose numbers differ ("Studio 54" / "Studio 45") score 0; names under 4 letters must be equal.
 * With `atLeast`, a word score that cannot reach it may come back lower than exact (a fast no).
 * docs/matching.md says why this measure and not Jaro-Winkler, trigrams or an edit ratio.
 */
export function nameSimilarity(a: NormalizedName, b: NormalizedName, atLeast = 0): number {
  if (a.compact === b.compact) return 1;
  if (a.compact.length < 4 || b.compact.length < 4) return 0;
  if (a.numbers !== b.numbers) return 0;
  return Math.max(softDice(a, b, atLeast), tokenSimilarity(a.compact, b.compact));
}

export const ONE_TYPO = 0.95;
const DIGIT = /\d/;

export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 5 || b.length < 5 || Math.abs(a.length - b.length) > 1) return 0;
  return oneTypoApart(a, b) && !DIGIT.test(a) && !DIGIT.test(b) ? ONE_TYPO : 0;
}

/**
 * True when one insertion, deletion, substitution or swap of two neighbours turns a into b (their
 * Damerau-Levenshtein distance is 1). A linear scan rather than a distance library: only "exactly
 * one edit?" is asked, on the hottest path of reconciliation, where computing the full distance
 * matrix was the largest single cost.
 */
export function oneTypoApart(a: string, b: string): boolean {
  if (a === b) return false;
  const shorter = Math.min(a.length, b.length);
  let start = 0;
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a.charCodeAt(endA) === b.charCodeAt(endB)) {
    endA--;
    endB--;
  }
  const restA = endA - start + 1;
  const restB = endB - start + 1;
  if (restA + restB === 1) return true; // one letter inserted or deleted
  if (restA === 1 && restB === 1) return true; // one letter substituted
  return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start];
}

/**
 * Greedy one-to-one pairing of the most alike words, weighted: Σ similarity × (weight in a + weight
 * in b) / (all weights of a + all weights of b). With every weight 1 this is 2·Σsimilarity / (|a| +
 * |b|). Equal words pair first, then abbreviations ("intl" / "international", worth 1), then words
 * one typo apart, in reading order. Bit sets, no arrays: this runs for every candidate pair (names
 * have few words; past the 31st none are paired).
 */
function softDice(a: NormalizedName, b: NormalizedName, atLeast: number): number {
  const n = Math.min(a.words.length, 31);
  const m = Math.min(b.words.length, 31);
  if (n === 0 || m === 0) return 0;
  const size = a.weight + b.weight;
  let usedA = 0;
  let usedB = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (usedB & (1 << j) || a.words[i] !== b.words[j]) continue;
      usedA |= 1 << i;
      usedB |= 1 << j;
      total += a.weights[i]! + b.weights[j]!;
      break;
    }
  }
  // What the other passes could add at most (as many pairs as the side with fewer words left, each
  // word weighing 1 at most); below `atLeast` the exact answer does not matter.
  const pairsLeft = Math.min(n - popCount(usedA), m - popCount(usedB));
  const leftA = unpairedWeight(a.weights, usedA, n);
  const leftB = unpairedWeight(b.weights, usedB, m);
  const most = total + Math.min(leftA, pairsLeft) + Math.min(leftB, pairsLeft);
  if (pairsLeft === 0 || most / size < atLeast) return total / size;
  // Abbreviations, then typos: two passes over the words left, each pairing in reading order.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      if (usedA & (1 << i)) continue;
      const x = a.words[i]!;
      for (let j = 0; j < m; j++) {
        if (usedB & (1 << j)) continue;
        const y = b.words[j]!;
        const similarity = pass === 0 ? (abbreviationPair(x, y) ? 1 : 0) : tokenSimilarity(x, y);
        if (similarity === 0) continue;
        usedA |= 1 << i;
        usedB |= 1 << j;
        total += similarity * (a.weights[i]! + b.weights[j]!);
        break;
      }
    }
  }
  return total / size;
}

function popCount(bits: number): number {
  let count = 0;
  for (; bits; bits &= bits - 1) count++;
  return count;
}

function unpairedWeight(weights: readonly number[], used: number, count: number): number {
  let weight = 0;
  for (let i = 0; i < count; i++) if (!(used & (1 << i))) weight += weights[i]!;
  return weight;
}

/** Shorter words may be short forms or typos of them ("Tehcs", "Invts"): no evidence either way. */
const SIBLING_WORD = 7;
/** Two typos in one word, one in each record, are up to 4 edits apart: siblings are further. */
const SIBLING_DISTANCE = 5;

/**
 * Siblings of one brand: the names share their other words and differ in one long word each (7+
 * letters, 5+ edits apart) that is neither an abbreviation nor a typo of the other ("Northwind
 * Technologies" / "Northwind Techniques"). Such records clearly differ, so that "Northwind Techs",
 * which matches both, cannot join them.
 */
export function wordConflict(
  a: NormalizedName,
  b: NormalizedName,
): { left: string; right: string } | undefined {
  if (a.numbers !== b.numbers) return undefined;
  const left = [...a.content];
  const right: string[] = [];
  for (const word of b.content) {
    const at = left.indexOf(word);
    if (at >= 0) left.splice(at, 1);
    else right.push(word);
  }
  if (left.length !== 1 || right.length !== 1 || a.content.length === 1) return undefined;
  const [x, y] = [left[0]!, right[0]!];
  const full = (word: string) => word.length >= SIBLING_WORD && /^[a-z]+$/.test(word);
  if (!full(x) || !full(y) || distance(x, y) < SIBLING_DISTANCE || abbreviationPair(x, y))
    return undefined;
  return { left: x, right: y };
}
