import { issueApiKey } from '../../../server/db/api-keys';
import {
  replaceCrmDealPartners,
  setDealAccounts,
  upsertAccounts,
  upsertDeals,
} from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { sweepRegistrations } from '../../../server/registrations/registration-use-cases';
import { startTestApi, type TestApi } from '../../support/api';
import {
  createAccountRecord,
  createDealRecord,
  createPartnerInput,
  upsertPartners,
} from '../../support/fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

const DAY = 86_400_000;
const PROGRAM = {
  autoApprove: { enabled: true, minTier: 'gold', maxAmount: 50000 },
  conflicts: { directOpportunity: 'warn' },
  extension: { days: 30, max: 1 },
  approvalSlaHours: 48,
};

interface View {
  id: string;
  status: string;
  verdict: string;
  overdue: boolean;
  matchedAccountId: string | null;
  holderRegistrationId: string | null;
  window: { start: string; end: string } | null;
  daysLeft: number | null;
  extensions: number;
  amount?: { amount: string; currency: string } | null;
  company?: { name: string; domain: string | null };
  rejectionReason?: string | null;
  conflicts: Array<{ kind: string; explanation: string }>;
  history?: Array<{ action: string; actor: string }>;
  error?: { code: string; details?: Array<{ path: string }> };
}

