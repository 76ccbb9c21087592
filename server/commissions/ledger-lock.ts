import type { Queryable } from '../db/database';

/**
 * Serialises the writers of one tenant's ledger (the commissions worker, refunds, approvals,
 * voids, payouts) for the rest of the transaction.
 */
export async function lockTenantLedger(db: Queryable, tenantId: string): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(hashtext('ledger:' || $1))`, [tenantId]);
}
