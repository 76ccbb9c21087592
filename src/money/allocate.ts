/**
 * Splits a whole number of units into `parts` near-equal whole shares that add up to exactly `total`;
 * the first `total mod parts` shares get one unit more.
 */
export function allocateEvenly(total: number, parts: number): number[] {
  if (!Number.isInteger(total) || !Number.isInteger(parts) || parts <= 0) {
    throw new RangeError('allocateEvenly needs a whole total and a positive whole number of parts');
  }
  const base = Math.trunc(total / parts);
  const remainder = total - base * parts;
  return Array.from({ length: parts }, (_, index) => base + (index < remainder ? 1 : 0));
}
