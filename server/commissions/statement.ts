import { type Money, moneyOf } from '../../src/money/money';
import type { Queryable } from '../db/database';

/** A calendar month in UTC, "2026-03" → [2026-03-01, 2026-04-01). */
export function monthRange(period: string): { from: Date; to: Date } {
  const from = new Date(`${period}-01T00:00:00Z`);
  return { from, to: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) };
}

export interface StatementLine {
  seq: string;
  id: string;
  created_at: Date;
  deal_crm_id: string | null;
  deal_name: string | null;
  kind: string;
  role: string | null;
  status: string;
  amount_minor: string;
  currency: string;
  rate_bps: number | null;
  tier: string | null;
  void_reason: string | null;
  payout_id: string | null;
}

/** A page of a partner's entries in [from, to), oldest first, after the given seq. */
export function statementLines(
  db: Queryable,
  tenantId: string,
  partnerId: string,
  range: { from: Date; to: Date },
  page: { afterSeq?: string; limit: number },
): Promise<StatementLine[]> {
  return db.query<StatementLine>(
    `select l.seq::text, l.id, l.created_at, d.crm_id as deal_crm_id, d.name as deal_name, l.kind, l.role, l.status,
            l.amount_minor::text, l.currency, l.rate_bps, l.tier, l.void_reason, l.payout_id
       from ledger_entries_status l
       left join deals d on d.tenant_id = l.tenant_id and d.id = l.deal_id
      where l.tenant_id = $1 and l.partner_id = $2 and l.created_at >= $3 and l.created_at < $4
        and ($5::bigint is null or l.seq > $5)
      order by l.seq
      limit $6`,
    [tenantId, partnerId, range.from, range.to, page.afterSeq ?? null, page.limit],
  );
}

export interface StatementTotals {
  currency: string;
  /** Owed at the start of the month: every entry before it that is not void, payouts included. */
  opening: Money;
  accrued: Money;
  approved: Money;
  paid: Money;
  void: Money;
  /** Payout entries in the month (negative: they settle what was owed). */
  payouts: Money;
  /** Owed at the end of the month. */
  closing: Money;
  entries: number;
}

/** Per currency, the month's entries summed by status, between the balances owed at its start and end. */
export async function statementTotals(
  db: Queryable,
  tenantId: string,
  partnerId: string,
  range: { from: Date; to: Date },
): Promise<StatementTotals[]> {
  const rows = await db.query<{
    currency: string;
    opening: string;
    accrued: string;
    approved: string;
    paid: string;
    void: string;
    payouts: string;
    closing: string;
    entries: string;
  }>(
    `select currency,
            coalesce(sum(amount_minor) filter (where created_at < $3 and status <> 'void'), 0)::text as opening,
            coalesce(sum(amount_minor) filter (where inside and kind <> 'payout' and status = 'accrued'), 0)::text as accrued,
            coalesce(sum(amount_minor) filter (where inside and kind <> 'payout' and status = 'approved'), 0)::text as approved,
            coalesce(sum(amount_minor) filter (where inside and kind <> 'payout' and status = 'paid'), 0)::text as paid,
            coalesce(sum(amount_minor) filter (where inside and status = 'void'), 0)::text as void,
            coalesce(sum(amount_minor) filter (where inside and kind = 'payout'), 0)::text as payouts,
            coalesce(sum(amount_minor) filter (where created_at < $4 and status <> 'void'), 0)::text as closing,
            count(*) filter (where inside)::text as entries
       from (select *, created_at >= $3 and created_at < $4 as inside from ledger_entries_status
              where tenant_id = $1 and partner_id = $2 and created_at < $4) l
      group by currency
      order by currency`,
    [tenantId, partnerId, range.from, range.to],
  );
  return rows.map((row) => ({
    currency: row.currency,
    opening: moneyOf(row.opening, row.currency),
    accrued: moneyOf(row.accrued, row.currency),
    approved: moneyOf(row.approved, row.currency),
    paid: moneyOf(row.paid, row.currency),
    void: moneyOf(row.void, row.currency),
    payouts: moneyOf(row.payouts, row.currency),
    closing: moneyOf(row.closing, row.currency),
    entries: Number(row.entries),
  }));
}
