import type { Evidence } from '../../src/matching/compare';
import { DAY_MS } from '../../src/registrations/time';
import type { Queryable } from '../db/database';

export interface DealRegistration {
  id: string;
  partner: { id: string; name: string; tier: string };
  status: 'pending' | 'approved';
  windowEnd: string | null;
  daysLeft: number | null;
  /** The company as the partner registered it, and how it matched this deal's account. */
  company: { name: string; domain: string | null };
  accountMatch: Evidence[];
  conflicts: Array<{
    kind: 'holder_not_on_deal' | 'partner_without_registration';
    partnerId: string;
    message: string;
  }>;
}

export interface RegistrationRow {
  id: string;
  partner_id: string;
  partner_name: string;
  tier: string;
  status: 'pending' | 'approved';
  window_end: Date | null;
  company_name: string;
  company_domain: string | null;
  account_match: Evidence[];
}

/**
 * The registrations that hold the deal's account now (the rules run the other way, DESIGN.md §4):
 * who holds it, until when, and how that sits with the partners on the deal.
 */
export async function registrationsForDeal(
  db: Queryable,
  tenantId: string,
  accountCrmId: string | null,
  partnersOnDeal: ReadonlyArray<{ id: string; name: string }>,
  now: number,
): Promise<DealRegistration[]> {
  if (!accountCrmId) return [];
  const rows = await db.query<RegistrationRow>(
    `select r.id, r.partner_id, p.name as partner_name, p.tier, r.status, r.window_end,
            r.company_name, r.company_domain, r.account_match
       from registrations r join partners p on p.tenant_id = r.tenant_id and p.id = r.partner_id
      where r.tenant_id = $1 and r.matched_account_crm_id = $2 and r.status in ('pending', 'approved')
        and (r.window_end is null or r.window_end > $3)
      order by coalesce(r.window_start, r.submitted_at), r.id`,
    [tenantId, accountCrmId, new Date(now)],
  );
  return presentDealRegistrations(rows, partnersOnDeal, now);
}

/** The registrations holding a deal's account (read with the card), with their conflicts with its partners. */
export function presentDealRegistrations(
  rows: readonly RegistrationRow[],
  partnersOnDeal: ReadonlyArray<{ id: string; name: string }>,
  now: number,
): DealRegistration[] {
  return rows.map((row) => {
    const conflicts: DealRegistration['conflicts'] = [];
    if (!partnersOnDeal.some((p) => p.id === row.partner_id)) {
      conflicts.push({
        kind: 'holder_not_on_deal',
        partnerId: row.partner_id,
        message: `${row.partner_name} registered this account but is not on this deal.`,
      });
    }
    for (const partner of partnersOnDeal) {
      if (partner.id === row.partner_id) continue;
      conflicts.push({
        kind: 'partner_without_registration',
        partnerId: partner.id,
        message: `${partner.name} is on this deal while ${row.partner_name} holds the registration.`,
      });
    }
    return {
      id: row.id,
      partner: { id: row.partner_id, name: row.partner_name, tier: row.tier },
      status: row.status,
      windowEnd: row.window_end?.toISOString() ?? null,
      daysLeft: row.window_end
        ? Math.max(0, Math.ceil((row.window_end.getTime() - now) / DAY_MS))
        : null,
      company: { name: row.company_name, domain: row.company_domain },
      accountMatch: row.account_match,
      conflicts,
    };
  });
}
