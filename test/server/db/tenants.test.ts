import { createTenant, findTenantByPortalId } from '../../../server/db/tenants';
import { createTestDatabase, type TestDatabase } from '../../support/services';

describe('finding a tenant by its HubSpot portal', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await createTenant(database.db, { name: 'Portal Co', hubspotPortalId: '4242' });
  });
  afterAll(() => database.drop());

  it('finds the portal it was installed in', async () => {
    expect((await findTenantByPortalId(database.db, '4242'))?.name).toBe('Portal Co');
  });

  // A webhook event names its portal in its body: any JSON a sender puts there reaches this.
  it.each(['', ' 4242', '-1', '1e+21', '4242.5', '99999999999999999999', '\u0664\u0662'])(
    'answers no tenant for %j, which is no portal id',
    async (text) => {
      await expect(findTenantByPortalId(database.db, text)).resolves.toBeUndefined();
    },
  );
});
