import { randomBytes } from 'node:crypto';

import { hubspotAdapter } from '../server/crm/hubspot/adapter';
import { storeHubSpotRefreshToken } from '../server/crm/hubspot/credentials';
import { CrmRegistry } from '../server/crm/port';
import { syncTenant } from '../server/crm/sync';
import { issueApiKey } from '../server/db/api-keys';
import { openPostgres } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createTenant } from '../server/db/tenants';
import { createApp } from '../server/http/app';
import { CryptoBox } from '../server/lib/crypto-box';
import { listen } from '../server/lib/listen';
import { upsertProgramPartners } from '../server/partners/program-partners';
import { reconcileTenant } from '../server/partners/reconcile-tenant';
import { CrmSyncQueue, ReconcileQueue } from '../server/queue/queues';
import { DEMO_SIZE, generateEcosystem, programPartnersOf } from '../server/sandbox/seed/ecosystem';
import { startSandbox } from '../server/sandbox/server';
import { type BenchContext, silent } from './lib/context';
import { load } from './lib/load';

const APP = { clientId: 'bench', clientSecret: 'bench-secret' };

/** crm-sync throughput on the demo portal, then the card against /whoami under the same load. */
export async function cardLatency(context: BenchContext) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres(context.databaseUrl, schema);
  const ecosystem = generateEcosystem({
    seed: 42,
    now: new Date('2026-11-01T00:00:00Z'),
    size: DEMO_SIZE,
  });
  const sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [ecosystem] });
  const crmSync = new CrmSyncQueue({ redisUrl: context.redisUrl, prefix: schema });
  const reconcileQueue = new ReconcileQueue({ redisUrl: context.redisUrl, prefix: schema });
  try {
    await migrate(db);
    const box = new CryptoBox(randomBytes(32));
    const tenant = await createTenant(db, { name: 'Bench', hubspotPortalId: ecosystem.portalId });
    await storeHubSpotRefreshToken(
      db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken(ecosystem.portalId),
    );
    await upsertProgramPartners(db, tenant.id, programPartnersOf(ecosystem));
    const started = performance.now();
    const crms = new CrmRegistry([
      hubspotAdapter({ db, box, hubspot: { ...APP, apiBase: sandbox.url }, now: Date.now }),
    ]);
    const [synced] = await syncTenant({ db, crms, logger: silent }, tenant.id, {
      crm: 'hubspot',
      full: true,
    });
    const syncSeconds = (performance.now() - started) / 1000;
    const reconciled = await reconcileTenant(db, tenant.id);

    const { key } = await issueApiKey(db, tenant.id, 'bench');
    const http = await listen(
      createApp({
        db,
        logger: silent,
        crmSync,
        reconcile: reconcileQueue,
        hubspotClientSecret: APP.clientSecret,
        readiness: {},
      }),
      0,
    );
    try {
      const [deal] = await db.query<{ crm_id: string }>(
        'select d.crm_id from deals d join deal_partners dp on dp.deal_id = d.id limit 1',
      );
      const headers = { authorization: `Bearer ${key}` };
      const base = `http://127.0.0.1:${http.port}/api/v1`;
      const options = { connections: 10, seconds: context.seconds };
      await load(`${base}/whoami`, headers, { connections: 10, seconds: 1 }); // warm-up
      const empty = await load(`${base}/whoami`, headers, options);
      const card = await load(`${base}/deals/${deal!.crm_id}/card`, headers, options);
      return {
        reconcile: reconciled,
        sync: {
          records: synced!.accounts + synced!.deals,
          seconds: Number(syncSeconds.toFixed(2)),
          recordsPerSecond: Math.round((synced!.accounts + synced!.deals) / syncSeconds),
        },
        emptyEndpoint: empty,
        card,
        cardP99OverEmptyP99: Number((card.p99 / Math.max(empty.p99, 1)).toFixed(2)),
      };
    } finally {
      await http.close();
    }
  } finally {
    await crmSync.close();
    await reconcileQueue.close();
    await sandbox.close();
    await db.query(`drop schema ${schema} cascade`);
    await db.close();
  }
}
