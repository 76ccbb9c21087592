import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { recomputeStaleDeals, staleDeals } from '../../server/commissions/recompute-deals';
import { loadConfig } from '../../server/config';
import { storeHubSpotRefreshToken } from '../../server/crm/hubspot/credentials';
import { syncTenant } from '../../server/crm/sync';
import { issueApiKey } from '../../server/db/api-keys';
import { createTenant, type Tenant } from '../../server/db/tenants';
import { CryptoBox } from '../../server/lib/crypto-box';
import { upsertProgramPartners } from '../../server/partners/program-partners';
import { reconcileTenant } from '../../server/partners/reconcile-tenant';
import { QUEUE_NAMES } from '../../server/queue/queues';
import { REGISTRATION_SWEEP } from '../../server/queue/workers/registration-sweep-worker';
import { loadProgram, saveProgram } from '../../server/registrations/program-store';
import {
  type Ecosystem,
  generateEcosystem,
  programPartnersOf,
} from '../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../server/sandbox/server';
import { type Running, startPartnerLens } from '../../server/start';
import { hubspotCrms } from './crms';
import { createTestDatabase, silentLogger, type TestDatabase } from './services';

const APP = { clientId: 'fault-app', clientSecret: 'fault-secret' };
export const FAULT_PORTAL = '930';
const WORKER = path.join(__dirname, '../../server/worker.ts');
/** Every queue a worker process works, with the two swept on a schedule. */
export const ALL_QUEUES = [...Object.values(QUEUE_NAMES), REGISTRATION_SWEEP, 'crm-changes-sweep'];
export const PROGRAM = {
  autoApprove: { enabled: false, minTier: 'gold', maxAmount: 50000 },
  rates: [
    { partnerType: '*', tier: '*', role: 'sourced', rateBps: 1250 },
    { partnerType: '*', tier: '*', role: '*', rateBps: 333 },
  ],
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` answers something other than undefined, or fails after `ms` saying `what`. */
export async function eventually<T>(
  what: string | (() => string),
  check: () => Promise<T | undefined>,
  ms = 120_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${typeof what === 'string' ? what : what()}: not within ${ms} ms`);
    await sleep(everyMs);
  }
}

/**
 * PartnerLens as deployed: the API in this process and the workers in child processes
 * (`server/worker.ts`, ROLE=worker) on the real Postgres (a schema of its own, its connections
 * named so that only they are terminated) and Redis (a prefix of its own), against a local
 * HubSpot that sends the API its webhooks.
 */
export class FaultCluster {
  readonly prefix = `plf_${randomBytes(4).toString('hex')}`;
  /** The application_name of every Postgres connection of this cluster's processes. */
  readonly applicationName = this.prefix;
  private readonly key = randomBytes(32);
  readonly box = new CryptoBox(this.key);
  readonly dataDir = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-faults-'));
  database!: TestDatabase;
  sandbox!: RunningSandbox;
  ecosystem!: Ecosystem;
  tenant!: Tenant;
  apiKey!: string;
  api!: Running;
  workers: ChildProcess[] = [];
  queues = new Map<string, Queue>();
  redis!: Redis;

  constructor(
    private readonly options: {
      size: { partners: number; companies: number; deals: number };
      redisUrl?: string;
      /** Environment for the worker processes (e.g. QUEUE_RECOVERY_MS). */
      workerEnv?: NodeJS.ProcessEnv;
    },
  ) {}

  get redisUrl() {
    return this.options.redisUrl ?? process.env.TEST_REDIS_URL!;
  }

  private environment(): NodeJS.ProcessEnv {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.searchParams.set('application_name', this.applicationName);
    return {
      NODE_ENV: 'development',
      DATABASE_URL: url.toString(),
      DATABASE_SCHEMA: this.database.schema,
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: this.prefix,
      QUEUE_LOCK_MS: '2000',
      QUEUE_RECOVERY_MS: '1000',
      ENCRYPTION_KEY: this.key.toString('hex'),
      HUBSPOT_CLIENT_ID: APP.clientId,
      HUBSPOT_CLIENT_SECRET: APP.clientSecret,
      HUBSPOT_API_BASE: this.sandbox.url,
      SANDBOX: 'false',
      DATA_DIR: this.dataDir,
      // FAULT_LOG_LEVEL=warn shows what the processes say while a fault test runs.
      LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'silent',
      PORT: '0',
    };
  }

