import type { RateRow } from '../program/program';
import { type RateSubject, resolveRate } from './rate-card';

/** Accruals in the ledger that share what their rate depends on. */
export interface AccrualGroup extends RateSubject {
  accruals: number;
}

const termsOf = (rows: readonly RateRow[], subject: RateSubject) => {
  const row = resolveRate(rows, subject)?.row;
  return row ? JSON.stringify([row.rateBps, row.capMinor ?? null, row.bands ?? null]) : 'none';
};

/**
 * How many accruals a new rate card would compute anew: those whose applicable row now has other
 * terms (rate, cap or bands), or none. Each of them is reversed and, where a row applies, re-accrued.
 */
export function accrualsRepricedBy(
  before: readonly RateRow[],
  after: readonly RateRow[],
  groups: readonly AccrualGroup[],
): number {
  return groups.reduce(
    (sum, group) => sum + (termsOf(before, group) === termsOf(after, group) ? 0 : group.accruals),
    0,
  );
}
