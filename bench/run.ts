import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureRedis } from '../server/lib/redis-server';
import { accountImportBench } from './account-import';
import { cardLarge } from './card-large';
import { cardLatency } from './card-latency';
import { hubspotLiveBench } from './hubspot-live';
import { ledgerWorkerBench } from './ledger-worker';
import { silent } from './lib/context';
import { reconcileBench } from './reconcile';
import { replayBench } from './replay';
import { salesforceSyncBench } from './salesforce-sync';
import { simulateBench } from './simulate';
import { soakBench } from './soak';

// `npm run bench [suite…]`: each suite measures against its baseline in the same run and the
// results go to bench/results/latest.json (and, by hand, to docs/performance.md).
const SUITES = {
  'account-import': accountImportBench,
  'card-latency': cardLatency,
  'card-large': cardLarge,
  'hubspot-live': hubspotLiveBench,
  'ledger-worker': ledgerWorkerBench,
  reconcile: reconcileBench,
  replay: replayBench,
  'salesforce-sync': salesforceSyncBench,
  simulate: simulateBench,
  soak: soakBench,
} as const;

async function main() {
  const wanted = process.argv.slice(2).filter((name) => !name.startsWith('-'));
  const unknown = wanted.filter((name) => !(name in SUITES));
  if (unknown.length > 0)
    throw new Error(
      `unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`,
    );
  const redis = await ensureRedis({
    url: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    autostart: true,
    dataDir: path.join(tmpdir(), 'partnerlens-bench'),
    logger: silent,
  });
  const context = {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: redis.url,
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
  };
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
  try {
    for (const [name, suite] of Object.entries(SUITES)) {
      if (wanted.length > 0 && !wanted.includes(name)) continue;
      process.stdout.write(`running ${name}…\n`);
      results[name] = await suite(context);
      process.stdout.write(`${JSON.stringify(results[name], null, 2)}\n`);
    }
  } finally {
    await redis.stop();
  }
  await mkdir(path.join(__dirname, 'results'), { recursive: true });
  await writeFile(
    path.join(__dirname, 'results', 'latest.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
