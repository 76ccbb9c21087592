import fc from 'fast-check';

import { recomputeDeals } from '../../../server/commissions/recompute-deals';
import { issueApiKey } from '../../../server/db/api-keys';
import { replaceCrmDealPartners, upsertDeals } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { startTestApi, type TestApi } from '../../support/api';
import { createDealRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

describe('the commission ledger', () => {
  let database: TestDatabase;
  let tenant: Tenant;
  let dealId: string;
  const reseller = createPartnerInput({ name: 'Gold Reseller', type: 'reseller', tier: 'gold' });
  const referrer = createPartnerInput({ name: 'Referrer', type: 'referral', tier: 'silver' });

  const ledger = () =>
    database.db.query<{ partner_id: string; kind: string; amount_minor: string }>(
      'select partner_id, kind, amount_minor::text from ledger_entries where deal_id = $1 order by seq',
      [dealId],
    );
  const net = async () => (await ledger()).reduce((sum, e) => sum + BigInt(e.amount_minor), 0n);
  const setDeal = async (
    fields: Parameters<typeof createDealRecord>[0],
    attributions: Array<{ partnerId: string; role: string; sharePct: string }>,
    crmId = '500',
  ) => {
    const ids = await upsertDeals(database.db, tenant.id, 'hubspot', [
      createDealRecord({ crmId, ...fields }),
    ]);
    dealId = ids.get(crmId)!;
    await replaceCrmDealPartners(
      database.db,
      tenant.id,
      [dealId],
      attributions.map((a) => ({ dealId, ...a })),
    );
  };
  const recompute = () => database.db.transaction((tx) => recomputeDeals(tx, tenant.id, [dealId]));

  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await createTenant(database.db, { name: 'Ledger Co' });
    await upsertPartners(database.db, tenant.id, [reseller, referrer]);
    const program = parseProgram({
      rates: [
        { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
        { partnerType: '*', tier: '*', role: 'influenced', rateBps: 500 },
      ],
    });
    if (!program.ok) throw new Error(program.error.message);
    await saveProgram(database.db, tenant.id, program.value, 'test');
  });
  afterAll(() => database.drop());

  it('accrues a won deal, and adds nothing when computed again', async () => {
    await setDeal(
      { stage: 'won', amount: '10000.00', closedAt: new Date('2026-02-01T00:00:00Z') },
      [{ partnerId: reseller.id, role: 'sourced', sharePct: '100.00' }],
    );
    expect((await recompute()).accrued).toBe(1);
    expect(await recompute()).toMatchObject({ accrued: 0, reversed: 0 });
    expect(await ledger()).toEqual([
      { partner_id: reseller.id, kind: 'accrual', amount_minor: '300000' },
    ]);
  });

  it('reverses and re-accrues when the amount or the partners change; the net is the new amount', async () => {
    await setDeal(
      { stage: 'won', amount: '20000.00', closedAt: new Date('2026-02-01T00:00:00Z') },
      [
        { partnerId: reseller.id, role: 'sourced', sharePct: '100.00' },
        { partnerId: referrer.id, role: 'influenced', sharePct: '50.00' },
      ],
    );
    expect(await recompute()).toMatchObject({ reversed: 1, accrued: 2 });
    expect(await net()).toBe(600000n + 50000n);
  });

  it('reverses everything when the deal reopens, and accrues anew when it is won back in an earlier state', async () => {
    await setDeal({ stage: 'open', amount: '20000.00', closedAt: null }, [
      { partnerId: reseller.id, role: 'sourced', sharePct: '100.00' },
    ]);
    await recompute();
    expect(await net()).toBe(0n);
    await setDeal(
      { stage: 'won', amount: '10000.00', closedAt: new Date('2026-02-01T00:00:00Z') },
      [{ partnerId: reseller.id, role: 'sourced', sharePct: '100.00' }],
    );
    await recompute();
    await recompute();
    expect(await net()).toBe(300000n);
  });

  it('is refused any update or delete by the database itself', async () => {
    await expect(database.db.query('update ledger_entries set amount_minor = 1')).rejects.toThrow(
      /append-only: UPDATE is not allowed/,
    );
    await expect(database.db.query('delete from ledger_entries')).rejects.toThrow(
      /append-only: DELETE is not allowed/,
    );
    await expect(database.db.query('truncate ledger_entries cascade')).rejects.toThrow(
      /append-only/,
    );
    await expect(database.db.query('delete from ledger_entry_steps')).rejects.toThrow(
      /append-only: DELETE is not allowed/,
    );
  });

  it("lists entries and totals by partner and month through the API, for the caller's tenant only", async () => {
    const api = await startTestApi(database.db);
    try {
      const other = await createTenant(database.db, { name: 'Other' });
      const [key, otherKey] = [
        (await issueApiKey(database.db, tenant.id, 'a')).key,
        (await issueApiKey(database.db, other.id, 'a')).key,
      ];
      const get = async (query: string, apiKey = key) =>
        (
          await api.call<{
            entries: Array<{ dealId: string; kind: string; partner: { name: string } }>;
            totals: Array<{ amount: string; currency: string; entries: number }>;
            nextAfter: string | null;
            error?: { details: Array<{ path: string }> };
          }>('GET', `/api/v1/commissions${query}`, apiKey)
        ).body;
      const month = new Date().toISOString().slice(0, 7);
      const mine = await get(`?partnerId=${reseller.id}&period=${month}`);
      expect(mine.entries.length).toBeGreaterThan(0);
      expect(mine.entries.every((e) => e.dealId === '500')).toBe(true);
      expect(mine.totals).toEqual([
        { amount: '3000.00', currency: 'USD', entries: mine.entries.length },
      ]);
      expect(mine.entries.every((e) => e.partner.name === reseller.name)).toBe(true);
      const firstPage = await get(`?partnerId=${reseller.id}&period=${month}&limit=1`);
      expect(firstPage.entries).toHaveLength(1);
      expect(firstPage.totals).toEqual(mine.totals);
      const rest = await get(
        `?partnerId=${reseller.id}&period=${month}&after=${firstPage.nextAfter}`,
      );
      expect([...firstPage.entries, ...rest.entries]).toEqual(mine.entries);
      expect((await get('?period=2001-01')).entries).toEqual([]);
      expect((await get('', otherKey)).entries).toEqual([]);
      expect((await get('?period=2026-13')).error!.details.map((d) => d.path)).toEqual(['period']);
    } finally {
      await api.close();
    }
  });

  describe('refunds', () => {
    let api: TestApi;
    let key: string;
    const refund = (body: Record<string, unknown>) =>
      api.call<{
        clawbacks: number;
        replayed?: boolean;
        clawedBack?: { amount: string; currency: string };
        error?: { code: string; details?: Array<{ path: string }> };
      }>('POST', '/api/v1/refunds', key, body);
    const count = async () =>
      Number(
        (await database.db.query<{ n: string }>('select count(*)::text as n from refunds'))[0]!.n,
      );

    beforeAll(async () => {
      api = await startTestApi(database.db);
      key = (await issueApiKey(database.db, tenant.id, 'refunds')).key;
      await setDeal(
        { stage: 'won', amount: '10000.00', closedAt: new Date('2026-02-01T00:00:00Z') },
        [{ partnerId: reseller.id, role: 'sourced', sharePct: '100.00' }],
      );
      await recompute();
    });
    afterAll(() => api.close());

    it('claw back in proportion within the window, never more than accrued in all', async () => {
      expect(
        (
          await refund({
            refundId: 'r1',
            dealId: '500',
            refundedAt: '2026-02-10T00:00:00Z',
            amount: { amount: '2500.00', currency: 'USD' },
          })
        ).body.clawbacks,
      ).toBe(1);
      expect(await net()).toBe(300000n - 75000n);
      await refund({
        refundId: 'r2',
        dealId: '500',
        refundedAt: '2026-02-11T00:00:00Z',
        amount: { amount: '7500.00', currency: 'USD' },
      });
      expect(await net()).toBe(0n);
      const more = await refund({
        refundId: 'r3',
        dealId: '500',
        refundedAt: '2026-02-12T00:00:00Z',
        amount: { amount: '1.00', currency: 'USD' },
      });
      expect([more.status, more.body.error!.code]).toEqual([409, 'REFUND.EXCEEDS_DEAL']);
      expect(await net()).toBe(0n);
    });

    it('take nothing back outside clawbackDays', async () => {
      await setDeal(
        { stage: 'won', amount: '20000.00', closedAt: new Date('2025-01-01T00:00:00Z') },
        [{ partnerId: reseller.id, role: 'sourced', sharePct: '100.00' }],
      );
      await recompute();
      const before = await net();
      expect(
        (
          await refund({
            refundId: 'r4',
            dealId: '500',
            refundedAt: '2026-02-10T00:00:00Z',
            amount: { amount: '100.00', currency: 'USD' },
          })
        ).body.clawbacks,
      ).toBe(0);
      expect(await net()).toBe(before);
    });

    it('are reversed with their accruals when the deal changes, and claw back again from the new lines', async () => {
      await setDeal(
        { stage: 'won', amount: '20000.00', closedAt: new Date('2026-02-01T00:00:00Z') },
        [{ partnerId: reseller.id, role: 'sourced', sharePct: '100.00' }],
      );
      await recompute();
      await recompute();
      // 20,000.00 × 30 % = 6,000.00; refunds of 2,500 + 7,500 + 100 = 10,100.00 → 3,030.00 back
      expect(await net()).toBe(600000n - 303000n);
      // A retry of the first refund answers what it takes back now: 2,500 of 20,000 × 6,000.00.
      const retry = await refund({
        refundId: 'r1',
        dealId: '500',
        refundedAt: '2026-02-10T00:00:00Z',
        amount: { amount: '2500.00', currency: 'USD' },
      });
      expect(retry.body).toMatchObject({
        replayed: true,
        clawbacks: 1,
        clawedBack: { amount: '750.00', currency: 'USD' },
      });
    });

    it('refuse what cannot be refunded: more than the deal, an open deal, another currency', async () => {
      const before = await count();
      const over = await refund({
        refundId: 'too-much',
        dealId: '500',
        amount: { amount: 999999, currency: 'USD' },
      });
      expect([over.status, over.body.error!.code]).toEqual([409, 'REFUND.EXCEEDS_DEAL']);
      const euros = await refund({
        refundId: 'euros',
        dealId: '500',
        amount: { amount: '10.00', currency: 'EUR' },
      });
      expect([euros.status, euros.body.error!.code]).toEqual([400, 'REFUND.CURRENCY_MISMATCH']);
      for (const [refundedAt, code] of [
        ['2025-12-31T00:00:00Z', 'REFUND.BEFORE_CLOSE'],
        ['2099-01-01T00:00:00Z', 'REFUND.IN_FUTURE'],
      ] as const) {
        const dated = await refund({
          refundId: `dated-${code}`,
          dealId: '500',
          refundedAt,
          amount: { amount: '10.00', currency: 'USD' },
        });
        expect([dated.status, dated.body.error!.code]).toEqual([400, code]);
      }
      await setDeal({ stage: 'open', amount: '20000.00', closedAt: null }, [
        { partnerId: reseller.id, role: 'sourced', sharePct: '100.00' },
      ]);
      const open = await refund({
        refundId: 'open',
        dealId: '500',
        amount: { amount: '10.00', currency: 'USD' },
      });
      expect([open.status, open.body.error!.code]).toEqual([409, 'REFUND.DEAL_NOT_WON']);
      expect(await count()).toBe(before);
    });

    it.each([
      [
        { refundId: 'x', dealId: '500', amount: { amount: '12.345', currency: 'USD' } },
        'amount.amount',
      ],
      [
        { refundId: 'x', dealId: '500', amount: { amount: '12', currency: 'XYZ' } },
        'amount.currency',
      ],
      [{ refundId: 'x', dealId: '500', amount: { amount: 0, currency: 'USD' } }, 'amount.amount'],
      [{ refundId: 'x', dealId: 'bad id!', amount: { amount: '1', currency: 'USD' } }, 'dealId'],
      [
        { refundId: 'has space', dealId: '500', amount: { amount: '1', currency: 'USD' } },
        'refundId',
      ],
      [{ dealId: '500', amount: { amount: '1', currency: 'USD' } }, 'refundId'],
      [{ refundId: 'x', dealId: '500', amount: '1', currency: 'USD' }, 'amount'],
    ])('refuse %j with 400 naming the field, writing nothing', async (body, path) => {
      const before = await count();
      const response = await refund(body);
      expect(response.status).toBe(400);
      expect(response.body.error!.details!.map((d) => d.path)).toContain(path);
      expect(await count()).toBe(before);
    });

    it('answer 404 for a deal the tenant does not have', async () => {
      expect(
        (await refund({ refundId: 'x', dealId: '999', amount: { amount: '1', currency: 'USD' } }))
          .status,
      ).toBe(404);
    });
  });

  it('nets to the accrual of the last state, whatever the sequence of changes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            won: fc.boolean(),
            amount: fc.integer({ min: 1, max: 1_000_000 }),
            influencer: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (states) => {
          for (const state of states) {
            await setDeal(
              {
                stage: state.won ? 'won' : 'open',
                amount: `${state.amount}.00`,
                closedAt: state.won ? new Date('2026-02-01T00:00:00Z') : null,
              },
              [
                { partnerId: reseller.id, role: 'sourced', sharePct: '100.00' },
                ...(state.influencer
                  ? [{ partnerId: referrer.id, role: 'influenced', sharePct: '100.00' }]
                  : []),
              ],
              '501',
            );
            await recompute();
          }
          const last = states[states.length - 1]!;
          const expected = last.won
            ? (BigInt(last.amount) * 100n * 3000n) / 10000n +
              (last.influencer ? (BigInt(last.amount) * 100n * 500n) / 10000n : 0n)
            : 0n;
          expect(await net()).toBe(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
});
