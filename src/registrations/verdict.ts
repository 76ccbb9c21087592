import { toMinorUnits } from '../money/minor-units';
import { type Program, tierRank } from '../program/program';
import type { Conflict, PartnerFacts, RegistrationFacts, Verdict } from './types';

/**
 * Auto-approvable: the program allows it, the partner's tier is at or above minTier, and the
 * amount is at most maxAmount in the program currency (another currency, or no amount: no).
 */
export function isAutoApprovable(
  program: Program,
  partner: PartnerFacts,
  registration: Pick<RegistrationFacts, 'amount' | 'currency'>,
): boolean {
  const rule = program.autoApprove;
  if (!rule.enabled) return false;
  if (
    rule.minTier !== undefined &&
    (tierRank(program, partner.tier) < 0 ||
      tierRank(program, partner.tier) < tierRank(program, rule.minTier))
  )
    return false;
  if (rule.maxAmount === undefined) return true;
  if (registration.amount === null || registration.currency !== program.currency) return false;
  const amount = toMinorUnits(registration.amount, program.currency);
  const limit = toMinorUnits(String(rule.maxAmount), program.currency);
  return amount.ok && limit.ok && amount.value <= limit.value;
}

/** Any block ⇒ rejected; else any warning, or not auto-approvable ⇒ review; else approved. */
export function verdictOf(conflicts: readonly Conflict[], autoApprovable: boolean): Verdict {
  if (conflicts.some((c) => c.severity === 'block')) return 'rejected';
  if (conflicts.length > 0 || !autoApprovable) return 'review';
  return 'approved';
}
