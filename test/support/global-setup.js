// Makes sure the services the integration tests use answer before any test runs: the real
// Postgres (TEST_DATABASE_URL) and Redis (TEST_REDIS_URL, or a redis-server started here).
require('tsx/cjs');
const { Client } = require('pg');
const { execFileSync } = require('node:child_process');
const { ensureRedis } = require('../../server/lib/redis-server.ts');
const pino = require('pino');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (error.code === '3D000') return createDatabase(url);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// A fresh cluster has no "test" database: create it through the maintenance database.
async function createDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new Client({ connectionString: target.toString(), connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`create database "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    return error.code === '42P04';
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function startLocalPostgres() {
  try {
    const version = execFileSync('ls', ['/etc/postgresql'], { encoding: 'utf8' })
      .trim()
      .split('\n')[0];
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
      stdio: 'ignore',
    });
  } catch {
    // not installed as a Debian cluster: the message below says what to do
  }
}

module.exports = async () => {
  process.env.TEST_DATABASE_URL ??= DEFAULT_DATABASE_URL;
  const url = process.env.TEST_DATABASE_URL;
  if (!(await postgresAnswers(url))) {
    startLocalPostgres();
    for (let i = 0; i < 20 && !(await postgresAnswers(url)); i++)
      await new Promise((r) => setTimeout(r, 500));
    if (!(await postgresAnswers(url))) {
      throw new Error(
        `The tests need PostgreSQL at TEST_DATABASE_URL (${url}). Install and start it (apt-get install postgresql), or point TEST_DATABASE_URL at one.`,
      );
    }
  }
  const redis = await ensureRedis({
    url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    autostart: true,
    dataDir: require('node:os').tmpdir() + '/partnerlens-test',
    logger: pino({ level: 'warn' }),
  });
  process.env.TEST_REDIS_URL = redis.url;
  globalThis.__partnerlensRedis = redis;
};