describe.each(DATABASE_KINDS)('deal registrations through the API (%s)', (kind) => {
  let database: TestDatabase;
  let api: TestApi;
  let tenant: Tenant;
  let key: string;
  let otherKey: string;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const partners = {
    gold: createPartnerInput({ name: 'Gold Reseller', tier: 'gold' }),
    silver: createPartnerInput({
      name: 'Silver Integrator',
      tier: 'silver',
      type: 'system_integrator',
    }),
    rivals: Array.from({ length: 8 }, (_, i) =>
      createPartnerInput({ name: `Rival ${i}`, tier: 'gold' }),
    ),
  };

  const call = (method: string, path: string, body?: unknown, apiKey = key) =>
    api.call<
      View & { items: View[]; nextCursor: string | null; version: number; program: unknown }
    >(method, `/api/v1${path}`, apiKey, body);
  const register = (partnerId: string, companyName: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/registrations', {
      partnerId,
      companyName,
      amount: { amount: '10000.00', currency: 'USD' },
      ...extra,
    });
  const count = async () =>
    Number(
      (await database.db.query<{ n: string }>('select count(*)::text as n from registrations'))[0]!
        .n,
    );

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    const { db } = database;
    tenant = await createTenant(db, { name: 'Reg Co', hubspotPortalId: '321' });
    const other = await createTenant(db, { name: 'Other' });
    key = (await issueApiKey(db, tenant.id, 'admin')).key;
    otherKey = (await issueApiKey(db, other.id, 'admin')).key;
    await upsertPartners(db, tenant.id, [partners.gold, partners.silver, ...partners.rivals]);
    await upsertAccounts(db, tenant.id, 'hubspot', [
      createAccountRecord({ crmId: '1', name: 'Acme Corp', domain: 'acme.com' }),
      createAccountRecord({ crmId: '2', name: 'Globex', domain: 'globex.com' }),
      createAccountRecord({ crmId: '3', name: 'Initech', domain: 'initech.com' }),
      createAccountRecord({ crmId: '4', name: 'Umbrella Group', domain: 'umbrella.com' }),
    ]);
    const ids = await upsertDeals(db, tenant.id, 'hubspot', [
      createDealRecord({
        crmId: '900',
        name: 'Globex direct',
        createdAt: new Date('2026-01-01T00:00:00Z'),
      }),
    ]);
    await setDealAccounts(db, tenant.id, new Map([['900', '2']]));
    await replaceCrmDealPartners(db, tenant.id, [...ids.values()], []);
    api = await startTestApi(db, { now: () => clock });
  });

  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  describe('the program', () => {
    it('is the defaults until set', async () => {
      const { body } = await call('GET', '/program');
      expect(body.version).toBe(0);
      expect(body.program).toMatchObject({ currency: 'USD', protectionDays: { default: 90 } });
    });

    it('refuses a bad document with the path of each bad field, and keeps the old one', async () => {
      const { status, body } = await call('PUT', '/program', {
        version: 0,
        program: { currency: 'dollars', caps: { activeRegistrationsByTier: { diamond: 3 } } },
      });
      expect(status).toBe(400);
      expect(body.error!.code).toBe('PROGRAM.INVALID');
      expect(body.error!.details!.map((d) => d.path)).toEqual([
        'program.currency',
        'program.caps.activeRegistrationsByTier.diamond',
      ]);
      expect((await call('GET', '/program')).body.version).toBe(0);
    });

    it('takes a valid document, fills its defaults and versions it', async () => {
      const { status, body } = await call('PUT', '/program', { version: 0, program: PROGRAM });
      expect(status).toBe(200);
      expect(body.version).toBe(1);
      expect((await call('GET', '/program')).body.program).toMatchObject({
        autoApprove: { enabled: true, minTier: 'gold' },
        clawbackDays: 90,
      });
    });
  });

  describe('submitting', () => {
    it('approves a clean registration at once and starts its window', async () => {
      const { status, body } = await register(partners.gold.id, 'ACME, Inc.', {
        companyDomain: 'https://www.acme.com/about',
      });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        company: { name: 'ACME, Inc.', domain: 'acme.com' },
        status: 'approved',
        verdict: 'approved',
        matchedAccountId: '1',
        daysLeft: 90,
        conflicts: [],
      });
      expect(body.window!.start).toBe(new Date(clock).toISOString());
    });

    it('rejects a competing registration and explains who holds the company', async () => {
      const first = (await call('GET', '/registrations?status=approved')).body.items[0]!;
      const { body } = await register(partners.silver.id, 'Acme Corporation');
      expect(body).toMatchObject({
        status: 'rejected',
        verdict: 'rejected',
        holderRegistrationId: first.id,
      });
      expect(body.conflicts[0]!.kind).toBe('competing_registration');
      expect(body.conflicts[0]!.explanation).toMatch(
        /^Gold Reseller already holds this company with its registration of 2 March 2026, until 31 May 2026\.$/,
      );
      expect(body.rejectionReason).toBe(
        "Rejected by the program's rules: another partner holds a registration of this company.",
      );
      expect(body.conflicts[0]).toMatchObject({
        holderPartnerName: 'Gold Reseller',
        holdsUntil: '2026-05-31T09:00:00.000Z',
      });
    });

    it('sends a registration with a warning to review as pending', async () => {
      const { body } = await register(partners.gold.id, 'Globex');
      expect(body).toMatchObject({ status: 'pending', verdict: 'review', overdue: false });
      expect(body.conflicts.map((c) => c.kind)).toEqual(['direct_opportunity']);
      expect(body.conflicts[0]!.explanation).toBe(
        'Deal "Globex direct" on Globex has been open since 1 January 2026 with no partner on it.',
      );
      expect(body.amount).toEqual({ amount: '10000.00', currency: 'USD' });
    });

    it.each([
      ['no partner', { companyName: 'X' }, 'partnerId'],
      ['no company', { partnerId: '00000000-0000-4000-8000-000000000001' }, 'companyName'],
      [
        'an amount with too many decimals for its currency',
        {
          partnerId: '00000000-0000-4000-8000-000000000001',
          companyName: 'X',
          amount: { amount: '100.5', currency: 'JPY' },
        },
        'amount.amount',
      ],
      [
        'an unknown currency',
        {
          partnerId: '00000000-0000-4000-8000-000000000001',
          companyName: 'X',
          amount: { amount: 1, currency: 'XYZ' },
        },
        'amount.currency',
      ],
      [
        'a company domain that is not one',
        {
          partnerId: '00000000-0000-4000-8000-000000000001',
          companyName: 'X',
          companyDomain: 'not a domain',
        },
        'companyDomain',
      ],
      [
        'an amount given the old way, without its currency in it',
        {
          partnerId: '00000000-0000-4000-8000-000000000001',
          companyName: 'X',
          amount: '100.00',
        },
        'amount',
      ],
      [
        'an unknown field',
        { partnerId: '00000000-0000-4000-8000-000000000001', companyName: 'X', tenantId: 'other' },
        '',
      ],
    ])('answers 400 for %s, naming the field, and writes nothing', async (_case, body, path) => {
      const before = await count();
      const response = await call('POST', '/registrations', body);
      expect(response.status).toBe(400);
      expect(response.body.error!.details!.map((d) => d.path)).toContain(path);
      expect(await count()).toBe(before);
    });

    it('answers 400 for a partner of another tenant, or none, and writes nothing', async () => {
      const before = await count();
      const response = await register('00000000-0000-4000-8000-000000000001', 'Anything');
      expect(response.status).toBe(400);
      expect(response.body.error!.code).toBe('PARTNER.NOT_FOUND');
      expect(await count()).toBe(before);
    });

    it('lets exactly one of many simultaneous registrations of one company hold it', async () => {
      const results = await Promise.all(partners.rivals.map((p) => register(p.id, 'Initech')));
      const holding = results.filter((r) => r.body.status !== 'rejected');
      expect(holding).toHaveLength(1);
      const losers = results.filter((r) => r.body.status === 'rejected');
      expect(losers.every((r) => r.body.holderRegistrationId === holding[0]!.body.id)).toBe(true);
    });
  });

  describe('the triage list', () => {
    it('pages oldest first with a cursor', async () => {
      const all = (await call('GET', '/registrations?limit=200')).body.items;
      const first = await call('GET', '/registrations?limit=2');
      const second = await call('GET', `/registrations?limit=2&cursor=${first.body.nextCursor}`);
      expect([...first.body.items, ...second.body.items].map((r) => r.id)).toEqual(
        all.slice(0, 4).map((r) => r.id),
      );
    });

    it('filters by status, partner and overdue', async () => {
      expect(
        (await call('GET', `/registrations?status=pending&partnerId=${partners.gold.id}`)).body
          .items,
      ).toHaveLength(1);
      expect((await call('GET', '/registrations?overdue=true')).body.items).toHaveLength(0);
      clock += 49 * 3_600_000;
      const overdue = (await call('GET', '/registrations?overdue=true')).body.items;
      expect(overdue.map((r) => r.status)).toEqual(['pending']);
      expect(overdue[0]!.overdue).toBe(true);
    });

    it('refuses a cursor it did not give out, and bad filters', async () => {
      expect((await call('GET', '/registrations?cursor=bogus')).status).toBe(400);
      expect((await call('GET', '/registrations?status=maybe')).status).toBe(400);
    });

    it("shows one registration with its history, and only the tenant's own", async () => {
      const [pending] = (await call('GET', '/registrations?status=pending')).body.items;
      const { body } = await call('GET', `/registrations/${pending!.id}`);
      expect(body.history!.map((h) => h.action)).toEqual(['submitted']);
      expect((await call('GET', `/registrations/${pending!.id}`, undefined, otherKey)).status).toBe(
        404,
      );
    });
  });

  describe('deciding', () => {
    let pendingId: string;
    beforeAll(async () => {
      pendingId = (await register(partners.silver.id, 'Umbrella Group')).body.id;
    });

    it('needs a reason to reject', async () => {
      const { status, body } = await call('POST', `/registrations/${pendingId}/decision`, {
        decision: 'reject',
      });
      expect(status).toBe(400);
      expect(body.error!.details!.map((d) => d.path)).toEqual(['reason']);
    });

    it('re-checks the conflicts at decision time: a partner gone inactive cannot be approved', async () => {
      await database.db.query("update partners set status = 'inactive' where id = $1", [
        partners.silver.id,
      ]);
      const { status, body } = await call('POST', `/registrations/${pendingId}/decision`, {
        decision: 'approve',
      });
      expect(status).toBe(409);
      expect(body.error!.code).toBe('REGISTRATION.CONFLICTS');
      await database.db.query("update partners set status = 'active' where id = $1", [
        partners.silver.id,
      ]);
    });

    it('approves, starting the window at approval, audited, and only once', async () => {
      const { status, body } = await call('POST', `/registrations/${pendingId}/decision`, {
        decision: 'approve',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        status: 'approved',
        window: { start: new Date(clock).toISOString() },
      });
      expect(
        (await call('POST', `/registrations/${pendingId}/decision`, { decision: 'approve' }))
          .status,
      ).toBe(409);
      const audit = await database.db.query(
        "select actor from audit_events where subject_id = $1 and action = 'registration.approved'",
        [pendingId],
      );
      expect(audit).toEqual([{ actor: 'api_key' }]);
    });

    it("extends an approved registration once by the program's days", async () => {
      const before = (await call('GET', `/registrations/${pendingId}`)).body.window!.end;
      const { body } = await call('POST', `/registrations/${pendingId}/extend`);
      expect(Date.parse(body.window!.end) - Date.parse(before)).toBe(30 * DAY);
      expect(body.extensions).toBe(1);
      const again = await call('POST', `/registrations/${pendingId}/extend`);
      expect(again.status).toBe(409);
      expect(again.body.error!.code).toBe('REGISTRATION.EXTENSION_LIMIT');
    });

    it('rejects with the reason given', async () => {
      const { body } = await register(partners.gold.id, 'Brand New Company', {
        companyDomain: 'brandnew.io',
        amount: { amount: 90000, currency: 'USD' },
      });
      expect(body.status).toBe('pending');
      const rejected = await call('POST', `/registrations/${body.id}/decision`, {
        decision: 'reject',
        reason: 'Not a fit for the program',
      });
      expect(rejected.body).toMatchObject({ status: 'rejected' });
      expect((await call('GET', `/registrations/${body.id}`)).body).toMatchObject({
        rejectionReason: 'Not a fit for the program',
      });
    });
  });

  describe('the sweep', () => {
    it('converts an approved registration once its partner has a deal on the account, and expires the rest at window end', async () => {
      const acme = (await call('GET', '/registrations?status=approved')).body.items.find(
        (r) => r.matchedAccountId === '1',
      )!;
      const ids = await upsertDeals(database.db, tenant.id, 'hubspot', [
        createDealRecord({ crmId: '901', name: 'Acme expansion', createdAt: new Date(clock) }),
      ]);
      await setDealAccounts(database.db, tenant.id, new Map([['901', '1']]));
      const card = async () =>
        (await call('GET', '/deals/901/card')).body as unknown as {
          registrations: Array<{
            id: string;
            partner: { name: string };
            daysLeft: number;
            company: { name: string; domain: string | null };
            accountMatch: Array<{ kind: string }>;
            conflicts: Array<{ kind: string }>;
          }>;
        };
      const before = await card();
      expect(before.registrations).toMatchObject([
        {
          id: acme.id,
          partner: { name: 'Gold Reseller' },
          company: { name: 'ACME, Inc.', domain: 'acme.com' },
          accountMatch: [{ kind: 'domain', domain: 'acme.com' }],
          conflicts: [{ kind: 'holder_not_on_deal' }],
        },
      ]);
      expect(before.registrations[0]!.daysLeft).toBeGreaterThan(80);
      await replaceCrmDealPartners(
        database.db,
        tenant.id,
        [...ids.values()],
        [
          {
            dealId: ids.get('901')!,
            partnerId: partners.gold.id,
            role: 'sourced',
            sharePct: '100.00',
          },
        ],
      );
      expect((await card()).registrations[0]!.conflicts).toEqual([]);
      const converted = await sweepRegistrations(database.db, clock);
      expect(converted.converted).toBe(1);
      expect((await call('GET', `/registrations/${acme.id}`)).body).toMatchObject({
        status: 'converted',
        convertedDealId: '901',
      });

      const result = await sweepRegistrations(database.db, clock + 200 * DAY);
      expect(result.expired).toBeGreaterThan(0);
      expect((await call('GET', '/registrations?status=approved')).body.items).toEqual([]);
      const history = (await call('GET', `/registrations/${acme.id}`)).body.history!.map(
        (h) => h.action,
      );
      expect(history).toEqual(['submitted', 'approved', 'converted']);
    });
  });
});
