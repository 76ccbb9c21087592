import { divideRounded } from '../money/decimal';
import type { Program } from '../program/program';
import { DAY_MS } from '../registrations/time';
import type { CommissionDeal, CommissionError, LedgerLine, Refund } from './types';

/** A clawback line, with the position of the refund it comes from. */
export type ClawbackLine = LedgerLine & { refund: number };

/** A refund claws back when closed_at ≤ refunded_at ≤ closed_at + clawbackDays × 24 h. */
export const withinClawback = (program: Program, deal: CommissionDeal, refundedAt: number) =>
  deal.closedAt !== null &&
  refundedAt >= deal.closedAt &&
  refundedAt <= deal.closedAt + program.clawbackDays * DAY_MS;

/**
 * Clawback lines for a deal's refunds, in the order given: −round(line × refund / deal amount) per
 * accrual line, never more than what is left of that line after earlier clawbacks.
 */
export function clawBack(
  program: Program,
  deal: CommissionDeal,
  accruals: readonly LedgerLine[],
  refunds: readonly Refund[],
): { lines: ClawbackLine[]; errors: CommissionError[] } {
  const lines: ClawbackLine[] = [];
  const errors: CommissionError[] = [];
  if (deal.stage !== 'won' || !deal.amountMinor || accruals.length === 0) return { lines, errors };
  const clawed = accruals.map(() => 0n);
  for (const [index, refund] of refunds.entries()) {
    if (refund.currency !== deal.currency) {
      errors.push({
        dealId: deal.id,
        partnerId: null,
        code: 'REFUND.CURRENCY_MISMATCH',
        message: `refund in ${refund.currency} on a ${deal.currency} deal`,
      });
      continue;
    }
    if (!withinClawback(program, deal, refund.refundedAt)) continue;
    accruals.forEach((line, i) => {
      const wanted = divideRounded(line.amountMinor * refund.amountMinor, deal.amountMinor!);
      const left = line.amountMinor - clawed[i]!;
      const amount = wanted < left ? wanted : left;
      if (amount <= 0n) return;
      clawed[i] = clawed[i]! + amount;
      lines.push({ ...line, kind: 'clawback', amountMinor: -amount, refund: index });
    });
  }
  return { lines, errors };
}
