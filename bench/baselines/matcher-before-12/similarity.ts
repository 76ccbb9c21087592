import type { NormalizedName } from './name';

/**
 * How alike two normalised company names are, from 0 to 1: the larger of
 *  - a soft Dice coefficient over words (order-free): equal words count 1, words of 5+ letters one
 *    typo apart (insert, delete, substitute, or swap two neighbours) count 0.95, others 0;
 *  - the same for the whole name with spaces removed ("North Wind" / "Northwind").
 * Names whose numbers differ ("Studio 54" / "Studio 45") score 0; names under 4 letters must be equal.
 * With `atLeast`, a word score that cannot reach it may come back lower than exact (a fast no).
 * docs/matching.md says why this measure and not Jaro-Winkler, trigrams or an edit ratio.
 */
export function nameSimilarity(a: NormalizedName, b: NormalizedName, atLeast = 0): number {
  if (a.compact === b.compact) return 1;
  if (a.compact.length < 4 || b.compact.length < 4) return 0;
  if (a.numbers !== b.numbers) return 0;
  return Math.max(softDice(a.words, b.words, atLeast), tokenSimilarity(a.compact, b.compact));
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
 * Greedy one-to-one pairing of the most alike words: 2·Σsimilarity / (|a| + |b|). Equal words pair
 * first, then words one typo apart (all worth the same), in reading order. Bit sets, no arrays:
 * this runs for every candidate pair (names have few words; past the 31st none are paired).
 */
function softDice(a: readonly string[], b: readonly string[], atLeast: number): number {
  if (a.length === 0 || b.length === 0) return 0;
  const n = Math.min(a.length, 31);
  const m = Math.min(b.length, 31);
  let usedA = 0;
  let usedB = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (usedB & (1 << j) || a[i] !== b[j]) continue;
      usedA |= 1 << i;
      usedB |= 1 << j;
      total += 1;
      break;
    }
  }
  // What the typo pass could add at most; below `atLeast` the exact answer does not matter.
  const size = a.length + b.length;
  const open = Math.min(n - total, m - total);
  if ((2 * (total + ONE_TYPO * open)) / size < atLeast) return (2 * total) / size;
  for (let i = 0; i < n; i++) {
    if (usedA & (1 << i)) continue;
    for (let j = 0; j < m; j++) {
      if (usedB & (1 << j) || tokenSimilarity(a[i]!, b[j]!) === 0) continue;
      usedA |= 1 << i;
      usedB |= 1 << j;
      total += ONE_TYPO;
      break;
    }
  }
  return (2 * total) / (a.length + b.length);
}
