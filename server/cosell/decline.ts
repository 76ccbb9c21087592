import { recordAudit } from '../db/audit';
import type { Database } from '../db/database';

/** Records that an account executive declined a suggested partner for the deal's account. */
export async function declineSuggestion(
  db: Database,
  tenantId: string,
  request: { dealCrmId: string; partnerId: string; reason: string | null },
  actor: string,
): Promise<
  { ok: true } | { ok: false; code: 'DEAL.NOT_FOUND' | 'DEAL.NO_ACCOUNT' | 'PARTNER.NOT_FOUND' }
> {
  return db.transaction(async (tx) => {
    const [deal] = await tx.query<{ account_crm_id: string | null }>(
      'select account_crm_id from deals where tenant_id = $1 and crm_id = $2 and archived_at is null',
      [tenantId, request.dealCrmId],
    );
    if (!deal) return { ok: false as const, code: 'DEAL.NOT_FOUND' as const };
    if (!deal.account_crm_id) return { ok: false as const, code: 'DEAL.NO_ACCOUNT' as const };
    const [partner] = await tx.query('select 1 from partners where tenant_id = $1 and id = $2', [
      tenantId,
      request.partnerId,
    ]);
    if (!partner) return { ok: false as const, code: 'PARTNER.NOT_FOUND' as const };
    await tx.query(
      `insert into cosell_declines (tenant_id, account_crm_id, partner_id, deal_crm_id, reason, actor) values ($1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, account_crm_id, partner_id) do update set reason = excluded.reason, actor = excluded.actor,
         deal_crm_id = excluded.deal_crm_id, created_at = now()`,
      [tenantId, deal.account_crm_id, request.partnerId, request.dealCrmId, request.reason, actor],
    );
    await recordAudit(tx, {
      tenantId,
      actor,
      action: 'cosell.declined',
      subjectType: 'deal',
      subjectId: request.dealCrmId,
      details: { partnerId: request.partnerId, reason: request.reason },
    });
    return { ok: true as const };
  });
}
