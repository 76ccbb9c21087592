import type { Logger } from 'pino';

import type { Database, Queryable } from '../db/database';
import {
  archiveRecords,
  archiveUnseen,
  replaceDealCompanies,
  setDealAccounts,
  upsertAccounts,
  upsertDeals,
} from '../db/mirror';
import { refreshCrmAttributions } from './attributions';
import { disconnectCrm, markConnection } from './connections';
import {
  CRM_NAMES,
  CrmAuthError,
  CrmBudgetError,
  type CrmConnection,
  type CrmKind,
  type CrmRegistry,
  type MirrorPage,
} from './port';

export interface SyncDependencies {
  db: Database;
  crms: CrmRegistry;
  logger: Logger;
}

export interface SyncResult {
  crm: CrmKind;
  mode: 'full' | 'incremental';
  accounts: number;
  deals: number;
  attributions: number;
  skipped: number;
  archived: number;
}

/** Writes one page into the mirror, in one transaction: records, deletions, links, attributions. */
export async function applyPage(
  db: Database,
  tenantId: string,
  crm: CrmKind,
  page: MirrorPage,
): Promise<Omit<SyncResult, 'crm' | 'mode'>> {
  return db.transaction(async (tx) => {
    await upsertAccounts(tx, tenantId, crm, page.accounts);
    await upsertDeals(tx, tenantId, crm, page.deals);
    const archived = await archiveRecords(tx, tenantId, crm, {
      accounts: page.deletedAccounts,
      deals: page.deletedDeals,
    });
    let attributions = 0;
    if (page.dealLinks.length > 0) {
      await replaceDealCompanies(tx, tenantId, crm, page.dealLinks);
      await setDealAccounts(
        tx,
        tenantId,
        new Map(page.dealLinks.map((d) => [d.dealCrmId, d.accountCrmId])),
      );
      attributions = await refreshCrmAttributions(
        tx,
        tenantId,
        page.dealLinks.map((d) => d.dealCrmId),
      );
    }
    return {
      accounts: page.accounts.length,
      deals: page.deals.length,
      attributions,
      skipped: page.skipped,
      archived,
    };
  });
}

/** The CRMs a tenant has connected (and not disconnected), with where their last sync stopped. */
export async function connectedCrms(
  db: Queryable,
  tenantId: string,
): Promise<Array<{ crm: CrmKind; cursor: string | null }>> {
  const rows = await db.query<{ provider: CrmKind; sync_cursor: string | null }>(
    `select provider, sync_cursor from crm_credentials
      where tenant_id = $1 and status <> 'disconnected' order by provider`,
    [tenantId],
  );
  return rows.map((row) => ({ crm: row.provider, cursor: row.sync_cursor }));
}

/**
 * Mirrors a tenant's CRMs (or one of them): a full read the first time or when asked, else what
 * changed since the last cursor. A full read archives what the CRM no longer has. A CRM that
 * refuses the tenant's credentials is marked broken and the others go on; safe to repeat.
 */
export async function syncTenant(
  deps: SyncDependencies,
  tenantId: string,
  options: { crm?: CrmKind; full?: boolean } = {},
): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  const broken: Array<CrmAuthError | CrmBudgetError> = [];
  for (const { crm, cursor } of await connectedCrms(deps.db, tenantId)) {
    if (options.crm && options.crm !== crm) continue;
    let connection: CrmConnection;
    try {
      connection = await deps.crms.connect(tenantId, crm);
    } catch (error) {
      if (!(error instanceof CrmAuthError)) throw error;
      if (error.uninstalled) await disconnectCrm(deps.db, tenantId, crm, error.message);
      else
        await markConnection(deps.db, tenantId, crm, { status: 'broken', reason: error.message });
      deps.logger.warn(
        { tenantId, crm, reason: error.message },
        error.uninstalled ? 'CRM disconnected: the app was uninstalled' : 'CRM connection broken',
      );
      broken.push(error);
      continue;
    }
    try {
      results.push(
        await syncConnection(
          deps,
          tenantId,
          connection,
          options.full || !cursor ? undefined : cursor,
        ),
      );
    } catch (error) {
      // Marked broken or paused by syncConnection; the tenant's other CRMs still sync.
      if (!(error instanceof CrmAuthError || error instanceof CrmBudgetError)) throw error;
      deps.logger.warn({ tenantId, crm, reason: error.message }, 'CRM sync stopped');
      broken.push(error);
    }
  }
  // The other CRMs are synced; the broken one is said (and shown in sync health), never retried.
  if (broken.length > 0) throw new CrmSyncIncomplete(results, broken);
  return results;
}

/**
 * Some of the tenant's CRMs refused their credentials (or were paused short of their API budget):
 * `synced` holds what the others gave.
 */
export class CrmSyncIncomplete extends CrmAuthError {
  constructor(
    readonly synced: SyncResult[],
    readonly broken: Array<CrmAuthError | CrmBudgetError>,
  ) {
    super(broken.map((error) => error.message).join('; '));
    this.name = 'CrmSyncIncomplete';
  }
}

async function syncConnection(
  deps: SyncDependencies,
  tenantId: string,
  connection: CrmConnection,
  cursor: string | undefined,
): Promise<SyncResult> {
  const crm = connection.crm;
  const mode = cursor === undefined ? 'full' : 'incremental';
  const result: SyncResult = {
    crm,
    mode,
    accounts: 0,
    deals: 0,
    attributions: 0,
    skipped: 0,
    archived: 0,
  };
  const [{ started }] = (await deps.db.query<{ started: Date }>('select now() as started')) as [
    { started: Date },
  ];
  try {
    const pages = connection.read(cursor);
    let next = await pages.next();
    while (!next.done) {
      const applied = await applyPage(deps.db, tenantId, crm, next.value);
      for (const key of ['accounts', 'deals', 'attributions', 'skipped', 'archived'] as const)
        result[key] += applied[key];
      next = await pages.next();
    }
    // Every record the CRM still has was written during a full read; the rest were deleted there.
    if (mode === 'full') result.archived += await archiveUnseen(deps.db, tenantId, crm, started);
    await markConnection(deps.db, tenantId, crm, {
      status: 'connected',
      cursor: next.value.cursor ?? null,
      synced: mode,
      usage: connection.usage(),
    });
  } catch (error) {
    // Uninstalled mid-sync (its tokens refused): let go of the connection, as at connect.
    if (error instanceof CrmAuthError && error.uninstalled)
      await disconnectCrm(deps.db, tenantId, crm, error.message);
    else
      await markConnection(deps.db, tenantId, crm, {
        error: (error as Error).message,
        usage: connection.usage(),
        ...(error instanceof CrmAuthError
          ? { status: 'broken', reason: error.message }
          : error instanceof CrmBudgetError
            ? { status: 'paused', reason: error.message, usage: error.usage ?? connection.usage() }
            : {}),
      });
    throw error;
  }
  if (result.skipped > 0)
    deps.logger.warn(
      { tenantId, crm, skipped: result.skipped },
      `${CRM_NAMES[crm]} records without the shape PartnerLens relies on were skipped`,
    );
  deps.logger.info({ tenantId, ...result }, 'crm-sync finished');
  return result;
}
