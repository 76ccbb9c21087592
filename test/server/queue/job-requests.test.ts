import { createTenant } from '../../../server/db/tenants';
import { pendingJobRequests } from '../../../server/queue/job-requests';
import { CommissionsQueue, QUEUE_NAMES } from '../../../server/queue/queues';
import { addAndWait } from '../../../server/queue/wait-for-job';
import { startRecoverySweep } from '../../../server/queue/workers/recovery-sweep';
import { startWorker } from '../../../server/queue/workers/start-worker';
import {
  createTestDatabase,
  DATABASE_KINDS,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

describe.each(DATABASE_KINDS)('job requests kept in Postgres beside Redis (%s)', (kind) => {
  let database: TestDatabase;
  let tenantId: string;
  const requests = () =>
    database.db.query<{ dedup_id: string; version: number }>(
      'select dedup_id, version from job_requests order by dedup_id',
    );

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    tenantId = (await createTenant(database.db, { name: 'Requests Co' })).id;
  });
  afterAll(() => database.drop());

  it('writes the request before the job and settles it once a job has done the work', async () => {
    const settings = { ...testQueueSettings(), jobRequests: database.db };
    const queue = new CommissionsQueue(settings);
    let seen: Array<{ dedup_id: string }> = [];
    const worker = startWorker(
      QUEUE_NAMES.commissions,
      settings,
      async () => void (seen = await requests()),
      silentLogger,
    );
    try {
      await addAndWait(settings, QUEUE_NAMES.commissions, () => queue.recompute(tenantId), 20_000);
      expect(seen.map((row) => row.dedup_id)).toEqual([`commissions-${tenantId}`]);
      expect(await requests()).toEqual([]);
    } finally {
      await worker.close();
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('keeps a request made while its job runs for the job after it', async () => {
    const settings = { ...testQueueSettings(), jobRequests: database.db };
    const queue = new CommissionsQueue(settings);
    const gate = () => {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      return { promise, resolve };
    };
    const gates = [gate(), gate()];
    let runs = 0;
    const worker = startWorker(
      QUEUE_NAMES.commissions,
      settings,
      async () => {
        runs += 1;
        await gates[runs - 1]!.promise;
      },
      silentLogger,
    );
    const until = async (done: () => Promise<boolean> | boolean) => {
      for (let i = 0; i < 250 && !(await done()); i++) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      await queue.recompute(tenantId);
      await until(() => runs === 1);
      await queue.recompute(tenantId);
      expect((await requests()).map((row) => row.version)).toEqual([2]);
      gates[0]!.resolve();
      await until(() => runs === 2);
      // The first job is done; the request made during it is still there for the second.
      expect((await requests()).map((row) => row.version)).toEqual([2]);
      gates[1]!.resolve();
      await until(async () => (await requests()).length === 0);
      expect(await requests()).toEqual([]);
    } finally {
      for (const gate of gates) gate.resolve();
      await worker.close();
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('gives a request whose job Redis lost a job again, and leaves one that has a job alone', async () => {
    const settings = { ...testQueueSettings(), jobRequests: database.db };
    const queue = new CommissionsQueue(settings);
    const sweep = startRecoverySweep({
      db: database.db,
      queues: [queue],
      schedules: [],
      logger: silentLogger,
      everyMs: 3_600_000,
    });
    try {
      await queue.recompute(tenantId);
      await database.db.query(`update job_requests set requested_at = now() - interval '2 hours'`);
      expect(await pendingJobRequests(database.db, 60_000)).toHaveLength(1);
      // A job waits in Redis: nothing to give.
      expect(await sweep.run()).toEqual({ requeued: 0 });
      await queue.queue.obliterate({ force: true });
      expect(await queue.queue.getWaitingCount()).toBe(0);
      expect(await sweep.run()).toEqual({ requeued: 1 });
      const [job] = await queue.queue.getWaiting();
      expect(job!.data).toEqual({ tenantId });
      expect(await sweep.run()).toEqual({ requeued: 0 });
    } finally {
      await sweep.close();
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await database.db.query('delete from job_requests');
    }
  });
});
