import { randomBytes } from 'node:crypto';

import jsforce from 'jsforce';

import { processChanges } from '../server/crm/changes';
import { CrmRegistry } from '../server/crm/port';
import { salesforceAdapter } from '../server/crm/salesforce/adapter';
import { SalesforceChangeStreams } from '../server/crm/salesforce/change-stream';
import { storeSalesforceTokens } from '../server/crm/salesforce/credentials';
import { syncTenant } from '../server/crm/sync';
import { issueApiKey } from '../server/db/api-keys';
import { type Database, openPostgres } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createTenant } from '../server/db/tenants';
import { createApp } from '../server/http/app';
import { CryptoBox } from '../server/lib/crypto-box';
import { listen } from '../server/lib/listen';
import { reconcileTenant } from '../server/partners/reconcile-tenant';
import { CrmSyncQueue, ReconcileQueue } from '../server/queue/queues';
import { salesforceId } from '../server/sandbox/salesforce/ids';
import {
  generateSalesforceOrg,
  SALESFORCE_DEMO_SIZE,
  SALESFORCE_LARGE_SIZE,
} from '../server/sandbox/seed/salesforce-org';
import { type RunningSalesforceSandbox, startSalesforceSandbox } from '../server/sandbox/server';
import { type BenchContext, silent } from './lib/context';

const APP = { clientId: 'bench', clientSecret: 'bench-secret' };
const VERSION = '62.0';
const NOW = new Date('2026-11-01T00:00:00Z');
/** An Enterprise org's daily allocation with 20 Salesforce licences (100,000 + 1,000 each). */
const ENTERPRISE_BUDGET = 120_000;
/** Opportunities read one by one for the per-record baseline (then scaled to the org). */
const PER_RECORD_SAMPLE = 2_000;
const CHANGES = 60;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function tenantOn(
  db: Database,
  box: CryptoBox,
  sandbox: RunningSalesforceSandbox,
  orgId: string,
) {
  const tenant = await createTenant(db, { name: `Bench ${randomBytes(3).toString('hex')}` });
  await storeSalesforceTokens(db, box, tenant.id, {
    ...sandbox.store.grantTokens(orgId),
    instanceUrl: sandbox.url,
    orgId,
  });
  return tenant;
}

/**
 * A full sync of a 100,000-opportunity org, as PartnerLens reads it (Bulk API 2.0 above 10,000
 * rows) and as the naive ways would (REST queries only; per-record reads of partner links), each
 * with the API calls it spends; then freshness: a change written through jsforce until the card
 * answers it, over 60 changes, through Change Data Capture.
 */
export async function salesforceSyncBench(context: BenchContext) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres(context.databaseUrl, schema);
  const box = new CryptoBox(randomBytes(32));
  const large = generateSalesforceOrg({ seed: 7, now: NOW, size: SALESFORCE_LARGE_SIZE });
  // The naive baselines would not fit a real org's day; the local one lets them run to the end.
  large.options.dailyApiLimit = 1_000_000;
  const demo = generateSalesforceOrg({
    seed: 42,
    now: NOW,
    size: SALESFORCE_DEMO_SIZE,
    orgId: salesforceId('00D', '5g', 4_000_042),
  });
  const sandbox = await startSalesforceSandbox({ port: 0, app: APP, orgs: [large, demo] });
  const app = { ...APP, loginUrl: sandbox.url, apiVersion: VERSION };
  const crmSync = new CrmSyncQueue({ redisUrl: context.redisUrl, prefix: schema });
  const reconcileQueue = new ReconcileQueue({ redisUrl: context.redisUrl, prefix: schema });
  try {
    await migrate(db);
    const usage = sandbox.store.apiUsage(large.options.orgId);
    const fullSync = async (bulkThreshold: number) => {
      const tenant = await tenantOn(db, box, sandbox, large.options.orgId);
      const crms = new CrmRegistry([
        salesforceAdapter({ db, box, salesforce: app, bulkThreshold }),
      ]);
      usage.set(0);
      const started = performance.now();
      const [result] = await syncTenant({ db, crms, logger: silent }, tenant.id, {
        crm: 'salesforce',
        full: true,
      });
      const seconds = (performance.now() - started) / 1000;
      const records = result!.accounts + result!.deals;
      return {
        records,
        seconds: Number(seconds.toFixed(1)),
        recordsPerSecond: Math.round(records / seconds),
        apiCalls: usage.used(),
        ofDeveloperBudget15k: `${((usage.used() / 15_000) * 100).toFixed(2)} %`,
        ofEnterpriseBudget120k: `${((usage.used() / ENTERPRISE_BUDGET) * 100).toFixed(3)} %`,
      };
    };
    const partnerLens = await fullSync(10_000);
    const restOnly = await fullSync(Number.MAX_SAFE_INTEGER);

    // Per-record: the opportunities in pages, then each one's partner links by its own query.
    const { accessToken } = sandbox.store.grantTokens(large.options.orgId);
    const conn = new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken,
      version: VERSION,
    });
    const ids = large.records.Opportunity!.slice(0, PER_RECORD_SAMPLE).map((o) => String(o.Id));
    usage.set(0);
    const sampleStarted = performance.now();
    for (const id of ids)
      await conn.query(
        `SELECT Id, AccountToId, Role, IsPrimary FROM OpportunityPartner WHERE OpportunityId = '${id}'`,
      );
    const perRecordSeconds = (performance.now() - sampleStarted) / 1000;
    const opportunities = large.records.Opportunity!.length;
    const links = large.records.Partner!.filter((p) => p.OpportunityId).length;
    const perRecordCalls = restOnly.apiCalls - Math.ceil(links / 2_000) + opportunities;
    const perRecord = {
      measuredOn: `${PER_RECORD_SAMPLE} opportunities, ${usage.used()} calls, ${perRecordSeconds.toFixed(1)} s`,
      extrapolatedSeconds: Number(
        (restOnly.seconds + (perRecordSeconds * opportunities) / PER_RECORD_SAMPLE).toFixed(0),
      ),
      extrapolatedApiCalls: perRecordCalls,
      ofDeveloperBudget15k: `${((perRecordCalls / 15_000) * 100).toFixed(0)} % (does not fit a day)`,
    };

    const freshness = await measureFreshness(db, box, sandbox, app, demo.options.orgId, {
      crmSync,
      reconcileQueue,
    });
    return {
      org: {
        opportunities,
        accounts: large.records.Account!.length,
        partnerLinks: links,
      },
      partnerLens,
      baselineRestOnly: restOnly,
      baselinePerRecordLinks: perRecord,
      freshness,
    };
  } finally {
    await crmSync.close();
    await reconcileQueue.close();
    await sandbox.close();
    await db.query(`drop schema if exists ${schema} cascade`);
    await db.close();
  }
}

