import type { Queryable } from '../db/database';
import type { ApiUsage, CrmKind } from './port';

/** What a sync or a refresh learnt about a tenant's connection to a CRM (only what is given is written). */
export interface ConnectionChange {
  status?: 'connected' | 'broken' | 'disconnected';
  reason?: string | null;
  /** Where the next incremental read starts; null: the next read is a full one. */
  cursor?: string | null;
  synced?: 'full' | 'incremental';
  event?: boolean;
  error?: string | null;
  usage?: ApiUsage;
}

export async function markConnection(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  change: ConnectionChange,
): Promise<void> {
  await db.query(
    `update crm_credentials set
       status = coalesce($3, status),
       status_reason = case when $3::text is null then status_reason when $3 = 'connected' then null else $4 end,
       sync_cursor = case when $5 then $6 else sync_cursor end,
       last_sync_at = case when $7::text is not null then now() else last_sync_at end,
       last_full_sync_at = case when $7 = 'full' then now() else last_full_sync_at end,
       last_event_at = case when $8 then now() else last_event_at end,
       last_error = case when $9 then $10 when $7::text is not null then null else last_error end,
       api_used = coalesce($11, api_used),
       api_limit = coalesce($12, api_limit),
       updated_at = now()
     where tenant_id = $1 and provider = $2`,
    [
      tenantId,
      crm,
      change.status ?? null,
      change.reason ?? null,
      change.cursor !== undefined,
      change.cursor ?? null,
      change.synced ?? null,
      change.event ?? false,
      change.error !== undefined,
      change.error?.slice(0, 500) ?? null,
      change.usage?.used ?? null,
      change.usage?.limit ?? null,
    ],
  );
}
