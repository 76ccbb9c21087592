import type { ChildProcess } from 'node:child_process';

import { Client } from '@hubspot/api-client';

import type { FaultOptions } from '../../server/sandbox/hubspot/rate-limit';
import { FAULT_PORTAL, FaultCluster, PROGRAM, sleep } from '../support/fault-cluster';

const SIZE = { partners: 30, companies: 500, deals: 2000 };

async function expectConverged(cluster: FaultCluster) {
  await cluster.settled();
  const { mirror, crm } = await cluster.mirrorAndCrm();
  expect(mirror.deals).toEqual(crm.deals);
  expect(mirror.companies).toBe(crm.companies);
  const ledger = await FaultCluster.ledgerTotals(cluster.database, cluster.tenant.id);
  expect(ledger.length).toBeGreaterThan(0);
  expect(ledger).toEqual(await cluster.cleanLedger());
}

describe("the cluster's Postgres connections terminated (pg_terminate_backend) in the middle of batches", () => {
  const cluster = new FaultCluster({ size: SIZE });
  let terminated = 0;
  let rounds = 0;

  /** Terminates the cluster's connections every 250 ms, `times` times, while the work goes on. */
  const terminateRepeatedly = async (times: number) => {
    for (let i = 0; i < times; i++) {
      terminated += await cluster.terminateBackends();
      rounds += 1;
      await sleep(250);
    }
  };

  beforeAll(async () => {
    await cluster.start();
    await cluster.startWorker();
  });
  afterAll(async () => {
    console.log(`faults injected: ${terminated} connections terminated in ${rounds} rounds`);
    await cluster.stop();
  });

  it('syncs, reconciles and computes the ledger to the end, nothing half-written', async () => {
    expect((await cluster.call('POST', '/api/v1/sync')).status).toBe(202);
    await cluster.whenActive('crm-sync');
    await terminateRepeatedly(12);
    expect(terminated).toBeGreaterThan(0);
    await expectConverged(cluster);
  });

  it('recomputes every deal of the ledger once after a program change', async () => {
    const current = await cluster.call('GET', '/api/v1/program');
    const saved = await cluster.call('PUT', '/api/v1/program', {
      version: current.body.version,
      program: {
        ...PROGRAM,
        rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 901 }, ...PROGRAM.rates],
      },
      confirm: true,
    });
    expect(saved.status).toBe(200);
    await cluster.whenActive('commissions');
    await terminateRepeatedly(8);
    await expectConverged(cluster);
  });
});

describe('the local HubSpot answering a storm of 429s and 5xx', () => {
  const cluster = new FaultCluster({ size: SIZE });
  const storm: FaultOptions = { every: 3, statuses: [429, 500, 502, 503] };
  let calls = 0;
  let worker: ChildProcess;

  beforeAll(async () => {
    await cluster.start();
    worker = await cluster.startWorker();
    // Each call the local HubSpot answers reads the faults once: a third of them fail.
    let current: FaultOptions | undefined;
    Object.defineProperty(cluster.sandbox.faults, 'current', {
      get: () => (current ? ((calls += 1), current) : undefined),
      set: (value: FaultOptions | undefined) => (current = value),
    });
  });
  afterAll(async () => {
    console.log(
      `faults injected: ${Math.floor(calls / storm.every)} CRM answers of ${calls} were 429 or 5xx`,
    );
    await cluster.stop();
  });

  it('mirrors the whole portal, losing no record to the failed calls', async () => {
    cluster.sandbox.faults.current = storm;
    expect((await cluster.call('POST', '/api/v1/sync')).status).toBe(202);
    await cluster.settled();
    cluster.sandbox.faults.current = undefined;
    await expectConverged(cluster);
  });

  it("takes every change HubSpot's webhooks announce while the storm goes on", async () => {
    const hubspot = new Client({
      accessToken: cluster.sandbox.store.grantPrivateAppToken(FAULT_PORTAL),
      basePath: cluster.sandbox.url,
      numberOfApiCallRetries: 6,
    });
    const deals = [...cluster.sandbox.store.portal(FAULT_PORTAL)!.objects.deals.keys()].slice(
      0,
      60,
    );
    // The edits go in first, then the storm starts as the changes are read back.
    for (const [i, id] of deals.entries())
      await hubspot.crm.deals.basicApi.update(id, {
        properties: { amount: String(20_000 + i + 0.11) },
      });
    cluster.sandbox.faults.current = storm;
    await cluster.settled();
    cluster.sandbox.faults.current = undefined;
    await expectConverged(cluster);
    await cluster.kill(worker);
  });
});
