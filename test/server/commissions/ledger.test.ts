import fc from 'fast-check';

import { recomputeDeal } from '../../../server/commissions/recompute-deal';
import { issueApiKey } from '../../../server/db/api-keys';
import { replaceCrmDealPartners, upsertDeals } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { createApp } from '../../../server/http/app';
import { listen } from '../../../server/lib/listen';
import { CrmSyncQueue, ReconcileQueue } from '../../../server/queue/queues';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { createDealRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

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
  ) => {
    const ids = await upsertDeals(database.db, tenant.id, [
      createDealRecord({ crmId: '500', ...fields }),
    ]);
    dealId = ids.get('500')!;
    await replaceCrmDealPartners(
      database.db,
      tenant.id,
      [dealId],
      attributions.map((a) => ({ dealId, ...a })),
    );
  };
  const recompute = () => database.db.transaction((tx) => recomputeDeal(tx, tenant.id, dealId));

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
    await expect(database.db.query('truncate ledger_entries')).rejects.toThrow(/append-only/);
  });

  it("lists entries and totals by partner and month through the API, for the caller's tenant only", async () => {
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
      }),
      0,
    );
    try {
      const other = await createTenant(database.db, { name: 'Other' });
      const [key, otherKey] = [
        (await issueApiKey(database.db, tenant.id, 'a')).key,
        (await issueApiKey(database.db, other.id, 'a')).key,
      ];
      const get = async (query: string, apiKey = key) =>
        (await (
          await fetch(`http://127.0.0.1:${server.port}/api/v1/commissions${query}`, {
            headers: { authorization: `Bearer ${apiKey}` },
          })
        ).json()) as {
          entries: Array<{ dealId: string; kind: string; amountMinor: string }>;
          totals: Record<string, string>;
          error?: { details: Array<{ path: string }> };
        };
      const month = new Date().toISOString().slice(0, 7);
      const mine = await get(`?partnerId=${reseller.id}&period=${month}`);
      expect(mine.entries.length).toBeGreaterThan(0);
      expect(mine.entries.every((e) => e.dealId === '500')).toBe(true);
      expect(mine.totals).toEqual({ USD: '300000' });
      expect((await get('?period=2001-01')).entries).toEqual([]);
      expect((await get('', otherKey)).entries).toEqual([]);
      expect((await get('?period=2026-13')).error!.details.map((d) => d.path)).toEqual(['period']);
    } finally {
      await server.close();
      await crmSync.close();
      await reconcile.close();
    }
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
