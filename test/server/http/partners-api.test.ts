import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { startTestApi, type TestApi } from '../../support/api';
import { createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

interface Page {
  items: Array<{ id: string; name: string; tier: string; sources: unknown[] }>;
  nextCursor: string | null;
  error?: { code: string };
}

describe('finding partners', () => {
  let database: TestDatabase;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  let otherKey: string;
  const names = [
    'Contoso Cloud',
    'Northwind Traders',
    'Northwind Cloud',
    'Fabrikam 100%_Labs',
    'Adatum',
  ];
  const partners = names.map((name, i) =>
    createPartnerInput({
      name,
      domain: `p${i}.example`,
      tier: i % 2 ? 'gold' : 'silver',
      hubspotCompanyId: `c${i}`,
    }),
  );
  const list = async (query: string, apiKey = key) =>
    (await api.call<Page>('GET', `/api/v1/partners${query}`, apiKey)).body;

  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await createTenant(database.db, { name: 'Finder Co' });
    const other = await createTenant(database.db, { name: 'Other' });
    key = (await issueApiKey(database.db, tenant.id, 'a')).key;
    otherKey = (await issueApiKey(database.db, other.id, 'a')).key;
    await upsertPartners(database.db, tenant.id, partners);
    api = await startTestApi(database.db);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('lists them by name, a page at a time', async () => {
    const first = await list('?limit=2');
    expect(first.items.map((p) => p.name)).toEqual(['Adatum', 'Contoso Cloud']);
    const rest = await list(`?limit=10&cursor=${first.nextCursor}`);
    expect(rest.items.map((p) => p.name)).toEqual([
      'Fabrikam 100%_Labs',
      'Northwind Cloud',
      'Northwind Traders',
    ]);
    expect(rest.nextCursor).toBeNull();
    expect(rest.items[0]!.sources).toEqual([{ source: 'hubspot', id: 'c3' }]);
  });

  it('finds them by part of the name or the domain, and filters by tier', async () => {
    expect((await list('?query=northwind')).items.map((p) => p.name)).toEqual([
      'Northwind Cloud',
      'Northwind Traders',
    ]);
    expect((await list('?query=p1.example')).items.map((p) => p.name)).toEqual([
      'Northwind Traders',
    ]);
    expect((await list('?query=100%25_')).items.map((p) => p.name)).toEqual(['Fabrikam 100%_Labs']);
    expect((await list('?query=_')).items.map((p) => p.name)).toEqual(['Fabrikam 100%_Labs']);
    expect((await list('?tier=gold')).items.map((p) => p.name)).toEqual([
      'Fabrikam 100%_Labs',
      'Northwind Traders',
    ]);
  });

  it('shows one partner, and nothing of another tenant', async () => {
    const one = await api.call<{ name: string }>('GET', `/api/v1/partners/${partners[0]!.id}`, key);
    expect([one.status, one.body.name]).toEqual([200, 'Contoso Cloud']);
    expect((await api.call('GET', `/api/v1/partners/${partners[0]!.id}`, otherKey)).status).toBe(
      404,
    );
    expect((await list('', otherKey)).items).toEqual([]);
    expect((await api.call('GET', '/api/v1/partners?cursor=nonsense', key)).status).toBe(400);
  });
});
