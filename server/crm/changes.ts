import type { Logger } from 'pino';

import type { Database, Queryable } from '../db/database';
import { markConnection, resumeConnection } from './connections';
import type { CrmKind, CrmRegistry } from './port';
import { applyPage } from './sync';

/** A record a CRM says changed (a webhook event, a change event): to be re-read, not trusted. */
export interface ChangeNotice {
  /** The portal or org the notice came from. */
  externalId: string;
  /** Unique per delivered event: a redelivery of it adds nothing. */
  key: string;
  objectType: 'account' | 'deal';
  objectId: string;
  occurredAt: number;
}

/** Keeps the notices of one tenant's CRM until processed; answers how many were new. */
export async function recordChanges(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  notices: readonly ChangeNotice[],
): Promise<number> {
  if (notices.length === 0) return 0;
  const rows = await db.query(
    `insert into crm_change_events (tenant_id, crm, event_key, object_type, object_id, occurred_at)
     select $1, $2, t.event_key, t.object_type, t.object_id, to_timestamp(t.occurred_at / 1000.0)
       from unnest($3::text[], $4::text[], $5::text[], $6::float8[]) as t (event_key, object_type, object_id, occurred_at)
     on conflict do nothing returning 1`,
    [
      tenantId,
      crm,
      notices.map((n) => n.key),
      notices.map((n) => n.objectType),
      notices.map((n) => n.objectId),
      notices.map((n) => n.occurredAt),
    ],
  );
  return rows.length;
}

const BATCH = 500;

export interface ChangesResult {
  accounts: string[];
  deals: string[];
}

/**
 * Re-reads what the pending notices of a tenant's CRM name, a batch at a time, writes it into the
 * mirror and marks them processed. Whatever order or number the notices came in, the mirror ends
 * as the CRM is now. Answers the records re-read (the reconcile and the ledger follow them).
 */
export async function processChanges(
  deps: { db: Database; crms: CrmRegistry; logger: Logger },
  tenantId: string,
  crm: CrmKind,
  /** What follows a batch (reconcile, ledger): run before it is marked processed, so a failure retries it. */
  onBatch?: (changed: ChangesResult) => Promise<unknown>,
): Promise<ChangesResult> {
  const done: ChangesResult = { accounts: [], deals: [] };
  const connection = await deps.crms.connect(tenantId, crm);
  for (;;) {
    const [{ upto }] = (await deps.db.query<{ upto: Date }>('select now() as upto')) as [
      { upto: Date },
    ];
    const pending = await deps.db.query<{ object_type: 'account' | 'deal'; object_id: string }>(
      `select object_type, object_id from crm_change_events
        where tenant_id = $1 and crm = $2 and processed_at is null and received_at <= $3
        group by object_type, object_id order by min(received_at) limit $4`,
      [tenantId, crm, upto, BATCH],
    );
    if (pending.length === 0) break;
    const ids = {
      accounts: pending.filter((p) => p.object_type === 'account').map((p) => p.object_id),
      deals: pending.filter((p) => p.object_type === 'deal').map((p) => p.object_id),
    };
    await applyPage(deps.db, tenantId, crm, await connection.reread(ids));
    await onBatch?.(ids);
    await deps.db.query(
      `update crm_change_events set processed_at = now()
        where tenant_id = $1 and crm = $2 and processed_at is null and received_at <= $3
          and (object_type, object_id) in (select * from unnest($4::text[], $5::text[]))`,
      [tenantId, crm, upto, pending.map((p) => p.object_type), pending.map((p) => p.object_id)],
    );
    done.accounts.push(...ids.accounts);
    done.deals.push(...ids.deals);
  }
  await markConnection(deps.db, tenantId, crm, { event: true, usage: connection.usage() });
  // Paused short of the daily budget, and the re-reads went through on a budget with room again
  // (HubSpot's day turned): the connection is back. (No re-read, no news of the budget.)
  const reread = done.accounts.length + done.deals.length > 0;
  if (reread && connection.budgetSpent && !connection.budgetSpent())
    await resumeConnection(deps.db, tenantId, crm);
  // What was processed a day ago is no help any more for deduplication.
  await deps.db.query(
    `delete from crm_change_events where tenant_id = $1 and crm = $2 and processed_at < now() - interval '1 day'`,
    [tenantId, crm],
  );
  return done;
}

/** How often the notices of a connection paused short of its daily budget are tried again. */
export const PAUSED_RETRY_MS = 15 * 60 * 1000;

/**
 * Tenants whose notices have waited longer than they should (their job was lost with Redis), and
 * those of a connection paused short of its daily budget, no more often than PAUSED_RETRY_MS since
 * it was last paused: one look whether the CRM's day turned, which resumes it.
 */
export async function tenantsWithStaleChanges(
  db: Queryable,
  olderThanMs: number,
): Promise<Array<{ tenantId: string; crm: CrmKind }>> {
  const rows = await db.query<{ tenant_id: string; crm: CrmKind }>(
    `select distinct e.tenant_id, e.crm from crm_change_events e
       join crm_credentials c on c.tenant_id = e.tenant_id and c.provider = e.crm
        and (c.status = 'connected'
             or (c.status = 'paused' and c.updated_at < now() - make_interval(secs => $2)))
      where e.processed_at is null and e.received_at < now() - make_interval(secs => $1)`,
    [olderThanMs / 1000, PAUSED_RETRY_MS / 1000],
  );
  return rows.map((row) => ({ tenantId: row.tenant_id, crm: row.crm }));
}
