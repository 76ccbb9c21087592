import type { Database } from '../db/database';
import { recomputeDeal } from './recompute-deal';

/** Every deal that is won, or has ledger entries to reverse, brought in line; one transaction per deal. */
export async function recomputeTenant(
  db: Database,
  tenantId: string,
): Promise<{ deals: number; accrued: number; reversed: number; errors: number }> {
  const deals = await db.query<{ id: string }>(
    `select d.id from deals d where d.tenant_id = $1
        and (d.stage = 'won' or exists (select 1 from ledger_entries l where l.tenant_id = d.tenant_id and l.deal_id = d.id))
      order by d.id`,
    [tenantId],
  );
  const total = { deals: deals.length, accrued: 0, reversed: 0, errors: 0 };
  for (const { id } of deals) {
    const result = await db.transaction((tx) => recomputeDeal(tx, tenantId, id));
    total.accrued += result.accrued;
    total.reversed += result.reversed;
    total.errors += result.errors.length;
  }
  return total;
}
