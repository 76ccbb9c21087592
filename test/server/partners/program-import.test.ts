import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { reconcileTenant } from '../../../server/partners/reconcile-tenant';
import { startTestApi, type TestApi } from '../../support/api';
import { createTestDatabase, type TestDatabase } from '../../support/services';

interface Report {
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  errors: Array<{ line: number; column?: string; message: string }>;
  error?: { code: string; message: string; details?: Array<{ path: string }> };
}

const HEADER =
  'partner_id,name,domain,type,tier,status,partner_manager,regions,verticals,certifications';

describe('POST /api/v1/partners/import', () => {
  let database: TestDatabase;
  let api: TestApi;
  let tenant: Tenant;
  let key: string;
  let otherKey: string;

  const upload = (csv: unknown, apiKey = key) =>
    api.call<Report>('POST', '/api/v1/partners/import', apiKey, { csv });
  const programRows = (tenantId = tenant.id) =>
    database.db.query<{ external_id: string; tier: string; partner_manager: string | null }>(
      'select external_id, tier, partner_manager from program_partners where tenant_id = $1 order by external_id',
      [tenantId],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await createTenant(database.db, { name: 'Import Co' });
    const other = await createTenant(database.db, { name: 'Other Co' });
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    otherKey = (await issueApiKey(database.db, other.id, 'admin')).key;
    api = await startTestApi(database.db);
  });

  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('writes the good rows, reports each bad one by line and column, and they become partners', async () => {
    const { status, body } = await upload(
      [
        HEADER,
        'P-1,Northwind Cloud,northwind.com,reseller,gold,active,Maya Chen,NA;EMEA,COMPUTER_SOFTWARE,Certified Implementer',
        'P-2,Fabrikam,fabrikam.io,system_integrator,diamond,active,,,,',
        'P-3,,nameless.com,reseller,gold,active,,,,',
        'P-4,Contoso,contoso.com,wizard,silver,active,,,,',
        'P-1,Northwind Again,northwind.com,reseller,gold,active,,,,',
        'P-5,Tailspin,tailspin.com,,registered,inactive,,,,',
      ].join('\n'),
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({ rowsRead: 6, rowsKept: 2, rowsRejected: 4 });
    expect(body.errors).toEqual([
      { line: 3, column: 'tier', message: expect.stringContaining('"diamond" is not one of') },
      { line: 4, column: 'name', message: 'must not be empty' },
      { line: 5, column: 'type', message: expect.stringContaining('must be one of reseller') },
      { line: 6, column: 'partner_id', message: 'repeats the partner_id of line 2' },
    ]);
    expect(await programRows()).toEqual([
      { external_id: 'P-1', tier: 'gold', partner_manager: 'Maya Chen' },
      { external_id: 'P-5', tier: 'registered', partner_manager: null },
    ]);
    await reconcileTenant(database.db, tenant.id);
    const partners = await api.call<{
      items: Array<{ name: string; partnerManager: string | null }>;
    }>('GET', '/api/v1/partners', key);
    expect(partners.body.items.map((p) => p.name)).toEqual(['Northwind Cloud', 'Tailspin']);
  });

  it('refuses a file without the columns it needs and writes nothing', async () => {
    const before = await programRows();
    const { status, body } = await upload('company,website\nAcme,acme.com\n');
    expect(status).toBe(400);
    expect(body.error!.code).toBe('CSV.HEADER');
    expect(body.error!.message).toMatch(/lacks partner_id, name, tier, status/);
    expect(await programRows()).toEqual(before);
  });

  it('refuses a body without csv, naming the field', async () => {
    const { status, body } = await api.call<Report>('POST', '/api/v1/partners/import', key, {});
    expect(status).toBe(400);
    expect(body.error!.details!.map((d) => d.path)).toContain('csv');
  });

  it("writes into the caller's tenant only", async () => {
    await upload(`${HEADER}\nP-9,Elsewhere,elsewhere.com,reseller,gold,active,,,,`, otherKey);
    expect((await programRows()).map((r) => r.external_id)).toEqual(['P-1', 'P-5']);
  });
});
