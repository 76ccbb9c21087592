import { recomputeStaleDeals } from '../../../server/commissions/recompute-deals';
import { issueApiKey } from '../../../server/db/api-keys';
import { replaceCrmDealPartners, upsertDeals } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { startTestApi, type TestApi } from '../../support/api';
import { createDealRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

interface Answer {
  version: number;
  program: { rates: unknown[]; currency: string };
  error?: { code: string; message: string; details?: unknown };
}

const RATES = [
  { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
  { partnerType: '*', tier: '*', role: 'influenced', rateBps: 500 },
];

describe.each(DATABASE_KINDS)('saving the program (%s)', (kind) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  const reseller = createPartnerInput({ name: 'Gold Reseller', type: 'reseller', tier: 'gold' });
  const influencer = createPartnerInput({ name: 'MSP Influencer', type: 'msp', tier: 'silver' });

  const get = async () => (await api.call<Answer>('GET', '/api/v1/program', key)).body;
  const put = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/api/v1/program`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Answer,
      etag: r.headers.get('etag'),
    }));
  const accruals = async () =>
    (
      await database.db.query<{ kind: string; n: number }>(
        `select kind, count(*)::int as n from ledger_entries where tenant_id = $1 group by kind order by kind`,
        [tenant.id],
      )
    ).map((row) => `${row.kind}:${row.n}`);

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    tenant = await createTenant(database.db, { name: 'Program Co' });
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    api = await startTestApi(database.db);
    await upsertPartners(database.db, tenant.id, [reseller, influencer]);
    const deals = Array.from({ length: 4 }, (_, i) =>
      createDealRecord({
        crmId: `80${i}`,
        stage: 'won',
        amount: '10000.00',
        closedAt: new Date('2026-02-01T00:00:00Z'),
      }),
    );
    const ids = await upsertDeals(database.db, tenant.id, 'hubspot', deals);
    await replaceCrmDealPartners(
      database.db,
      tenant.id,
      [...ids.values()],
      [
        ...[...ids.values()].map((dealId) => ({
          dealId,
          partnerId: reseller.id,
          role: 'sourced',
          sharePct: '100.00',
        })),
        // One deal has an influencer too.
        {
          dealId: ids.get('800')!,
          partnerId: influencer.id,
          role: 'influenced',
          sharePct: '100.00',
        },
      ],
    );
    expect((await put({ version: 0, program: { rates: RATES } })).status).toBe(200);
    await recomputeStaleDeals(database.db, tenant.id);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it("takes GET's own answer back unchanged, and changes nothing in the ledger", async () => {
    const before = await accruals();
    const read = await get();
    const saved = await put(read);
    expect(saved.status).toBe(200);
    expect(saved.body.program).toEqual(read.program);
    expect(saved.body.version).toBe(read.version + 1);
    await recomputeStaleDeals(database.db, tenant.id);
    expect(await accruals()).toEqual(before);
    expect(before).toEqual(['accrual:5']);
  });

  it('refuses unknown and misspelt fields, naming each', async () => {
    const { version } = await get();
    const answer = await put({
      version,
      program: {
        rates: RATES,
        protectionDay: { default: 30 },
        autoApprove: { enabled: true, minTeir: 'gold' },
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error!.details).toEqual(
      expect.arrayContaining([
        { path: 'program.protectionDay', message: 'is not a field of the program' },
        { path: 'program.autoApprove.minTeir', message: 'is not a field of the program' },
      ]),
    );
    expect(answer.body.error!.details).toHaveLength(2);
    expect((await put({ version, program: { rates: RATES }, extra: 1 })).status).toBe(400);
    expect((await get()).version).toBe(version);
  });

  it('needs the version it edits, and refuses a stale one', async () => {
    const { version, program } = await get();
    const missing = await put({ program });
    expect([missing.status, missing.body.error!.code]).toEqual([428, 'PROGRAM.VERSION_REQUIRED']);
    const stale = await put({ version: version - 1, program });
    expect([stale.status, stale.body.error!.code]).toEqual([409, 'PROGRAM.VERSION_CONFLICT']);
    expect(stale.body.error!.details).toEqual({ currentVersion: version });
    const viaHeader = await put({ program }, { 'if-match': `"${version}"` });
    expect([viaHeader.status, viaHeader.etag]).toEqual([200, `"${version + 1}"`]);
  });

  it('refuses an empty document instead of filling it with defaults', async () => {
    const { version } = await get();
    expect((await put({})).status).toBe(400);
    const empty = await put({ version, program: {} });
    expect([empty.status, empty.body.error!.code]).toEqual([409, 'PROGRAM.CONFIRMATION_REQUIRED']);
    expect(empty.body.error!.message).toMatch(
      /no rates: every accrual in the ledger would be reversed/,
    );
    expect((await get()).program.rates).toHaveLength(2);
  });

  it("counts every accrual of a deal whose one line is repriced: the deal's lines are reversed together", async () => {
    const { version } = await get();
    const program = { rates: [RATES[0], { ...RATES[1], rateBps: 600 }] };
    const asked = await put({ version, program });
    expect([asked.status, asked.body.error!.code]).toEqual([409, 'PROGRAM.CONFIRMATION_REQUIRED']);
    expect(asked.body.error!.details).toMatchObject({ standingAccruals: 5, repriced: 2 });
  });

  it('asks to confirm a rate change that reprices most accruals, and saves it when confirmed', async () => {
    const { version } = await get();
    const program = { rates: [{ ...RATES[0], rateBps: 2500 }, RATES[1]] };
    const asked = await put({ version, program });
    expect([asked.status, asked.body.error!.code]).toEqual([409, 'PROGRAM.CONFIRMATION_REQUIRED']);
    expect(asked.body.error!.details).toMatchObject({ standingAccruals: 5, repriced: 5 });
    expect((await get()).version).toBe(version);
    const confirmed = await put({ version, program, confirm: true });
    expect(confirmed.status).toBe(200);
    await recomputeStaleDeals(database.db, tenant.id);
    expect(await accruals()).toEqual(['accrual:10', 'reversal:5']);
  });

  it('saves without asking a change that reprices nothing', async () => {
    const { version, program } = await get();
    const answer = await put({
      version,
      program: {
        ...program,
        rates: [...program.rates, { partnerType: 'isv', tier: '*', role: '*', rateBps: 100 }],
      },
    });
    expect(answer.status).toBe(200);
  });
});
