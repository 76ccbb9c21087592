import { randomUUID } from 'node:crypto';

import { Client } from '@hubspot/api-client';

import { REGISTRATION_SWEEP } from '../../server/queue/workers/registration-sweep-worker';
import { eventually, FAULT_PORTAL, FaultCluster, PROGRAM } from '../support/fault-cluster';

// More than a few pages and batches of each, so that a kill lands in the middle.
const SIZE = { partners: 30, companies: 600, deals: 2400 };
const EXPIRING = 3000;

describe('a worker process killed with SIGKILL in the middle of each kind of job', () => {
  const cluster = new FaultCluster({ size: SIZE });
  let worker: Awaited<ReturnType<FaultCluster['startWorker']>>;
  const kills: Record<string, number> = {};

  const dealsMirrored = async () =>
    Number(
      (
        await cluster.database.db.query<{ n: string }>(
          'select count(*)::text as n from deals where tenant_id = $1',
          [cluster.tenant.id],
        )
      )[0]!.n,
    );
  /** Kills the worker once `queue` has a job at work (and `also` holds), then starts another. */
  const killDuring = async (queue: string, also?: () => Promise<boolean>) => {
    await cluster.whenActive(queue, also);
    await cluster.kill(worker);
    kills[queue] = (kills[queue] ?? 0) + 1;
    worker = await cluster.startWorker();
  };
  const expectConverged = async () => {
    await cluster.settled();
    const { mirror, crm } = await cluster.mirrorAndCrm();
    expect(mirror.deals).toEqual(crm.deals);
    expect(mirror.companies).toBe(crm.companies);
    const ledger = await FaultCluster.ledgerTotals(cluster.database, cluster.tenant.id);
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger).toEqual(await cluster.cleanLedger());
  };

  beforeAll(async () => {
    await cluster.start();
    worker = await cluster.startWorker();
  });
  afterAll(async () => {
    console.log(`faults injected (SIGKILL per queue): ${JSON.stringify(kills)}`);
    await cluster.stop();
  });

  it('crm-sync: the sync runs again to the end, and the mirror equals the CRM', async () => {
    expect((await cluster.call('POST', '/api/v1/sync')).status).toBe(202);
    await killDuring('crm-sync', async () => (await dealsMirrored()) > 0);
    const atKill = await dealsMirrored();
    expect(atKill).toBeLessThan(SIZE.deals);
    await expectConverged();
  });

  it('reconcile and commissions: the cascade after a sync finishes, the ledger exact to the minor unit', async () => {
    expect((await cluster.call('POST', '/api/v1/sync')).status).toBe(202);
    await killDuring('reconcile');
    await killDuring('commissions');
    await expectConverged();
  });

  it('commissions mid-batch after a program change: every deal recomputed once', async () => {
    const current = await cluster.call('GET', '/api/v1/program');
    const program = {
      ...PROGRAM,
      rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 777 }, ...PROGRAM.rates],
    };
    const saved = await cluster.call('PUT', '/api/v1/program', {
      version: current.body.version,
      program,
      confirm: true,
    });
    expect(saved.status).toBe(200);
    await killDuring('commissions');
    await expectConverged();
  });

  it("crm-changes: HubSpot's webhooks are all worked, the mirror takes every change", async () => {
    const hubspot = new Client({
      accessToken: cluster.sandbox.store.grantPrivateAppToken(FAULT_PORTAL),
      basePath: cluster.sandbox.url,
      // The workers share the portal's 110 calls per 10 s: the client waits out a 429 and retries.
      numberOfApiCallRetries: 6,
    });
    // The kill waits for the first change's job, while the edits go on.
    const killed = killDuring('crm-changes');
    // One at a time, as an AE edits them (the local HubSpot answers 110 calls per 10 s).
    const deals = [...cluster.sandbox.store.portal(FAULT_PORTAL)!.objects.deals.keys()].slice(
      0,
      80,
    );
    for (const [i, id] of deals.entries())
      await hubspot.crm.deals.basicApi.update(id, {
        properties: { amount: String(10_000 + i + 0.37) },
      });
    await killed;
    await expectConverged();
  });

  it('the registration sweep: every registration past its window expired exactly once', async () => {
    const [partner] = await cluster.database.db.query<{ id: string }>(
      'select id from partners where tenant_id = $1 order by id limit 1',
      [cluster.tenant.id],
    );
    const past = new Date(Date.now() - 100 * 86_400_000);
    await cluster.database.db.query(
      `insert into registrations (tenant_id, id, partner_id, company_name, submitted_at, status, verdict, window_start, window_end)
       select $1, gen_random_uuid(), $2, 'Expiring ' || n, $3, 'approved', 'approved', $3, $4
         from generate_series(1, $5) as n`,
      [cluster.tenant.id, partner!.id, past, new Date(past.getTime() + 90 * 86_400_000), EXPIRING],
    );
    await cluster.queues.get(REGISTRATION_SWEEP)!.add('sweep', {}, { jobId: randomUUID() });
    await killDuring(REGISTRATION_SWEEP);
    const counts = await eventually('every registration expired', async () => {
      const [row] = await cluster.database.db.query<{
        expired: string;
        decisions: string;
        twice: string;
      }>(
        `select (select count(*) from registrations where tenant_id = $1 and status = 'expired')::text as expired,
                (select count(*) from registration_decisions where tenant_id = $1 and action = 'expired')::text as decisions,
                (select count(*) from (select registration_id from registration_decisions where tenant_id = $1 and action = 'expired'
                                        group by registration_id having count(*) > 1) t)::text as twice`,
        [cluster.tenant.id],
      );
      return Number(row!.expired) === EXPIRING ? row : undefined;
    });
    expect(counts).toEqual({ expired: String(EXPIRING), decisions: String(EXPIRING), twice: '0' });
  });
});