  async start(): Promise<void> {
    this.database = await createTestDatabase();
    this.ecosystem = generateEcosystem({
      seed: 16,
      now: new Date(new Date().toISOString().slice(0, 10)),
      size: this.options.size,
      portalId: FAULT_PORTAL,
    });
    this.sandbox = await startSandbox({
      port: 0,
      app: APP,
      ecosystems: [this.ecosystem],
      webhookTarget: () => (this.api?.apiUrl ? `${this.api.apiUrl}/webhooks/hubspot` : undefined),
    });
    this.tenant = await this.connectTenant(this.database, 'Fault Co');
    this.apiKey = (await issueApiKey(this.database.db, this.tenant.id, 'faults')).key;
    this.api = await startPartnerLens(
      loadConfig({}, { ...this.environment(), ROLE: 'api' }),
      silentLogger,
    );
    const program = await this.call('PUT', '/api/v1/program', { version: 0, program: PROGRAM });
    if (program.status !== 200) throw new Error(`program not saved: ${program.status}`);
    this.redis = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    for (const name of ALL_QUEUES) {
      const queue = new Queue(name, { connection: { url: this.redisUrl }, prefix: this.prefix });
      // While Redis is away (the restart test) the test's own watchers just wait.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    this.redis.on('error', () => undefined);
  }

  /** A tenant connected to the local HubSpot's portal, with the portal's program partners. */
  async connectTenant(database: TestDatabase, name: string): Promise<Tenant> {
    const tenant = await createTenant(database.db, { name, hubspotPortalId: FAULT_PORTAL });
    await storeHubSpotRefreshToken(
      database.db,
      this.box,
      tenant.id,
      this.sandbox.store.grantRefreshToken(FAULT_PORTAL),
    );
    await upsertProgramPartners(database.db, tenant.id, programPartnersOf(this.ecosystem));
    return tenant;
  }

  async call(method: string, route: string, body?: unknown) {
    const response = await fetch(`${this.api.apiUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A worker process (`server/worker.ts`), once it says it is ready. */
  async startWorker(env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...process.env, ...this.environment(), ...this.options.workerEnv, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.workers.push(child);
    await new Promise<void>((resolve, reject) => {
      let said = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('Workers ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    return child;
  }

  /** SIGKILL: no drain, no cleanup, as when a machine dies. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Waits until one of `queue`'s jobs is being worked, then answers (to kill the worker then). */
  async whenActive(queue: string, also: () => Promise<boolean> = async () => true) {
    return eventually(
      `a ${queue} job at work`,
      async () =>
        (await this.queues.get(queue)!.getActiveCount()) > 0 && (await also()) ? true : undefined,
      120_000,
      5,
    );
  }

  /** Deletes every Redis key of this cluster's prefix (never the shared Redis's others). */
  async flushRedis(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  /** Terminates this cluster's Postgres connections (its application_name), answering how many. */
  async terminateBackends(): Promise<number> {
    const rows = await this.database.db.query<{ terminated: boolean }>(
      `select pg_terminate_backend(pid) as terminated from pg_stat_activity
        where application_name = $1 and pid <> pg_backend_pid()`,
      [this.applicationName],
    );
    return rows.filter((row) => row.terminated).length;
  }

  /** Nothing left to do: no request unsettled, no change unread, no deal's ledger behind, no job waiting or running. */
  async settled(ms = Number(process.env.FAULT_SETTLE_MS ?? 180_000)): Promise<void> {
    let left = '';
    await eventually(
      () => `all work done (left: ${left})`,
      async () => {
        const db = this.database.db;
        const [open] = await db.query<{ requests: string; changes: string }>(
          `select (select count(*) from job_requests)::text as requests,
                  (select count(*) from crm_change_events where processed_at is null)::text as changes`,
        );
        const jobs: Record<string, Record<string, number>> = {};
        for (const name of Object.values(QUEUE_NAMES)) {
          const counts = await this.queues
            .get(name)!
            .getJobCounts('active', 'waiting', 'delayed', 'prioritized');
          if (Object.values(counts).some((n) => n > 0)) jobs[name] = counts;
        }
        const stale = (await staleDeals(db, this.tenant.id)).length;
        left = JSON.stringify({ ...open, jobs, staleDeals: stale });
        if (open!.requests !== '0' || open!.changes !== '0') return undefined;
        if (Object.keys(jobs).length > 0 || stale > 0) return undefined;
        return true;
      },
      ms,
      250,
    );
  }

  /** The mirror's live deals and companies, in the CRM's own terms, beside the CRM's. */
  async mirrorAndCrm() {
    const portal = this.sandbox.store.portal(FAULT_PORTAL)!;
    const crmDeals = [...portal.objects.deals.values()]
      .map((deal) => ({
        id: deal.id,
        name: deal.properties.dealname ?? null,
        amount: deal.properties.amount ? String(Number(deal.properties.amount)) : null,
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const mirrorDeals = (
      await this.database.db.query<{ id: string; name: string | null; amount: string | null }>(
        `select crm_id as id, name, trim_scale(amount)::text as amount from deals
          where tenant_id = $1 and archived_at is null order by crm_id`,
        [this.tenant.id],
      )
    ).map((row) => ({ ...row, amount: row.amount === null ? null : String(Number(row.amount)) }));
    const crmCompanies = portal.objects.companies.size;
    const [mirrorCompanies] = await this.database.db.query<{ n: string }>(
      'select count(*)::text as n from accounts where tenant_id = $1 and archived_at is null',
      [this.tenant.id],
    );
    return {
      mirror: { deals: mirrorDeals, companies: Number(mirrorCompanies!.n) },
      crm: { deals: crmDeals.sort((a, b) => (a.id < b.id ? -1 : 1)), companies: crmCompanies },
    };
  }

  /** The ledger's net per partner (by name) and currency, in minor units. */
  static async ledgerTotals(database: TestDatabase, tenantId: string) {
    const rows = await database.db.query<{ partner: string; currency: string; total: string }>(
      `select p.name as partner, l.currency, sum(l.amount_minor)::text as total
         from ledger_entries l join partners p on p.tenant_id = l.tenant_id and p.id = l.partner_id
        where l.tenant_id = $1 and l.kind <> 'payout'
        group by p.name, l.currency order by p.name, l.currency`,
      [tenantId],
    );
    return rows;
  }

  /**
   * The ledger a clean run gives for the CRM as it is now: another schema and tenant, the same
   * portal and program, synced, reconciled and computed in this process with no fault.
   */
  async cleanLedger() {
    const clean = await createTestDatabase();
    try {
      const tenant = await this.connectTenant(clean, 'Clean Co');
      const { program } = await loadProgram(this.database.db, this.tenant.id);
      await saveProgram(clean.db, tenant.id, program, 'clean run');
      const crms = hubspotCrms(clean.db, this.box, { ...APP, apiBase: this.sandbox.url });
      await syncTenant({ db: clean.db, crms, logger: silentLogger }, tenant.id, {
        crm: 'hubspot',
        full: true,
      });
      await reconcileTenant(clean.db, tenant.id);
      await recomputeStaleDeals(clean.db, tenant.id);
      return await FaultCluster.ledgerTotals(clean, tenant.id);
    } finally {
      await clean.drop();
    }
  }

  async stop(): Promise<void> {
    for (const child of this.workers) await this.kill(child);
    this.sandbox.faults.current = undefined;
    await this.api?.stop();
    for (const queue of this.queues.values()) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await this.flushRedis().catch(() => undefined);
    this.redis?.disconnect();
    await this.sandbox?.close();
    await this.database?.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
