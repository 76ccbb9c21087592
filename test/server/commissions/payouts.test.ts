import { parse } from 'csv-parse/sync';

import { recomputeStaleDeals, staleDeals } from '../../../server/commissions/recompute-deals';
import { issueApiKey } from '../../../server/db/api-keys';
import { replaceCrmDealPartners, upsertDeals } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { startTestApi, type TestApi } from '../../support/api';
import { createDealRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

interface Line {
  id: string;
  dealId: string | null;
  kind: string;
  status: string;
  amount: { amount: string; currency: string };
  voidReason: string | null;
  payoutId: string | null;
}
interface Statement {
  totals: Array<Record<string, string | number | { amount: string; currency: string }>>;
  lines: Line[];
  nextAfter: string | null;
}

describe.each(DATABASE_KINDS)('statuses, voids, payouts and statements (%s)', (kind) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  const month = new Date().toISOString().slice(0, 7);
  const reseller = createPartnerInput({ name: 'Gold Reseller', type: 'reseller', tier: 'gold' });
  const program = (rateBps: number) => {
    const parsed = parseProgram({
      rates: [{ partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps }],
    });
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.value;
  };
  const wonDeal = async (crmId: string, amount: string, name = `Deal ${crmId}`) => {
    const ids = await upsertDeals(database.db, tenant.id, 'hubspot', [
      createDealRecord({
        crmId,
        name,
        stage: 'won',
        amount,
        closedAt: new Date('2026-02-01T00:00:00Z'),
      }),
    ]);
    await replaceCrmDealPartners(
      database.db,
      tenant.id,
      [ids.get(crmId)!],
      [{ dealId: ids.get(crmId)!, partnerId: reseller.id, role: 'sourced', sharePct: '100.00' }],
    );
  };
  const statement = async (query = '') =>
    (
      await api.call<Statement>(
        'GET',
        `/api/v1/partners/${reseller.id}/statements/${month}${query}`,
        key,
      )
    ).body;
  const lineOf = async (dealId: string, kind = 'accrual') =>
    (await statement()).lines.filter((l) => l.dealId === dealId && l.kind === kind).at(-1)!;

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    tenant = await createTenant(database.db, { name: 'Payout Co' });
    await upsertPartners(database.db, tenant.id, [reseller]);
    await saveProgram(database.db, tenant.id, program(3000), 'test');
    api = await startTestApi(database.db);
    key = (await issueApiKey(database.db, tenant.id, 'finance')).key;
    await wonDeal('701', '10000.00');
    await wonDeal('702', '20000.00', '=HYPERLINK("http://evil.example","click")');
    await wonDeal('703', '40000.00');
    await recomputeStaleDeals(database.db, tenant.id);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  describe('the commissions worker', () => {
    it('recomputes only deals whose fingerprint changed; a second run adds nothing', async () => {
      expect(await staleDeals(database.db, tenant.id)).toEqual([]);
      expect(await recomputeStaleDeals(database.db, tenant.id)).toMatchObject({
        checked: 0,
        accrued: 0,
      });
      await database.db.query(
        `update partners set tier = 'silver' where tenant_id = $1 and id = $2`,
        [tenant.id, reseller.id],
      );
      expect(await staleDeals(database.db, tenant.id)).toHaveLength(3);
      await database.db.query(
        `update partners set tier = 'gold' where tenant_id = $1 and id = $2`,
        [tenant.id, reseller.id],
      );
      expect(await staleDeals(database.db, tenant.id)).toEqual([]);
    });

    it('checks every deal after a program change, and writes nothing where the lines stay the same', async () => {
      await saveProgram(database.db, tenant.id, program(3000), 'test');
      expect(await staleDeals(database.db, tenant.id)).toHaveLength(3);
      const result = await recomputeStaleDeals(database.db, tenant.id, { batchSize: 1 });
      expect(result).toMatchObject({ checked: 3, deals: 3, reversed: 0, accrued: 0 });
      expect((await statement()).totals[0]!.closing).toEqual({
        amount: '21000.00',
        currency: 'USD',
      });
    });
  });

  it('approves accrued entries once; approving again changes nothing', async () => {
    const line = await lineOf('701');
    expect(line.status).toBe('accrued');
    const first = await api.call('POST', '/api/v1/commissions/approve', key, {
      entryIds: [line.id],
    });
    expect(first).toMatchObject({ status: 200, body: { approved: 1 } });
    const again = await api.call('POST', '/api/v1/commissions/approve', key, {
      entryIds: [line.id],
    });
    expect(again.body).toEqual({ approved: 0 });
    expect((await lineOf('701')).status).toBe('approved');
  });

  it('voids with a reason only, and never twice', async () => {
    const line = await lineOf('702');
    const path = `/api/v1/commissions/${line.id}/void`;
    expect((await api.call('POST', path, key, { reason: '  ' })).status).toBe(400);
    expect((await lineOf('702')).status).toBe('accrued');
    expect(
      (await api.call('POST', path, key, { reason: 'Duplicate deal in the CRM' })).status,
    ).toBe(200);
    expect(await lineOf('702')).toMatchObject({
      status: 'void',
      voidReason: 'Duplicate deal in the CRM',
    });
    const again = await api.call<{ error: { code: string } }>('POST', path, key, { reason: 'x' });
    expect([again.status, again.body.error.code]).toEqual([409, 'ENTRY.NOT_VOIDABLE']);
    const approve = await api.call('POST', '/api/v1/commissions/approve', key, {
      entryIds: [line.id],
    });
    expect(approve.status).toBe(409);
  });

  it('carries a void through later changes of the deal: the reversal and the new accrual are void too', async () => {
    await wonDeal('702', '30000.00', '=HYPERLINK("http://evil.example","click")');
    await recomputeStaleDeals(database.db, tenant.id);
    expect((await lineOf('702', 'reversal')).status).toBe('void');
    expect(await lineOf('702', 'accrual')).toMatchObject({
      amount: { amount: '9000.00', currency: 'USD' },
      status: 'void',
      voidReason: expect.stringMatching(/^Duplicate deal in the CRM \(carried over from entry /),
    });
  });

  it('voids accruals only: a reversal or a clawback follows its accrual', async () => {
    const reversal = await lineOf('702', 'reversal');
    const response = await api.call('POST', `/api/v1/commissions/${reversal.id}/void`, key, {
      reason: 'keep the money',
    });
    expect(response.status).toBe(409);
  });

  describe('payouts', () => {
    let payoutId: string;
    const pay = (body: Record<string, unknown>) =>
      api.call<{
        payouts: Array<{
          id: string;
          amount: { amount: string; currency: string };
          entries: number;
        }>;
        replayed: boolean;
        error?: { code: string };
      }>('POST', '/api/v1/payouts', key, body);

    it('approve and pay everything due through the month, and settle it with a payout entry', async () => {
      const response = await pay({
        requestId: 'batch-1',
        partnerId: reseller.id,
        throughPeriod: month,
        reference: 'WIRE-0001',
      });
      expect(response.status).toBe(201);
      // 701 at 3,000.00 (approved) and 703 at 12,000.00 (accrued); 702's void entries are left out.
      expect(response.body.payouts).toEqual([
        expect.objectContaining({ amount: { amount: '15000.00', currency: 'USD' }, entries: 2 }),
      ]);
      payoutId = response.body.payouts[0]!.id;
      const lines = (await statement()).lines;
      // Order within a batch follows the deals' random ids: compare as sorted lists.
      const paid = lines.filter((l) => l.payoutId === payoutId).map((l) => `${l.kind} ${l.status}`);
      expect(paid.sort()).toEqual(['accrual paid', 'accrual paid', 'payout paid']);
      expect(lines.find((l) => l.kind === 'payout')!.amount.amount).toBe('-15000.00');
      const audit = await database.db.query(
        `select 1 from audit_events where tenant_id = $1 and action = 'payout.paid'`,
        [tenant.id],
      );
      expect(audit).toHaveLength(1);
    });

    it('answer a retry with the same payout, and refuse the id for another period', async () => {
      const entries = async () =>
        (await database.db.query('select 1 from ledger_entries where tenant_id = $1', [tenant.id]))
          .length;
      const before = await entries();
      const retry = await pay({
        requestId: 'batch-1',
        partnerId: reseller.id,
        throughPeriod: month,
        reference: 'WIRE-0001',
      });
      expect([retry.status, retry.body.replayed, retry.body.payouts[0]!.id]).toEqual([
        200,
        true,
        payoutId,
      ]);
      expect(await entries()).toBe(before);
      const reused = await pay({
        requestId: 'batch-1',
        partnerId: reseller.id,
        throughPeriod: '2020-01',
      });
      expect([reused.status, reused.body.error!.code]).toEqual([409, 'PAYOUT.REQUEST_REUSED']);
      const otherReference = await pay({
        requestId: 'batch-1',
        partnerId: reseller.id,
        throughPeriod: month,
        reference: 'WIRE-0002',
      });
      expect(otherReference.status).toBe(409);
    });

    it('have nothing to pay once everything is paid', async () => {
      const response = await pay({
        requestId: 'batch-2',
        partnerId: reseller.id,
        throughPeriod: month,
      });
      expect([response.status, response.body.error!.code]).toEqual([409, 'PAYOUT.NOTHING_DUE']);
    });

    it('leave paid entries for clawbacks, never voids', async () => {
      const line = await lineOf('701');
      const response = await api.call('POST', `/api/v1/commissions/${line.id}/void`, key, {
        reason: 'too late',
      });
      expect(response.status).toBe(409);
    });

    it('refuse bad input with 400 and unknown partners with 404', async () => {
      expect((await pay({ requestId: 'b', partnerId: 'nope', throughPeriod: month })).status).toBe(
        400,
      );
      const nextMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 1))
        .toISOString()
        .slice(0, 7);
      for (const throughPeriod of ['2026-13', '0000-01', '1999-12', '2099-01', nextMonth])
        expect((await pay({ requestId: 'b', partnerId: reseller.id, throughPeriod })).status).toBe(
          400,
        );
      const unknown = await pay({
        requestId: 'b',
        partnerId: '00000000-0000-4000-8000-000000000000',
        throughPeriod: month,
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe('statements', () => {
    it('sum the month by status between the balances owed at its start and end', async () => {
      const { totals, lines } = await statement();
      // 3,000 + 12,000 paid and settled; 6,000 − 6,000 + 9,000 void.
      const usd = (amount: string) => ({ amount, currency: 'USD' });
      expect(totals).toHaveLength(1);
      expect(totals[0]).toMatchObject({
        currency: 'USD',
        opening: usd('0.00'),
        accrued: usd('0.00'),
        approved: usd('0.00'),
        paid: usd('15000.00'),
        void: usd('9000.00'),
        payouts: usd('-15000.00'),
        closing: usd('0.00'),
      });
      expect(lines.length).toBe(totals[0]!.entries);
    });

    it('page by nextAfter', async () => {
      const all = (await statement()).lines.map((l) => l.id);
      const first = await statement('?limit=2');
      const second = await statement(`?limit=100&after=${first.nextAfter}`);
      expect([...first.lines, ...second.lines].map((l) => l.id)).toEqual(all);
      expect(second.nextAfter).toBeNull();
    });

    it('come as CSV that no spreadsheet reads as a formula, numbers kept as numbers', async () => {
      const response = await api.call(
        'GET',
        `/api/v1/partners/${reseller.id}/statements/${month}?format=csv`,
        key,
      );
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = parse(response.text, { columns: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength((await statement()).lines.length);
      const evil = rows.filter((r) => r.deal_id === '702');
      expect(evil.every((r) => r.deal_name === `'=HYPERLINK("http://evil.example","click")`)).toBe(
        true,
      );
      expect(rows.find((r) => r.kind === 'payout')).toMatchObject({ amount: '-15000.00' });
      const negotiated = await fetch(
        `${api.url}/api/v1/partners/${reseller.id}/statements/${month}`,
        {
          headers: { authorization: `Bearer ${key}`, accept: 'text/csv' },
        },
      );
      expect(await negotiated.text()).toBe(response.text);
    });

    it('are scoped to the caller tenant, and check their parameters', async () => {
      const other = await createTenant(database.db, { name: 'Other' });
      const otherKey = (await issueApiKey(database.db, other.id, 'o')).key;
      const path = `/api/v1/partners/${reseller.id}/statements/${month}`;
      expect((await api.call('GET', path, otherKey)).status).toBe(404);
      expect(
        (await api.call('GET', `/api/v1/partners/${reseller.id}/statements/2026-1`, key)).status,
      ).toBe(400);
      expect((await api.call('GET', '/api/v1/partners/nope/statements/2026-01', key)).status).toBe(
        404,
      );
      expect((await api.call('GET', `${path}?format=xml`, key)).status).toBe(400);
    });
  });

  describe('refund retries', () => {
    const refund = (body: Record<string, unknown>) =>
      api.call('POST', '/api/v1/refunds', key, body);
    const body = {
      refundId: 'stripe_re_1',
      dealId: '701',
      refundedAt: '2026-02-10T00:00:00Z',
      amount: { amount: '1000.00', currency: 'USD' },
    };
    const refunds = async () =>
      (await database.db.query('select 1 from refunds where tenant_id = $1', [tenant.id])).length;

    it('record a refund once per refundId, answering the retry with the first result', async () => {
      expect((await refund(body)).status).toBe(201);
      const count = await refunds();
      const retry = await refund(body);
      expect(retry).toMatchObject({
        status: 200,
        body: { refundId: 'stripe_re_1', replayed: true },
      });
      expect(await refunds()).toBe(count);
      expect(retry.body).toMatchObject({
        clawbacks: 1,
        clawedBack: { amount: '300.00', currency: 'USD' },
      });
      // The clawback of 10 % of 3,000.00 is owed back once.
      expect((await statement()).totals[0]!.closing).toEqual({
        amount: '-300.00',
        currency: 'USD',
      });
    });

    it('claw back nothing owed from a void accrual: the clawback is void with it', async () => {
      await refund({
        ...body,
        refundId: 'stripe_re_2',
        dealId: '702',
        amount: { amount: '3000.00', currency: 'USD' },
      });
      expect(await lineOf('702', 'clawback')).toMatchObject({
        amount: { amount: '-900.00', currency: 'USD' },
        status: 'void',
      });
      expect((await statement()).totals[0]!.closing).toEqual({
        amount: '-300.00',
        currency: 'USD',
      });
    });

    it('never claw back more than accrued, whatever dates later refunds carry', async () => {
      await wonDeal('704', '1000.00');
      await recomputeStaleDeals(database.db, tenant.id);
      const net = async () =>
        (await statement()).lines
          .filter((l) => l.dealId === '704')
          .reduce((sum, l) => sum + BigInt(l.amount.amount.replace('.', '')), 0n);
      const at = (refundId: string, refundedAt: string, amount: string) =>
        refund({ refundId, dealId: '704', refundedAt, amount: { amount, currency: 'USD' } });
      await at('late-1', '2026-02-20T00:00:00Z', '700.00');
      // Recorded later with an earlier date: it takes what is left, no more.
      expect((await at('late-2', '2026-02-10T00:00:00Z', '300.00')).body).toMatchObject({
        clawbacks: 1,
      });
      expect(await net()).toBe(0n);
      // Nothing of the deal is left to refund.
      expect((await at('late-3', '2026-02-11T00:00:00Z', '0.01')).body).toMatchObject({
        error: { code: 'REFUND.EXCEEDS_DEAL' },
      });
      expect(await net()).toBe(0n);
    });

    it('refuse the same refundId with other details', async () => {
      const response = await refund({ ...body, amount: { amount: '2000.00', currency: 'USD' } });
      expect(response).toMatchObject({
        status: 409,
        body: { error: { code: 'REFUND.ID_REUSED' } },
      });
    });
  });

  it('is refused a step out of order by the database itself', async () => {
    await wonDeal('705', '1000.00');
    await recomputeStaleDeals(database.db, tenant.id);
    const line = await lineOf('705');
    await expect(
      database.db.query(
        `insert into ledger_entry_steps (tenant_id, entry_id, status, payout_id, actor) values ($1, $2, 'paid', gen_random_uuid(), 'x')`,
        [tenant.id, line.id],
      ),
    ).rejects.toThrow(/not approved/);
    await expect(
      database.db.query(
        `insert into ledger_entry_steps (tenant_id, entry_id, status, actor) values ($1, $2, 'void', 'x')`,
        [tenant.id, line.id],
      ),
    ).rejects.toThrow(/check constraint|violates/);
    const paid = await lineOf('701');
    await expect(
      database.db.query(
        `insert into ledger_entry_steps (tenant_id, entry_id, status, reason, actor) values ($1, $2, 'void', 'late', 'x')`,
        [tenant.id, paid.id],
      ),
    ).rejects.toThrow(/is paid/);
  });
});