async function measureFreshness(
  db: Database,
  box: CryptoBox,
  sandbox: RunningSalesforceSandbox,
  app: { clientId: string; clientSecret: string; loginUrl: string; apiVersion: string },
  orgId: string,
  queues: { crmSync: CrmSyncQueue; reconcileQueue: ReconcileQueue },
) {
  const tenant = await tenantOn(db, box, sandbox, orgId);
  const crms = new CrmRegistry([salesforceAdapter({ db, box, salesforce: app })]);
  const deps = { db, crms, logger: silent };
  await syncTenant(deps, tenant.id, { crm: 'salesforce', full: true });
  await reconcileTenant(db, tenant.id);
  const { key } = await issueApiKey(db, tenant.id, 'bench');
  const http = await listen(
    createApp({
      db,
      logger: silent,
      crmSync: queues.crmSync,
      reconcile: queues.reconcileQueue,
      hubspotClientSecret: 's',
      readiness: {},
      crms,
    }),
    0,
  );
  // Events of one tenant are re-read one batch after another, as the crm-changes worker would.
  let working: Promise<unknown> = Promise.resolve();
  const streams = new SalesforceChangeStreams({
    db,
    box,
    salesforce: app,
    logger: silent,
    onChanges: (tenantId) =>
      (working = working.then(() => processChanges(deps, tenantId, 'salesforce'))),
    onCatchUp: async () => undefined,
  });
  try {
    await streams.start();
    const { accessToken } = sandbox.store.grantTokens(orgId);
    const conn = new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken,
      version: VERSION,
    });
    const deals = await db.query<{ crm_id: string }>(
      `select crm_id from deals where tenant_id = $1 and stage = 'open' order by crm_id limit $2`,
      [tenant.id, CHANGES],
    );
    const delays: number[] = [];
    for (const [index, deal] of deals.entries()) {
      const amount = 500_000 + index;
      const started = performance.now();
      await conn.sobject('Opportunity').update({ Id: deal.crm_id, Amount: amount });
      for (;;) {
        const response = await fetch(
          `http://127.0.0.1:${http.port}/api/v1/deals/${deal.crm_id}/card`,
          { headers: { authorization: `Bearer ${key}` } },
        );
        const card = (await response.json()) as { deal: { amount: { amount: string } | null } };
        if (Number(card.deal.amount?.amount) === amount) break;
        if (performance.now() - started > 30_000)
          throw new Error('a change never reached the card');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      delays.push(performance.now() - started);
    }
    return {
      changes: delays.length,
      p50Ms: Math.round(percentile(delays, 50)),
      p95Ms: Math.round(percentile(delays, 95)),
      maxMs: Math.round(Math.max(...delays)),
      baselineSystemModstampPollEvery5Min:
        'p50 ≈ 150 s, p95 ≈ 285 s (half and 95 % of the interval; computed, not run)',
    };
  } finally {
    await streams.close();
    await http.close();
  }
}
