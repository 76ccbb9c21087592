import type { Evidence } from '../matching/compare';
import { capOf, type Program } from '../program/program';
import { monthsBefore } from './time';
import type { Conflict, ConflictKind, DealFacts, Hold, PartnerFacts } from './types';
import { CONFLICT_KINDS } from './types';

export interface ConflictContext {
  program: Program;
  partner: PartnerFacts;
  /** The moment the registration is judged at: its submission (or, re-checked, the decision). */
  at: number;
  matchedAccountId: string | null;
  /** Holds on the same company (active or not: this filters by `at`), with how they matched. */
  holds: ReadonlyArray<{
    hold: Hold;
    sameCompany: { accountId: string } | { evidence: Evidence[] };
  }>;
  /** Deals on the matched account. */
  deals: readonly DealFacts[];
  /** The partner's registrations whose windows cover `at` (any company). */
  activeRegistrationsOfPartner: number;
}

/** Open at T: created at or before T and not closed by T (DESIGN.md §4). */
export const openAt = (deal: DealFacts, at: number) =>
  deal.createdAt <= at && (deal.stage === 'open' || (deal.closedAt !== null && deal.closedAt > at));

const active = (hold: Hold, at: number) => hold.start <= at && at < hold.end;

/** Every conflict of a registration with the world as it was at `context.at`, each with its evidence, in §4's order. */
export function detectConflicts(partnerId: string, context: ConflictContext): Conflict[] {
  const { program, at } = context;
  const conflicts: Conflict[] = [];

  const holds = context.holds
    .filter(({ hold }) => active(hold, at))
    .sort((x, y) => x.hold.start - y.hold.start || x.hold.submittedAt - y.hold.submittedAt);
  for (const { hold, sameCompany } of holds) {
    conflicts.push({
      kind: hold.partnerId === partnerId ? 'duplicate_submission' : 'competing_registration',
      severity: 'block',
      holderRegistrationId: hold.registrationId,
      holderPartnerId: hold.partnerId,
      holdsUntil: Number.isFinite(hold.end) ? hold.end : null,
      sameCompany,
    });
  }

  if (context.matchedAccountId !== null) {
    const accountId = context.matchedAccountId;
    for (const deal of context.deals) {
      if (!openAt(deal, at)) continue;
      if (deal.partnerIds.length === 0) {
        conflicts.push({
          kind: 'direct_opportunity',
          severity: program.conflicts.directOpportunity,
          dealId: deal.id,
          accountId,
          dealCreatedAt: deal.createdAt,
        });
      } else if (deal.partnerIds.some((id) => id !== partnerId)) {
        conflicts.push({
          kind: 'partner_opportunity',
          severity: 'warn',
          dealId: deal.id,
          accountId,
          partnerIds: deal.partnerIds.filter((id) => id !== partnerId),
        });
      }
    }
    const rule = program.conflicts.existingCustomer;
    if (rule !== 'off') {
      const since = monthsBefore(at, program.conflicts.existingCustomerMonths);
      for (const deal of context.deals) {
        if (
          deal.stage === 'won' &&
          deal.closedAt !== null &&
          deal.closedAt >= since &&
          deal.closedAt <= at
        ) {
          conflicts.push({
            kind: 'existing_customer',
            severity: rule,
            dealId: deal.id,
            accountId,
            closedAt: deal.closedAt,
          });
        }
      }
    }
  }

  if (context.partner.status !== 'active') {
    conflicts.push({ kind: 'partner_ineligible', severity: 'block', reason: 'inactive' });
  } else {
    const cap = capOf(program, context.partner.tier);
    if (cap !== undefined && context.activeRegistrationsOfPartner >= cap) {
      conflicts.push({
        kind: 'partner_ineligible',
        severity: 'block',
        reason: 'cap_reached',
        activeRegistrations: context.activeRegistrationsOfPartner,
        cap,
      });
    }
  }

  const order = (kind: ConflictKind) => CONFLICT_KINDS.indexOf(kind);
  return conflicts
    .map((conflict, index) => ({ conflict, index }))
    .sort((x, y) => order(x.conflict.kind) - order(y.conflict.kind) || x.index - y.index)
    .map((x) => x.conflict);
}

/** The earliest holder among the competing registrations (first to register wins). */
export function holderOf(conflicts: readonly Conflict[]): string | null {
  const holder = conflicts.find(
    (c) => c.kind === 'duplicate_submission' || c.kind === 'competing_registration',
  );
  return holder && 'holderRegistrationId' in holder ? holder.holderRegistrationId : null;
}
