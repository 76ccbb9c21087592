import { randomBytes } from 'node:crypto';

import { QueueEvents } from 'bullmq';

import { type Database, openPostgres } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createTenant } from '../server/db/tenants';
import { CommissionsQueue, type QueueSettings } from '../server/queue/queues';
import { startCommissionsWorker } from '../server/queue/workers/commissions-worker';
import { saveProgram } from '../server/registrations/program-store';
import { parseProgram } from '../src/program/program';
import { type BenchContext, silent } from './lib/context';

const DEALS = Number(process.env.BENCH_LEDGER_DEALS ?? 100_000);
/** The baseline (a transaction per deal) runs on fewer deals; its rate is what is compared. */
const BASELINE_DEALS = Math.min(DEALS, 5_000);
const PARTNERS = 500;

const PROGRAM = parseProgram({
  rates: [
    { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
    { partnerType: 'referral', tier: '*', role: 'sourced', rateBps: 1500 },
    { partnerType: '*', tier: '*', role: 'influenced', rateBps: 500, capMinor: 500000 },
    {
      partnerType: '*',
      tier: '*',
      role: 'sourced',
      rateBps: 1000,
      bands: [{ uptoMinor: 2_000_000, rateBps: 1000 }, { rateBps: 1500 }],
    },
  ],
});

/**
 * A tenant of `deals` won deals, each sourced by one of 500 partners, half of them influenced by
 * another at 50 %, one in a hundred refunded within the clawback window. Written set-based in SQL.
 */
async function seedTenant(db: Database, deals: number): Promise<string> {
  if (!PROGRAM.ok) throw new Error(PROGRAM.error.message);
  const tenant = await createTenant(db, { name: `Ledger bench ${deals}` });
  await saveProgram(db, tenant.id, PROGRAM.value, 'bench');
  await db.query(
    `insert into partners (tenant_id, id, name, type, tier)
     select $1, gen_random_uuid(), 'Partner ' || g, (array['reseller', 'referral', 'system_integrator', 'msp'])[1 + g % 4],
            (array['registered', 'silver', 'gold', 'platinum'])[1 + (g / 4) % 4]
       from generate_series(1, $2) g`,
    [tenant.id, PARTNERS],
  );
  await db.query(
    `insert into deals (tenant_id, crm_id, name, amount, currency, stage, closed_at)
     select $1, 'bench-' || g, 'Deal ' || g, 1000 + (g * 7919) % 99000 + ((g * 13) % 100) / 100.0, 'USD', 'won',
            '2026-01-01T00:00:00Z'::timestamptz + (g % 300) * interval '1 day'
       from generate_series(1, $2) g`,
    [tenant.id, deals],
  );
  await db.query(
    `with p as (select array_agg(id order by name) as ids from partners where tenant_id = $1),
          d as (select id, substr(crm_id, 7)::int as g from deals where tenant_id = $1)
     insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin)
     select $1, d.id, p.ids[1 + d.g % $2], 'sourced', 100, 'crm' from d, p
     union all
     select $1, d.id, p.ids[1 + (d.g * 31 + 7) % $2], 'influenced', 50, 'crm' from d, p where d.g % 2 = 0`,
    [tenant.id, PARTNERS],
  );
  await db.query(
    `insert into refunds (tenant_id, deal_id, refunded_at, amount_minor, currency, recorded_by)
     select tenant_id, id, closed_at + interval '10 days', round(amount * 10), 'USD', 'bench'
       from deals where tenant_id = $1 and substr(crm_id, 7)::int % 100 = 0`,
    [tenant.id],
  );
  await db.query('analyze');
  return tenant.id;
}

const countEntries = async (db: Database, tenantId: string) =>
  Number(
    (
      await db.query<{ n: string }>(
        'select count(*)::text as n from ledger_entries where tenant_id = $1',
        [tenantId],
      )
    )[0]!.n,
  );

/** One commissions job through the queue and a worker, timed from enqueue to completion. */
async function runJob(
  db: Database,
  settings: QueueSettings,
  queue: CommissionsQueue,
  events: QueueEvents,
  tenantId: string,
  batchSize: number,
) {
  const worker = startCommissionsWorker(settings, { db, logger: silent, batchSize });
  try {
    await worker.waitUntilReady();
    const before = await countEntries(db, tenantId);
    const started = performance.now();
    const jobId = await queue.recompute(tenantId);
    const job = (await queue.queue.getJob(jobId))!;
    const result = (await job.waitUntilFinished(events, 30 * 60_000)) as {
      checked: number;
      errors: number;
    };
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds: Number(seconds.toFixed(2)),
      dealsRecomputed: result.checked,
      dealsPerSecond: result.checked > 0 ? Math.round(result.checked / seconds) : null,
      rowsAdded: (await countEntries(db, tenantId)) - before,
      errors: result.errors,
    };
  } finally {
    await worker.close();
  }
}

/**
 * 100,000 won deals through the commissions worker into Postgres; then the same job again (nothing
 * changed: nothing to do), and once more with every deal forced through (idempotency: zero rows).
 * Baseline in the same run: the same worker at one deal per transaction, on 5,000 deals.
 */
export async function ledgerWorkerBench(context: BenchContext) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres(context.databaseUrl, schema);
  const settings = { redisUrl: context.redisUrl, prefix: schema };
  const queue = new CommissionsQueue(settings);
  const events = new QueueEvents(queue.name, {
    connection: { url: settings.redisUrl },
    prefix: schema,
  });
  try {
    await migrate(db);
    await events.waitUntilReady();
    const seedStarted = performance.now();
    const tenantId = await seedTenant(db, DEALS);
    const baselineTenant = await seedTenant(db, BASELINE_DEALS);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const baseline = await runJob(db, settings, queue, events, baselineTenant, 1);
    const first = await runJob(db, settings, queue, events, tenantId, 500);
    const unchanged = await runJob(db, settings, queue, events, tenantId, 500);
    await db.query('delete from commission_states where tenant_id = $1', [tenantId]);
    const forced = await runJob(db, settings, queue, events, tenantId, 500);
    return {
      deals: DEALS,
      seedSeconds: Number(seedSeconds.toFixed(1)),
      baselineOneDealPerTransaction: { deals: BASELINE_DEALS, ...baseline },
      firstRun: first,
      secondRunNothingChanged: unchanged,
      everyDealForcedAgain: forced,
      speedupOverBaseline:
        first.dealsPerSecond && baseline.dealsPerSecond
          ? Number((first.dealsPerSecond / baseline.dealsPerSecond).toFixed(1))
          : null,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await events.close();
    await queue.close();
    await db.query(`drop schema ${schema} cascade`);
    await db.close();
  }
}
