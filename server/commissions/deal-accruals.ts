import { type Money, moneyOf, moneyWords } from '../../src/money/money';
import type { Queryable } from '../db/database';
import type { CommissionPreview, PartnerOnDeal } from './preview';

/** What the ledger holds for a partner on a won deal: its standing accrual, its status, clawbacks. */
export interface CommissionAccrued {
  basis: 'ledger';
  amount: Money;
  status: 'accrued' | 'approved' | 'paid' | 'void';
  rateBps: number | null;
  /** Whether the rate card's cap cut the line, when today's rate card still gives this amount. */
  capped: boolean;
  clawedBack: Money | null;
  explanation: string;
}

interface EntryRow {
  partner_id: string;
  role: string;
  kind: 'accrual' | 'clawback';
  amount_minor: string;
  currency: string;
  rate_bps: number | null;
  status: CommissionAccrued['status'];
  void_reason: string | null;
}

const STATUS_WORDS: Record<CommissionAccrued['status'], string> = {
  accrued: 'accrued, not yet approved',
  approved: 'approved, not yet paid',
  paid: 'paid',
  void: 'void',
};

/**
 * The won deal's commissions as the ledger has them (partner id + role → accrued). A partner the
 * ledger has not accrued yet (the commissions job follows each sync) gets its preview, said so.
 */
export async function accruedOnDeal(
  db: Queryable,
  tenantId: string,
  dealId: string,
  partners: readonly PartnerOnDeal[],
  previews: ReadonlyMap<string, CommissionPreview>,
): Promise<Map<string, CommissionAccrued | CommissionPreview>> {
  const rows = await db.query<EntryRow>(
    `select e.partner_id, e.role, e.kind, e.amount_minor::text, e.currency, e.rate_bps, e.status, e.void_reason
       from ledger_entries_status e
      where e.tenant_id = $1 and e.deal_id = $2 and e.kind in ('accrual', 'clawback')
        and not exists (select 1 from ledger_entries r
                         where r.tenant_id = e.tenant_id and r.deal_id = e.deal_id and r.partner_id = e.partner_id
                           and r.role = e.role and r.deal_version = e.deal_version and r.kind = 'reversal')
      order by e.seq`,
    [tenantId, dealId],
  );
  const result = new Map<string, CommissionAccrued | CommissionPreview>();
  for (const partner of partners) {
    const key = `${partner.id}:${partner.role}`;
    const mine = rows.filter((r) => r.partner_id === partner.id && r.role === partner.role);
    const accrual = mine.find((r) => r.kind === 'accrual');
    if (!accrual) {
      const preview = previews.get(key);
      if (preview && 'basis' in preview)
        result.set(key, {
          ...preview,
          explanation: `Won: the ledger has not accrued this yet (it follows within a minute). ${preview.explanation.replace(/^If this closes at [^,]+, /, 'At the won amount, ')}`,
        });
      else if (preview) result.set(key, preview);
      continue;
    }
    const clawed = mine
      .filter((r) => r.kind === 'clawback' && r.status !== 'void')
      .reduce((sum, r) => sum + BigInt(r.amount_minor), 0n);
    // Today's rate card says how the amount came to be, if it still gives the same amount.
    const preview = previews.get(key);
    const same =
      preview &&
      'basis' in preview &&
      preview.amount.amount === moneyOf(accrual.amount_minor, accrual.currency).amount
        ? preview
        : undefined;
    const status =
      accrual.status === 'void'
        ? `void (${accrual.void_reason ?? 'no reason given'})`
        : STATUS_WORDS[accrual.status];
    result.set(key, {
      basis: 'ledger',
      amount: moneyOf(accrual.amount_minor, accrual.currency),
      status: accrual.status,
      rateBps: accrual.rate_bps,
      capped: same?.capped ?? false,
      clawedBack: clawed === 0n ? null : moneyOf(-clawed, accrual.currency),
      explanation: `${partner.name} earned ${moneyWords(accrual.amount_minor, accrual.currency)} on this won deal${same ? ` (${same.calculation})` : accrual.rate_bps === null ? '' : ` at ${accrual.rate_bps / 100} %`}: ${status}${clawed === 0n ? '' : `; ${moneyWords(-clawed, accrual.currency)} clawed back after a refund`}.`,
    });
  }
  return result;
}
