import {
  replaceCrmDealPartners,
  setDealAccounts,
  upsertAccounts,
  upsertDeals,
} from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { refreshPartnerPerformance } from '../../../server/partners/performance';
import {
  createAccountRecord,
  createDealRecord,
  createPartnerInput,
  upsertPartners,
} from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;

describe('partner performance', () => {
  let database: TestDatabase;
  let tenant: Tenant;
  const alpha = createPartnerInput({ name: 'Alpha' });
  const beta = createPartnerInput({ name: 'Beta' });
  const ids = new Map<string, string>();

  const deal = async (
    crmId: string,
    fields: Parameters<typeof createDealRecord>[0],
    partners: Array<[string, string]>,
  ) => {
    const written = await upsertDeals(database.db, tenant.id, 'hubspot', [
      createDealRecord({ crmId, ...fields }),
    ]);
    ids.set(crmId, written.get(crmId)!);
    await setDealAccounts(database.db, tenant.id, new Map([[crmId, 'acc-1']]));
    await replaceCrmDealPartners(
      database.db,
      tenant.id,
      [written.get(crmId)!],
      partners.map(([partnerId, role]) => ({
        dealId: written.get(crmId)!,
        partnerId,
        role,
        sharePct: '100.00',
      })),
    );
  };
  const performanceOf = async (partnerId: string) =>
    (
      await database.db.query<Record<string, unknown>>(
        `select sourced_won_12m, influenced_won_12m, open_pipeline, won_12m, lost_12m, by_vertical, avg_cycle_days::text
           from partner_performance where tenant_id = $1 and partner_id = $2`,
        [tenant.id, partnerId],
      )
    )[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await createTenant(database.db, { name: 'Performance Co' });
    await upsertPartners(database.db, tenant.id, [alpha, beta]);
    await upsertAccounts(database.db, tenant.id, 'hubspot', [
      createAccountRecord({ crmId: 'acc-1', industry: 'COMPUTER_SOFTWARE' }),
    ]);
    const created = new Date(NOW - 100 * DAY);
    await deal(
      '1',
      { stage: 'won', amount: '10000.00', createdAt: created, closedAt: new Date(NOW - 40 * DAY) },
      [[alpha.id, 'sourced']],
    );
    await deal(
      '2',
      { stage: 'won', amount: '5000.50', createdAt: created, closedAt: new Date(NOW - 80 * DAY) },
      [[alpha.id, 'influenced']],
    );
    await deal('3', { stage: 'lost', amount: '700.00', closedAt: new Date(NOW - 10 * DAY) }, [
      [alpha.id, 'sourced'],
    ]);
    await deal('4', { stage: 'open', amount: '2000.00' }, [[alpha.id, 'sourced']]);
    await deal('5', { stage: 'won', amount: '99999.00', closedAt: new Date(NOW - 400 * DAY) }, [
      [alpha.id, 'sourced'],
    ]);
  });
  afterAll(() => database.drop());

  it('counts trailing-twelve-month won revenue by role, win rate by vertical, open pipeline and cycle', async () => {
    expect(await refreshPartnerPerformance(database.db, tenant.id, NOW)).toEqual({
      changedDeals: 5,
      partners: 1,
    });
    expect(await performanceOf(alpha.id)).toEqual({
      sourced_won_12m: { USD: '1000000' },
      influenced_won_12m: { USD: '500050' },
      open_pipeline: { USD: '200000' },
      won_12m: 2,
      lost_12m: 1,
      by_vertical: { COMPUTER_SOFTWARE: { won: 2, lost: 1 } },
      avg_cycle_days: '40.0', // (60 + 20) / 2
    });
  });

  it('recounts nothing when nothing changed, and only the partners a change touches', async () => {
    expect(await refreshPartnerPerformance(database.db, tenant.id, NOW)).toEqual({
      changedDeals: 0,
      partners: 0,
    });
    await deal(
      '4',
      {
        stage: 'won',
        amount: '2000.00',
        createdAt: new Date(NOW - 30 * DAY),
        closedAt: new Date(NOW - DAY),
      },
      [[beta.id, 'sourced']],
    );
    expect(await refreshPartnerPerformance(database.db, tenant.id, NOW)).toEqual({
      changedDeals: 1,
      partners: 2,
    });
    expect(await performanceOf(alpha.id)).toMatchObject({ open_pipeline: {}, won_12m: 2 });
    expect(await performanceOf(beta.id)).toMatchObject({
      sourced_won_12m: { USD: '200000' },
      won_12m: 1,
    });
  });

  it('recounts every partner once the numbers are a day old, as the window moves', async () => {
    const later = NOW + 2 * DAY;
    expect(await refreshPartnerPerformance(database.db, tenant.id, later)).toEqual({
      changedDeals: 0,
      partners: 2,
    });
  });

  it('is scoped to its tenant', async () => {
    const other = await createTenant(database.db, { name: 'Other' });
    expect(await refreshPartnerPerformance(database.db, other.id, NOW)).toEqual({
      changedDeals: 0,
      partners: 0,
    });
  });
});
