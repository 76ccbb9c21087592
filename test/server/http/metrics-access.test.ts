import { createApp } from '../../../server/http/app';
import { listen } from '../../../server/lib/listen';
import { CrmSyncQueue, ReconcileQueue } from '../../../server/queue/queues';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

const TOKEN = 'metrics-token-'.padEnd(40, 'x');

/** Who may read GET /metrics (docs/reliability.md): the METRICS_TOKEN bearer, or loopback only. */
describe('GET /metrics', () => {
  let database: TestDatabase;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await database.drop();
  });

  async function serve(metricsToken?: string) {
    const settings = testQueueSettings();
    const crmSync = new CrmSyncQueue(settings);
    const reconcile = new ReconcileQueue(settings);
    const server = await listen(
      createApp({
        db: database.db,
        logger: silentLogger,
        crmSync,
        reconcile,
        hubspotClientSecret: 's',
        readiness: {},
        ...(metricsToken ? { metricsToken } : {}),
      }),
      0,
    );
    closers.push(async () => {
      await server.close();
      await Promise.all([crmSync.close(), reconcile.close()]);
    });
    return (headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${server.port}/metrics`, { headers });
  }

  it('with a token, answers its bearer only', async () => {
    const get = await serve(TOKEN);
    expect((await get()).status).toBe(401);
    expect((await get({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    const scraped = await get({ authorization: `Bearer ${TOKEN}` });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/process_cpu_user_seconds_total/);
  });

  it('without a token, answers loopback callers and refuses a client behind the proxy', async () => {
    const get = await serve();
    expect((await get()).status).toBe(200);
    // Through a loopback reverse proxy the client is the forwarded address (trust proxy loopback).
    const remote = await get({ 'x-forwarded-for': '203.0.113.9' });
    expect(remote.status).toBe(403);
    expect(((await remote.json()) as { error: { code: string } }).error.code).toBe(
      'METRICS.FORBIDDEN',
    );
  });
});
