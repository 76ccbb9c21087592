import type { Program } from '../program/program';
import { accrueDeal } from './accrue';
import { clawBack } from './clawback';
import type {
  Attribution,
  CommissionDeal,
  CommissionError,
  CommissionPartner,
  LedgerLine,
  Refund,
} from './types';

export interface SimulationInput {
  program: Program;
  partners: readonly CommissionPartner[];
  deals: readonly CommissionDeal[];
  attributions: readonly Attribution[];
  refunds?: readonly Refund[];
}

/**
 * What the program pays on these deals: per deal in input order, its accrual lines (attribution
 * order), then for each refund by time (ties in input order) its clawback lines. Deterministic.
 */
export function simulateCommissions(input: SimulationInput): {
  lines: LedgerLine[];
  errors: CommissionError[];
} {
  const partners = new Map(input.partners.map((p) => [p.id, p]));
  const attributionsByDeal = group(input.attributions, (a) => a.dealId);
  const refundsByDeal = group(
    [...(input.refunds ?? [])]
      .map((refund, order) => ({ refund, order }))
      .sort((a, b) => a.refund.refundedAt - b.refund.refundedAt || a.order - b.order),
    (r) => r.refund.dealId,
  );
  const lines: LedgerLine[] = [];
  const errors: CommissionError[] = [];
  for (const deal of input.deals) {
    const accrued = accrueDeal(
      input.program,
      deal,
      attributionsByDeal.get(deal.id) ?? [],
      partners,
    );
    const clawed = clawBack(
      input.program,
      deal,
      accrued.lines,
      (refundsByDeal.get(deal.id) ?? []).map((r) => r.refund),
    );
    lines.push(...accrued.lines, ...clawed.lines);
    errors.push(...accrued.errors, ...clawed.errors);
  }
  return { lines, errors };
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
