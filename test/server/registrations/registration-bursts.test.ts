import { issueApiKey } from '../../../server/db/api-keys';
import { upsertAccounts } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { startTestApi, type TestApi } from '../../support/api';
import { createAccountRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

const BURST = 6;
const ROUNDS = 5;

describe.each(DATABASE_KINDS)('registrations of one company sent at once (%s)', (kind) => {
  let database: TestDatabase;
  let api: TestApi;
  let tenant: Tenant;
  let key: string;
  // Every reading of the clock is a millisecond later, as on a busy server: whichever request
  // reads it first must not lose to one that takes the lock first.
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const partners = Array.from({ length: BURST }, (_, i) =>
    createPartnerInput({ name: `Burst Partner ${i}`, domain: `burst${i}.example`, tier: 'gold' }),
  );

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    tenant = await createTenant(database.db, { name: 'Burst Co' });
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    await upsertPartners(database.db, tenant.id, partners);
    await upsertAccounts(
      database.db,
      tenant.id,
      'hubspot',
      Array.from({ length: ROUNDS * 2 }, (_, i) =>
        createAccountRecord({ crmId: `70${i}`, name: `Target ${i} Ltd`, domain: `target${i}.com` }),
      ),
    );
    api = await startTestApi(database.db, { now: () => (clock += 1) });
    await api.call('PUT', '/api/v1/program', key, {
      version: 0,
      program: { autoApprove: { enabled: true, minTier: 'gold', maxAmount: 50000 } },
    });
  });

  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  const burst = (company: number, partnerOf: (i: number) => string) =>
    Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        api.call<{ status: string; conflicts: Array<{ kind: string }> }>(
          'POST',
          '/api/v1/registrations',
          key,
          {
            partnerId: partnerOf(i),
            companyName: `Target ${company} Ltd`,
            companyDomain: `target${company}.com`,
            amount: { amount: '10000.00', currency: 'USD' },
          },
        ),
      ),
    );

  const holders = async (company: number) =>
    database.db.query<{ id: string }>(
      `select id from registrations where tenant_id = $1 and matched_account_crm_id = $2 and status in ('pending', 'approved')`,
      [tenant.id, `70${company}`],
    );

  it('leaves exactly one holder when one partner sends them', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await burst(round, () => partners[0]!.id);
      expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(201));
      expect(answers.filter((a) => a.body.status === 'approved')).toHaveLength(1);
      expect(
        answers
          .filter((a) => a.body.status === 'rejected')
          .map((a) => a.body.conflicts.map((c) => c.kind)),
      ).toEqual(Array(BURST - 1).fill(['duplicate_submission']));
      expect(await holders(round)).toHaveLength(1);
    }
  });

  it('leaves exactly one holder when several partners send them', async () => {
    for (let round = ROUNDS; round < ROUNDS * 2; round++) {
      const answers = await burst(round, (i) => partners[i]!.id);
      expect(answers.filter((a) => a.body.status === 'approved')).toHaveLength(1);
      expect(answers.filter((a) => a.body.status === 'rejected')).toHaveLength(BURST - 1);
      expect(await holders(round)).toHaveLength(1);
    }
  });
});
