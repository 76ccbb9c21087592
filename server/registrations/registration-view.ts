import { toMinorUnits } from '../../src/money/minor-units';
import { moneyOf } from '../../src/money/money';
import { DAY_MS } from '../../src/registrations/time';
import type { Conflict } from '../../src/registrations/types';
import type { Queryable } from '../db/database';
import { type ConflictNames, conflictNames, presentConflict } from './conflict-view';

export interface RegistrationRow {
  id: string;
  partner_id: string;
  partner_name: string;
  company_name: string;
  company_domain: string | null;
  amount: string | null;
  currency: string | null;
  submitted_at: Date;
  status: 'pending' | 'approved' | 'rejected' | 'converted' | 'expired';
  verdict: string;
  conflicts: Conflict[];
  matched_account_crm_id: string | null;
  account_match: unknown[];
  holder_registration_id: string | null;
  window_start: Date | null;
  window_end: Date | null;
  extensions: number;
  rejection_reason: string | null;
  converted_deal_crm_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

export const REGISTRATION_COLUMNS = `r.id, r.partner_id, p.name as partner_name, r.company_name, r.company_domain, r.amount, r.currency,
  r.submitted_at, r.status, r.verdict, r.conflicts, r.matched_account_crm_id, r.account_match, r.holder_registration_id,
  r.window_start, r.window_end, r.extensions, r.rejection_reason, r.converted_deal_crm_id, r.decided_by, r.decided_at`;

export const REGISTRATION_FROM =
  'registrations r join partners p on p.tenant_id = r.tenant_id and p.id = r.partner_id';

/**
 * The registration as the API shows it: conflicts explained with names and dates, money as
 * Money, days left, overdue against the SLA.
 */
export function toView(row: RegistrationRow, now: number, slaHours: number, names: ConflictNames) {
  const windowEnd = row.window_end?.getTime();
  const minor =
    row.amount !== null && row.currency ? toMinorUnits(row.amount, row.currency) : undefined;
  return {
    id: row.id,
    partner: { id: row.partner_id, name: row.partner_name },
    company: { name: row.company_name, domain: row.company_domain },
    amount: minor?.ok ? moneyOf(minor.value, row.currency!) : null,
    submittedAt: row.submitted_at.toISOString(),
    status: row.status,
    verdict: row.verdict,
    overdue: row.status === 'pending' && now - row.submitted_at.getTime() > slaHours * 3_600_000,
    matchedAccountId: row.matched_account_crm_id,
    accountMatch: row.account_match,
    holderRegistrationId: row.holder_registration_id,
    window:
      row.window_start && row.window_end
        ? { start: row.window_start.toISOString(), end: row.window_end.toISOString() }
        : null,
    daysLeft:
      windowEnd !== undefined && (row.status === 'approved' || row.status === 'pending')
        ? Math.max(0, Math.ceil((windowEnd - now) / DAY_MS))
        : null,
    extensions: row.extensions,
    rejectionReason: row.rejection_reason,
    convertedDealId: row.converted_deal_crm_id,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    conflicts: row.conflicts.map((conflict) => presentConflict(conflict, names, row.partner_name)),
  };
}

export type RegistrationView = ReturnType<typeof toView>;

/** A page of registrations as the API shows them, the names their conflicts need read at once. */
export async function viewsOf(
  db: Queryable,
  tenantId: string,
  rows: readonly RegistrationRow[],
  now: number,
  slaHours: number,
): Promise<RegistrationView[]> {
  const names = await conflictNames(
    db,
    tenantId,
    rows.flatMap((row) => row.conflicts),
  );
  return rows.map((row) => toView(row, now, slaHours, names));
}

export async function findRegistration(
  db: Queryable,
  tenantId: string,
  id: string,
  lock = false,
): Promise<RegistrationRow | undefined> {
  const [row] = await db.query<RegistrationRow>(
    `select ${REGISTRATION_COLUMNS} from ${REGISTRATION_FROM} where r.tenant_id = $1 and r.id = $2${lock ? ' for update of r' : ''}`,
    [tenantId, id],
  );
  return row;
}
