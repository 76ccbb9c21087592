// A commissions worker in a process of its own, for the test that kills it with SIGKILL mid-batch.
// Settings come from the environment the test gives it; it prints "ready" once it listens.
import pino from 'pino';

import { openPostgres } from '../../server/db/database';
import { startCommissionsWorker } from '../../server/queue/workers/commissions-worker';

async function run() {
  const env = process.env;
  const db = await openPostgres(env.TEST_DATABASE_URL!, env.WORKER_SCHEMA!);
  const worker = startCommissionsWorker(
    { redisUrl: env.TEST_REDIS_URL!, prefix: env.WORKER_PREFIX!, lockDurationMs: 2000 },
    { db, logger: pino({ level: 'silent' }), batchSize: Number(env.WORKER_BATCH_SIZE) },
  );
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
}

void run();
