import { accrualsRepricedBy } from '../../src/commissions/rate-card-change';
import type { Program } from '../../src/program/program';
import type { Queryable } from '../db/database';

/** Above this share of the tenant's standing accruals, a program save must be confirmed. */
export const REPRICE_CONFIRM_SHARE = 0.2;

export interface ProgramChangeImpact {
  /** Accruals standing in the ledger now: neither reversed nor void. */
  standingAccruals: number;
  /** Of those, the ones the new rate card would reverse: every accrual of a deal with a repriced line. */
  repriced: number;
  removesEveryRate: boolean;
}

/** Accruals (of ledger_entries_status `e`) neither reversed nor void. */
const standing = (
  e: string,
) => `${e}.tenant_id = $1 and ${e}.kind = 'accrual' and ${e}.status <> 'void'
  and not exists (select 1 from ledger_entries r
                   where r.tenant_id = ${e}.tenant_id and r.deal_id = ${e}.deal_id and r.partner_id = ${e}.partner_id
                     and r.role = ${e}.role and r.deal_version = ${e}.deal_version and r.kind = 'reversal')`;

/**
 * What saving `after` over `before` would do to the tenant's ledger, before it is saved. A deal's
 * ledger version is all of its lines: one line repriced reverses and re-accrues every accrual of
 * that deal, so the count is of the accruals on deals with any repriced line.
 */
export async function programChangeImpact(
  db: Queryable,
  tenantId: string,
  before: Program,
  after: Program,
): Promise<ProgramChangeImpact> {
  const groups = await db.query<{
    partner_type: string | null;
    tier: string;
    role: string;
    accruals: number;
  }>(
    `select p.type as partner_type, e.tier, e.role, count(*)::int as accruals
       from ledger_entries_status e
       join partners p on p.tenant_id = e.tenant_id and p.id = e.partner_id
      where ${standing('e')}
      group by 1, 2, 3`,
    [tenantId],
  );
  const subjects = groups.map((g) => ({
    partnerType: g.partner_type,
    tier: g.tier,
    role: g.role,
    accruals: g.accruals,
  }));
  const changed = subjects.filter(
    (group) => accrualsRepricedBy(before.rates, after.rates, [group]) > 0,
  );
  const [repriced] =
    changed.length === 0
      ? [{ n: 0 }]
      : await db.query<{ n: number }>(
          `select count(*)::int as n from ledger_entries_status e
          where ${standing('e')}
            and e.deal_id in (
              select e2.deal_id from ledger_entries_status e2
                join partners p on p.tenant_id = e2.tenant_id and p.id = e2.partner_id
                join unnest($2::text[], $3::text[], $4::text[]) as g (partner_type, tier, role)
                  on g.partner_type is not distinct from p.type and g.tier = e2.tier and g.role = e2.role
               where ${standing('e2')})`,
          [
            tenantId,
            changed.map((g) => g.partnerType),
            changed.map((g) => g.tier),
            changed.map((g) => g.role),
          ],
        );
  return {
    standingAccruals: subjects.reduce((sum, g) => sum + g.accruals, 0),
    repriced: repriced!.n,
    removesEveryRate: before.rates.length > 0 && after.rates.length === 0,
  };
}

/** Why the save needs an explicit confirmation, or undefined when it does not. */
export function confirmationNeeded(impact: ProgramChangeImpact): string | undefined {
  if (impact.removesEveryRate)
    return 'The new program has no rates: every accrual in the ledger would be reversed';
  if (impact.repriced > 0 && impact.repriced > impact.standingAccruals * REPRICE_CONFIRM_SHARE)
    return `The new rates would reverse and recompute ${impact.repriced} of the ${impact.standingAccruals} accruals in the ledger`;
  return undefined;
}
