export interface PairwiseQuality {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Pairwise precision/recall/F1 of a clustering against the answer key, from the contingency counts. */
export function pairwiseQuality(
  predicted: readonly string[],
  truth: readonly string[],
): PairwiseQuality {
  const count = (keys: Iterable<string>) => {
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    return counts;
  };
  const sum = (counts: Map<string, number>) =>
    [...counts.values()].reduce((total, n) => total + pairs(n), 0);
  const both = sum(count(predicted.map((p, i) => `${p}\u0000${truth[i]}`)));
  const predictedPairs = sum(count(predicted));
  const truePairs = sum(count(truth));
  const precision = predictedPairs === 0 ? 1 : both / predictedPairs;
  const recall = truePairs === 0 ? 1 : both / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    precision: round(precision),
    recall: round(recall),
    f1: round(f1),
    truePairs,
    predictedPairs,
  };
}
