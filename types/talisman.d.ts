declare module 'talisman/metrics/damerau-levenshtein' {
  /** Damerau-Levenshtein distance: insertions, deletions, substitutions and adjacent transpositions. */
  export default function damerauLevenshtein(a: string, b: string): number;
}
