import { type ChildProcess, spawn } from 'node:child_process';

import { freePort, redisAnswers } from '../../server/lib/redis-server';
import { REGISTRATION_SWEEP } from '../../server/queue/workers/registration-sweep-worker';
import { eventually, FaultCluster, PROGRAM, sleep } from '../support/fault-cluster';

const SIZE = { partners: 30, companies: 500, deals: 2000 };

/** A redis-server of this test's own, without persistence: a restart comes back empty. */
async function startPrivateRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await eventually('redis-server up', async () =>
    (await redisAnswers(`redis://127.0.0.1:${port}`, 300)) ? true : undefined,
  );
  return child;
}

async function expectConverged(cluster: FaultCluster) {
  await cluster.settled();
  const { mirror, crm } = await cluster.mirrorAndCrm();
  expect(mirror.deals).toEqual(crm.deals);
  expect(mirror.companies).toBe(crm.companies);
  const ledger = await FaultCluster.ledgerTotals(cluster.database, cluster.tenant.id);
  expect(ledger.length).toBeGreaterThan(0);
  expect(ledger).toEqual(await cluster.cleanLedger());
}

const changeProgram = async (cluster: FaultCluster, rateBps: number) => {
  const current = await cluster.call('GET', '/api/v1/program');
  const saved = await cluster.call('PUT', '/api/v1/program', {
    version: current.body.version,
    program: {
      ...PROGRAM,
      rates: [{ partnerType: '*', tier: '*', role: '*', rateBps }, ...PROGRAM.rates],
    },
    confirm: true,
  });
  expect(saved.status).toBe(200);
};

describe("Redis's keys deleted (the test's prefix) while work is queued or under way", () => {
  const cluster = new FaultCluster({ size: SIZE });
  let worker: ChildProcess;
  const flushes: number[] = [];

  beforeAll(async () => {
    await cluster.start();
  });
  afterAll(async () => {
    console.log(
      `faults injected (Redis prefix flushes, keys deleted each): ${JSON.stringify(flushes)}`,
    );
    await cluster.stop();
  });

  it('gives a sync asked for while no worker ran, its job gone from Redis, a job again from Postgres', async () => {
    expect((await cluster.call('POST', '/api/v1/sync')).status).toBe(202);
    flushes.push(await cluster.flushRedis());
    expect(flushes.at(-1)).toBeGreaterThan(0);
    worker = await cluster.startWorker();
    await expectConverged(cluster);
  });

  it('finishes a sync and its cascade when the keys go while the sync runs', async () => {
    expect((await cluster.call('POST', '/api/v1/sync')).status).toBe(202);
    await cluster.whenActive('crm-sync');
    flushes.push(await cluster.flushRedis());
    await expectConverged(cluster);
  });

  it('recomputes the ledger when the keys go while the commissions job runs', async () => {
    await changeProgram(cluster, 555);
    await cluster.whenActive('commissions');
    flushes.push(await cluster.flushRedis());
    await expectConverged(cluster);
  });

  it('schedules the periodic sweeps again', async () => {
    flushes.push(await cluster.flushRedis());
    for (const queue of [REGISTRATION_SWEEP, 'crm-changes-sweep'])
      await eventually(`${queue} scheduled again`, async () =>
        (await cluster.queues.get(queue)!.getJobScheduler('sweep')) ? true : undefined,
      );
    await cluster.kill(worker);
  });
});

describe('Redis restarted empty (killed, started again without its data) in the middle of a run', () => {
  let port: number;
  let redis: ChildProcess;
  let cluster: FaultCluster;
  let restarts = 0;

  beforeAll(async () => {
    port = await freePort();
    redis = await startPrivateRedis(port);
    cluster = new FaultCluster({ size: SIZE, redisUrl: `redis://127.0.0.1:${port}` });
    await cluster.start();
    await cluster.startWorker();
  });
  afterAll(async () => {
    console.log(`faults injected (Redis restarts): ${restarts}`);
    await cluster.stop();
    redis.kill('SIGKILL');
  });

  const restart = async () => {
    const exited = new Promise((resolve) => redis.once('exit', resolve));
    redis.kill('SIGKILL');
    await exited;
    await sleep(1000);
    redis = await startPrivateRedis(port);
    restarts += 1;
  };

  it('syncs, reconciles and computes the ledger to the end after a restart mid-sync', async () => {
    expect((await cluster.call('POST', '/api/v1/sync')).status).toBe(202);
    await cluster.whenActive('crm-sync');
    await restart();
    await expectConverged(cluster);
  });

  it('recomputes the ledger after a restart mid-commissions', async () => {
    await changeProgram(cluster, 444);
    await cluster.whenActive('commissions');
    await restart();
    await expectConverged(cluster);
  });
});
