import { archiveRecords, upsertDeals } from '../../../server/db/mirror';
import { createTenant } from '../../../server/db/tenants';
import { createDealRecord } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

/**
 * A full sync's page can be read before a webhook's re-read and written after it: the mirror keeps
 * the newer record, and a stale page does not bring back a record archived since.
 */
describe('the mirror under out-of-order writes', () => {
  let database: TestDatabase;
  let tenantId: string;
  const at = (iso: string) => new Date(iso);
  const deal = async (crmId: string) =>
    (
      await database.db.query<{ amount: string; archived: boolean }>(
        `select trim_scale(amount)::text as amount, archived_at is not null as archived
           from deals where tenant_id = $1 and crm_id = $2`,
        [tenantId, crmId],
      )
    )[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    tenantId = (await createTenant(database.db, { name: 'Order' })).id;
  });
  afterAll(() => database.drop());

  it('keeps the newer record when an older one is written after it', async () => {
    await upsertDeals(database.db, tenantId, 'hubspot', [
      createDealRecord({ crmId: '501', amount: '200', updatedAt: at('2026-12-01T10:05:00Z') }),
    ]);
    await upsertDeals(database.db, tenantId, 'hubspot', [
      createDealRecord({ crmId: '501', amount: '100', updatedAt: at('2026-12-01T10:00:00Z') }),
    ]);
    expect(await deal('501')).toEqual({ amount: '200', archived: false });
    await upsertDeals(database.db, tenantId, 'hubspot', [
      createDealRecord({ crmId: '501', amount: '300', updatedAt: at('2026-12-01T10:06:00Z') }),
    ]);
    expect(await deal('501')).toEqual({ amount: '300', archived: false });
  });

  it('does not bring back an archived record from a page as old as it, but does when restored', async () => {
    const record = createDealRecord({
      crmId: '502',
      amount: '50',
      updatedAt: at('2026-12-01T09:00:00Z'),
    });
    await upsertDeals(database.db, tenantId, 'hubspot', [record]);
    await archiveRecords(database.db, tenantId, 'hubspot', { accounts: [], deals: ['502'] });
    await upsertDeals(database.db, tenantId, 'hubspot', [record]);
    expect(await deal('502')).toMatchObject({ archived: true });
    await upsertDeals(database.db, tenantId, 'hubspot', [
      { ...record, updatedAt: at('2026-12-01T11:00:00Z') },
    ]);
    expect(await deal('502')).toMatchObject({ archived: false });
  });
});
