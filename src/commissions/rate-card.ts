import type { RateRow } from '../program/program';

export interface RateSubject {
  /** Null for a partner whose type is not known yet: only wildcard rows apply. */
  partnerType: string | null;
  tier: string;
  role: string;
}

const specificity = (row: RateRow) =>
  Number(row.partnerType !== '*') + Number(row.tier !== '*') + Number(row.role !== '*');

/** The most specific matching row (most non-wildcard fields; ties: first in the list), or none. */
export function resolveRate(
  rows: readonly RateRow[],
  subject: RateSubject,
): { row: RateRow; index: number } | undefined {
  let best: { row: RateRow; index: number } | undefined;
  rows.forEach((row, index) => {
    const applies =
      (row.partnerType === '*' || row.partnerType === subject.partnerType) &&
      (row.tier === '*' || row.tier === subject.tier) &&
      (row.role === '*' || row.role === subject.role);
    if (applies && (!best || specificity(row) > specificity(best.row))) best = { row, index };
  });
  return best;
}

/**
 * Amount × rate in minor units × basis points, before any rounding: marginal over the bands when
 * the row has them (each slice of the amount at its band's rate), else the row's rate.
 */
export function grossBpsUnits(row: RateRow, amountMinor: bigint): bigint {
  if (!row.bands) return amountMinor * BigInt(row.rateBps);
  let total = 0n;
  let lower = 0n;
  for (const band of row.bands) {
    const upper = band.uptoMinor === undefined ? amountMinor : BigInt(band.uptoMinor);
    const slice = (amountMinor < upper ? amountMinor : upper) - lower;
    if (slice > 0n) total += slice * BigInt(band.rateBps);
    lower = upper;
    if (lower >= amountMinor) break;
  }
  return total;
}
