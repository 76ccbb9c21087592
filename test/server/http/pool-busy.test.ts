import { issueApiKey } from '../../../server/db/api-keys';
import { openPostgres } from '../../../server/db/database';
import { createTenant } from '../../../server/db/tenants';
import { startTestApi, type TestApi } from '../../support/api';
import { createTestDatabase, type TestDatabase } from '../../support/services';

describe('when every pooled connection is taken', () => {
  let database: TestDatabase;
  let api: TestApi;
  let key: string;
  let busy: Awaited<ReturnType<typeof openPostgres>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const tenant = await createTenant(database.db, { name: 'Busy' });
    key = (await issueApiKey(database.db, tenant.id, 'k')).key;
    // A pool of its own for the API, so that holding its connections leaves the test's free.
    busy = await openPostgres(process.env.TEST_DATABASE_URL!, database.schema);
    api = await startTestApi(busy);
  });
  afterAll(async () => {
    await api.close();
    await busy.close();
    await database.drop();
  });

  it('answers 503 SERVICE.BUSY with Retry-After, not a 500, and answers again once one frees', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The pool hands out connections in the order asked: the call waits behind all ten.
    const holders = Array.from({ length: 10 }, () => busy.transaction(() => held));
    const refused = await api.call('GET', '/api/v1/whoami', key);
    release();
    await Promise.all(holders);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toEqual({
      error: { code: 'SERVICE.BUSY', message: expect.stringContaining('try again') },
    });
    expect((await api.call('GET', '/api/v1/whoami', key)).status).toBe(200);
  }, 20_000);
});
