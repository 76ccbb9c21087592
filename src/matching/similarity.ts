import { distance } from 'fastest-levenshtein';
import damerauLevenshtein from 'talisman/metrics/damerau-levenshtein';

import type { NormalizedName } from './name';

/**
 * How alike two normalised company names are, from 0 to 1: the larger of
 *  - a soft Dice coefficient over tokens (order-free): equal tokens count 1; tokens of 5+ letters one
 *    typo apart (insert, delete, substitute or swap two neighbours) count 0.95, two apart from 9
 *    letters on count 0.9; other pairs 0;
 *  - the same typo allowance applied to the whole name with spaces removed ("North Wind" / "Northwind",
 *    "Globex" / "Globx"), or its plain edit similarity for long names.
 * Names whose numbers differ ("Studio 54" / "Studio 45") score 0; names under 4 letters must be equal.
 * docs/matching.md says why this measure and not Jaro-Winkler or trigrams.
 */
export function nameSimilarity(a: NormalizedName, b: NormalizedName): number {
  if (a.compact === b.compact) return 1;
  if (a.compact.length < 4 || b.compact.length < 4) return 0;
  if (!sameNumbers(a.tokens, b.tokens)) return 0;
  return Math.max(
    softDice(words(a.tokens), words(b.tokens)),
    compactSimilarity(a.compact, b.compact),
  );
}

const words = (tokens: string[]) => tokens.filter((token) => token !== 'and');

function sameNumbers(a: string[], b: string[]): boolean {
  const numbers = (tokens: string[]) =>
    tokens
      .filter((t) => /\d/.test(t))
      .sort()
      .join(' ');
  return numbers(a) === numbers(b);
}

export const ONE_TYPO = 0.95;
export const TWO_TYPOS = 0.9;

export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const shortest = Math.min(a.length, b.length);
  const longest = Math.max(a.length, b.length);
  if (shortest < 5 || longest - shortest > 2 || /\d/.test(a) || /\d/.test(b)) return 0;
  const edits = damerauLevenshtein(a, b);
  if (edits === 1) return ONE_TYPO;
  if (edits === 2 && longest >= 9) return TWO_TYPOS;
  return 0;
}

/** Greedy one-to-one pairing of the most alike tokens; 2·Σsimilarity / (|a| + |b|). */
function softDice(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const similarity = tokenSimilarity(a[i]!, b[j]!);
      if (similarity > 0) pairs.push([similarity, i, j]);
    }
  }
  pairs.sort((x, y) => y[0] - x[0]);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let total = 0;
  for (const [similarity, i, j] of pairs) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    total += similarity;
  }
  return (2 * total) / (a.length + b.length);
}

function compactSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  // A cheap bound first: the length difference alone is at least that many edits.
  if (1 - Math.abs(a.length - b.length) / longest < 0.8) return 0;
  return Math.max(tokenSimilarity(a, b), 1 - distance(a, b) / longest);
}
