const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string as an integer scaled by 10^scale: parseScaled("33.33", 2) = 3333n. Undefined
 * when it is not a decimal or has more (non-zero) decimals than the scale holds.
 */
export function parseScaled(text: string, scale: number): bigint | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > scale) return undefined;
  const value = BigInt(`${whole}${fraction.padEnd(scale, '0').slice(0, scale)}`);
  return sign ? -value : value;
}

/**
 * numerator / denominator, rounded half away from zero (DESIGN.md §6: a line is rounded once).
 * Exact, in BigInt: |n|/|d| + ½ truncated, then the sign put back.
 */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const magnitude = (2n * n + d) / (2n * d);
  return numerator < 0n !== denominator < 0n ? -magnitude : magnitude;
}
