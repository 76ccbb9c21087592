import type { Queryable } from '../db/database';
import type { ApiUsage, CrmKind } from './port';

/** What a sync or a refresh learnt about a tenant's connection to a CRM (only what is given is written). */
export interface ConnectionChange {
  status?: 'connected' | 'broken' | 'paused' | 'disconnected';
  reason?: string | null;
  /** Where the next incremental read starts; null: the next read is a full one. */
  cursor?: string | null;
  synced?: 'full' | 'incremental';
  event?: boolean;
  error?: string | null;
  usage?: ApiUsage;
}

/**
 * The CRM took the app away (uninstalled, or a refresh answered as revoked): its tokens are
 * deleted and syncing stops; the mirror stays for the retention period (90 days, purged after by
 * server/crm/retention.ts), the tenant's own records for good. A re-install connects it again.
 */
export async function disconnectCrm(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  reason: string,
): Promise<void> {
  await db.query(
    `update crm_credentials
        set status = 'disconnected', status_reason = $3, refresh_token_enc = null, access_token_enc = null,
            access_token_expires_at = null, sync_cursor = null, disconnected_at = now(), mirror_purged_at = null,
            updated_at = now()
      where tenant_id = $1 and provider = $2 and status <> 'disconnected'`,
    [tenantId, crm, reason],
  );
  // Its waiting change events are let go too: nothing re-reads a CRM that took the app away (only
  // a re-install, which stores new tokens, connects it again).
  await db.query(
    `update crm_change_events set processed_at = now()
      where tenant_id = $1 and crm = $2 and processed_at is null`,
    [tenantId, crm],
  );
}

/**
 * A connection paused short of its daily budget works again (calls went through, and the budget
 * they reported has room): connected, its reason gone. Any other status stays.
 */
export async function resumeConnection(db: Queryable, tenantId: string, crm: CrmKind) {
  await db.query(
    `update crm_credentials set status = 'connected', status_reason = null, updated_at = now()
      where tenant_id = $1 and provider = $2 and status = 'paused'`,
    [tenantId, crm],
  );
}

/** Records what a sync or refresh learnt; a disconnected connection stays so (a re-install revives it). */
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
     where tenant_id = $1 and provider = $2 and status <> 'disconnected'`,
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

export interface SyncHealth {
  crm: CrmKind;
  /** The portal or org this tenant is connected to. */
  externalId: string | null;
  status: 'connected' | 'broken' | 'paused' | 'disconnected';
  /** Why it is not connected (or paused), in words. */
  statusReason: string | null;
  lastFullSyncAt: string | null;
  lastSyncAt: string | null;
  lastEventAt: string | null;
  /** Seconds since the mirror last heard from the CRM (a sync or a change event). */
  lagSeconds: number | null;
  lastError: string | null;
  apiUsage: ApiUsage | null;
}

/** Each CRM the tenant has connected, and how its mirror is doing. */
export async function syncHealth(
  db: Queryable,
  tenantId: string,
  now: number,
): Promise<SyncHealth[]> {
  const rows = await db.query<{
    provider: CrmKind;
    external_id: string | null;
    status: SyncHealth['status'];
    status_reason: string | null;
    last_full_sync_at: Date | null;
    last_sync_at: Date | null;
    last_event_at: Date | null;
    last_error: string | null;
    api_used: number | null;
    api_limit: number | null;
  }>(
    `select provider, external_id, status, status_reason, last_full_sync_at, last_sync_at, last_event_at,
            last_error, api_used, api_limit
       from crm_credentials where tenant_id = $1 order by provider`,
    [tenantId],
  );
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return rows.map((row) => {
    const heard = Math.max(row.last_sync_at?.getTime() ?? 0, row.last_event_at?.getTime() ?? 0);
    return {
      crm: row.provider,
      externalId: row.external_id,
      status: row.status,
      statusReason: row.status_reason,
      lastFullSyncAt: iso(row.last_full_sync_at),
      lastSyncAt: iso(row.last_sync_at),
      lastEventAt: iso(row.last_event_at),
      lagSeconds: heard === 0 ? null : Math.max(0, Math.round((now - heard) / 1000)),
      lastError: row.last_error,
      apiUsage:
        row.api_used !== null && row.api_limit !== null
          ? { used: row.api_used, limit: row.api_limit }
          : null,
    };
  });
}
