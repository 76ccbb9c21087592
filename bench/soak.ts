import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from '@hubspot/api-client';
import { Redis } from 'ioredis';

import { SANDBOX_HUBSPOT_APP } from '../server/config';
import { type Database, openPostgres } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { ensureDemoTenant } from '../server/demo';
import { CryptoBox } from '../server/lib/crypto-box';
import { DEMO_PORTAL_ID, generateEcosystem } from '../server/sandbox/seed/ecosystem';
import { startSandbox } from '../server/sandbox/server';
import type { BenchContext } from './lib/context';
import { type ServiceProcess, startServiceProcess } from './lib/service-process';
import { slope } from './lib/soak-load';
import { soakLoad } from './lib/soak-mix';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const GIB = 1024;

/**
 * DESIGN.md §9's soak: the API (ROLE=api) and the workers (ROLE=worker, server/worker.ts) in
 * processes of their own on real Postgres and Redis, the local HubSpot in this one sending them
 * signed webhooks, under a fixed mixed load for SOAK_SECONDS: deal cards, registrations and their
 * decisions, and deals changed through @hubspot/api-client (each timed until its card shows it).
 * Answers p50/p99 and errors per kind, and each process's resident memory over the run.
 */
export async function soakBench(context: BenchContext) {
  const schema = `bench_soak_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-soak-'));
  const key = randomBytes(32);
  const db = await openPostgres(context.databaseUrl, schema);
  const processes: ServiceProcess[] = [];
  let apiUrl: string | undefined;
  const ecosystem = generateEcosystem({
    seed: 42,
    now: new Date(new Date().toISOString().slice(0, 10)),
    portalId: DEMO_PORTAL_ID,
  });
  const sandbox = await startSandbox({
    port: 0,
    app: SANDBOX_HUBSPOT_APP,
    ecosystems: [ecosystem],
    webhookTarget: () => (apiUrl ? `${apiUrl}/webhooks/hubspot` : undefined),
  });
  try {
    await migrate(db);
    const demo = await ensureDemoTenant(db, new CryptoBox(key), sandbox.store, ecosystem);
    const env = {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: context.databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: context.redisUrl,
      QUEUE_PREFIX: schema,
      ENCRYPTION_KEY: key.toString('hex'),
      SANDBOX: 'false',
      HUBSPOT_API_BASE: sandbox.url,
      HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_APP.clientId,
      HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_APP.clientSecret,
      LOG_LEVEL: 'warn',
    };
    const api = await startServiceProcess('server/main.ts', { ...env, ROLE: 'api' }, /http:\S+/);
    processes.push(api);
    apiUrl = api.ready;
    const worker = await startServiceProcess('server/worker.ts', env, /Workers ready/);
    processes.push(worker);
    const headers = { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' };

    const synced = await firstSync(apiUrl, headers);
    await reconciled(db, demo.tenant.id);
    const memory: Array<{ at: number; api: number; worker: number }> = [];
    const sample = async (at: number) =>
      memory.push({ at, api: await api.rssMiB(), worker: await worker.rssMiB() });
    await sample(0);
    const started = performance.now();
    const timer = setInterval(
      () => void sample(Math.round((performance.now() - started) / 1000)),
      SAMPLE_SECONDS * 1000,
    );
    const hubspot = new Client({
      accessToken: sandbox.store.grantPrivateAppToken(DEMO_PORTAL_ID),
      basePath: sandbox.url,
    });
    const loadAverageBefore = os.loadavg().map((n) => Number(n.toFixed(2)));
    const load = await soakLoad(
      { db, tenantId: demo.tenant.id, apiUrl, headers, hubspot },
      SECONDS,
    );
    clearInterval(timer);
    await sample(Math.round((performance.now() - started) / 1000));
    const failures =
      load.card.errors +
      load.registration.errors +
      load.decision.errors +
      load.webhookFreshness.errors +
      sandbox.webhooks!.stats.failed;
    return {
      seconds: SECONDS,
      // The machine's 1/5/15-minute load averages before and after: other work on it slows the run.
      loadAverage: {
        before: loadAverageBefore,
        after: os.loadavg().map((n) => Number(n.toFixed(2))),
      },
      cpus: os.cpus().length,
      errors: failures,
      targetErrors: 0,
      initialSync: synced,
      load,
      webhookDeliveries: sandbox.webhooks!.stats,
      loggedErrors: { api: api.errors.slice(0, 5), worker: worker.errors.slice(0, 5) },
      loggedErrorCount: api.errors.length + worker.errors.length,
      memory: { api: trend(memory, 'api'), worker: trend(memory, 'worker') },
      memorySamples: memory,
      targetRssMiB: GIB,
    };
  } finally {
    for (const running of processes.reverse()) await running.stop();
    await sandbox.close();
    await db.query(`drop schema if exists ${schema} cascade`);
    await db.close();
    await dropQueues(context.redisUrl, schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The demo tenant's first full sync, through the API and the worker process: how long it took. */
async function firstSync(apiUrl: string, headers: Record<string, string>) {
  const started = performance.now();
  const answer = await fetch(`${apiUrl}/api/v1/sync`, { method: 'POST', headers });
  const { jobId } = (await answer.json()) as { jobId: string };
  for (;;) {
    const job = (await (
      await fetch(`${apiUrl}/api/v1/sync/jobs/${jobId}`, { headers })
    ).json()) as {
      state?: string;
    };
    if (job.state === 'completed') break;
    if (job.state === 'failed') throw new Error(`the first sync failed: ${JSON.stringify(job)}`);
    if (performance.now() - started > 120_000) throw new Error('the first sync took over 2 min');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ms: Math.round(performance.now() - started) };
}

/** The reconcile the sync asked for has made the tenant's partners (their count holds for 2 s). */
async function reconciled(db: Database, tenantId: string) {
  const count = async () =>
    Number(
      (
        await db.query<{ n: string }>('select count(*) as n from partners where tenant_id = $1', [
          tenantId,
        ])
      )[0]!.n,
    );
  const started = performance.now();
  for (
    let last = -1, now = await count();
    now === 0 || now !== last;
    last = now, now = await count()
  ) {
    if (performance.now() - started > 120_000) throw new Error('no partners after 2 min');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Start, end, peak, and the least-squares slope over the run and over its second half. */
function trend(samples: Array<{ at: number; api: number; worker: number }>, of: 'api' | 'worker') {
  const points = samples.map((s) => [s.at / 60, s[of]] as const);
  const half = points.filter(([minutes]) => minutes >= points[points.length - 1]![0] / 2);
  const floors: number[] = [];
  for (const [minutes, y] of points) {
    const minute = Math.min(Math.floor(minutes), Math.max(0, Math.ceil(points.at(-1)![0]) - 1));
    floors[minute] = Math.min(floors[minute] ?? Infinity, y);
  }
  return {
    startMiB: points[0]![1],
    endMiB: points[points.length - 1]![1],
    peakMiB: Math.max(...points.map(([, y]) => y)),
    slopeMiBPerMinute: round(slope(points)),
    secondHalfSlopeMiBPerMinute: round(slope(half)),
    // The heap grows between major collections and drops at each: the lowest sample of each
    // minute is the floor a leak would raise.
    minuteFloorsMiB: floors,
    floorSlopeMiBPerMinute: round(slope(floors.map((y, minute) => [minute, y] as const))),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

async function dropQueues(redisUrl: string, prefix: string) {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
