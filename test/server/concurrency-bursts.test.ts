import { randomBytes } from 'node:crypto';

import { recomputeStaleDeals } from '../../server/commissions/recompute-deals';
import { storeHubSpotRefreshToken } from '../../server/crm/hubspot/credentials';
import { CrmRegistry } from '../../server/crm/port';
import { syncTenant } from '../../server/crm/sync';
import { issueApiKey } from '../../server/db/api-keys';
import { replaceCrmDealPartners, upsertDeals } from '../../server/db/mirror';
import { createTenant, type Tenant } from '../../server/db/tenants';
import { CryptoBox } from '../../server/lib/crypto-box';
import { upsertProgramPartners } from '../../server/partners/program-partners';
import { reconcileTenant } from '../../server/partners/reconcile-tenant';
import { generateEcosystem, programPartnersOf } from '../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../server/sandbox/server';
import { startTestApi, type TestApi } from '../support/api';
import { hubspotCrms } from '../support/crms';
import { createDealRecord, createPartnerInput, upsertPartners } from '../support/fixtures';
import {
  createTestDatabase,
  DATABASE_KINDS,
  silentLogger,
  type TestDatabase,
} from '../support/services';

const BURST = 20;
const APP = { clientId: 'burst-app', clientSecret: 'burst-secret' };
const PORTAL = '920';

type Answer = { status: number; body: { error?: { code: string }; replayed?: boolean } };
const statuses = (answers: Answer[]) =>
  answers.map((a) => (a.status >= 400 ? `${a.status} ${a.body.error?.code}` : String(a.status)));
const tally = (answers: Answer[]) => {
  const counts: Record<string, number> = {};
  for (const status of statuses(answers)) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

describe.each(DATABASE_KINDS)('the same write sent 20 times at once (%s)', (kind) => {
  const box = new CryptoBox(randomBytes(32));
  const month = new Date().toISOString().slice(0, 7);
  const reseller = createPartnerInput({ name: 'Burst Reseller', type: 'reseller', tier: 'gold' });
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  // Every call the API makes to write an attach to HubSpot, passed on to the real adapter.
  let crmWrites = 0;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await database.db.query<{ n: string }>(sql, [tenant.id, ...params]))[0]!.n);
  const burst = (method: string, path: string, body: (i: number) => unknown) =>
    Promise.all(
      Array.from({ length: BURST }, (_, i) => api.call(method, path, key, body(i))),
    ) as Promise<Answer[]>;
  const wonDeal = async (crmId: string, amount: string) => {
    const ids = await upsertDeals(database.db, tenant.id, 'hubspot', [
      createDealRecord({
        crmId,
        stage: 'won',
        amount,
        closedAt: new Date(Date.now() - 86_400_000),
      }),
    ]);
    await replaceCrmDealPartners(
      database.db,
      tenant.id,
      [ids.get(crmId)!],
      [{ dealId: ids.get(crmId)!, partnerId: reseller.id, role: 'sourced', sharePct: '100.00' }],
    );
    await recomputeStaleDeals(database.db, tenant.id);
  };

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    const ecosystem = generateEcosystem({
      seed: 21,
      now: new Date('2026-11-01T00:00:00Z'),
      size: { partners: 8, companies: 20, deals: 30 },
      portalId: PORTAL,
    });
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [ecosystem] });
    tenant = await createTenant(database.db, { name: 'Burst Writes Co', hubspotPortalId: PORTAL });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken(PORTAL),
    );
    await upsertProgramPartners(database.db, tenant.id, programPartnersOf(ecosystem));
    const hubspot = { ...APP, apiBase: sandbox.url };
    await syncTenant(
      { db: database.db, crms: hubspotCrms(database.db, box, hubspot), logger: silentLogger },
      tenant.id,
      { crm: 'hubspot', full: true },
    );
    await reconcileTenant(database.db, tenant.id);
    await upsertPartners(database.db, tenant.id, [reseller]);
    const real = hubspotCrms(database.db, box, hubspot);
    api = await startTestApi(database.db, {
      crms: new CrmRegistry([
        {
          crm: 'hubspot',
          connect: async (tenantId) => {
            const connection = await real.connect(tenantId, 'hubspot');
            return {
              ...connection,
              attachPartner: (request) => ((crmWrites += 1), connection.attachPartner(request)),
            };
          },
        },
      ]),
    });
    key = (await issueApiKey(database.db, tenant.id, 'burst')).key;
    await api.call('PUT', '/api/v1/program', key, {
      version: 0,
      program: {
        autoApprove: { enabled: false, minTier: 'gold', maxAmount: 50000 },
        rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 1000 }],
      },
    });
  });
  afterAll(async () => {
    await api.close();
    await sandbox.close();
    await database.drop();
  });

  it('decides a registration once: one approval, the rest told it is decided', async () => {
    const submitted = await api.call<{ id: string; status: string }>(
      'POST',
      '/api/v1/registrations',
      key,
      {
        partnerId: reseller.id,
        companyName: 'Burst Decision Ltd',
        companyDomain: 'burst-decision.example',
        amount: { amount: '1000.00', currency: 'USD' },
      },
    );
    expect([submitted.status, submitted.body.status]).toEqual([201, 'pending']);
    const id = submitted.body.id;
    const answers = await burst('POST', `/api/v1/registrations/${id}/decision`, (i) =>
      i % 2 === 0 ? { decision: 'approve' } : { decision: 'reject', reason: 'Not ours' },
    );
    expect(tally(answers)).toEqual({ '200': 1, '409 REGISTRATION.DECIDED': BURST - 1 });
    expect(
      await count(
        `select count(*)::text as n from registration_decisions where tenant_id = $1 and registration_id = $2 and action in ('approved', 'rejected')`,
        [id],
      ),
    ).toBe(1);
  });

  it('records a refund once: one refund, one clawback, the rest answered as replays', async () => {
    await wonDeal('8801', '10000.00');
    const answers = await burst('POST', '/api/v1/refunds', () => ({
      refundId: 'burst-refund-1',
      dealId: '8801',
      amount: { amount: '2500.00', currency: 'USD' },
    }));
    expect(tally(answers)).toEqual({ '201': 1, '200': BURST - 1 });
    expect(answers.filter((a) => a.body.replayed)).toHaveLength(BURST - 1);
    expect(await count(`select count(*)::text as n from refunds where tenant_id = $1`)).toBe(1);
    expect(
      await count(
        `select count(*)::text as n from ledger_entries where tenant_id = $1 and kind = 'clawback'`,
      ),
    ).toBe(1);
  });

  it('pays a partner once, whether the 20 share a request id or each has its own', async () => {
    await wonDeal('8802', '20000.00');
    const paid = () =>
      count(
        `select count(*)::text as n from ledger_entries where tenant_id = $1 and kind = 'payout'`,
      );
    const same = await burst('POST', '/api/v1/payouts', () => ({
      requestId: 'burst-payout-1',
      partnerId: reseller.id,
      throughPeriod: month,
    }));
    expect(tally(same)).toEqual({ '201': 1, '200': BURST - 1 });
    expect(await paid()).toBe(1);

    await wonDeal('8803', '30000.00');
    const distinct = await burst('POST', '/api/v1/payouts', (i) => ({
      requestId: `burst-payout-2-${i}`,
      partnerId: reseller.id,
      throughPeriod: month,
    }));
    expect(tally(distinct)).toEqual({ '201': 1, '409 PAYOUT.NOTHING_DUE': BURST - 1 });
    expect(await paid()).toBe(2);
  });

  it('attaches a partner once: one attribution, one CRM write, one audit event', async () => {
    const [target] = await database.db.query<{ deal: string; partner: string }>(
      `select d.crm_id as deal, p.id as partner from deals d, partners p
        where d.tenant_id = $1 and p.tenant_id = $1 and d.stage = 'open' and p.status = 'active'
          and exists (select 1 from partner_links l where l.tenant_id = p.tenant_id and l.partner_id = p.id and l.source = 'hubspot')
          and not exists (select 1 from deal_partners dp where dp.tenant_id = d.tenant_id and dp.deal_id = d.id)
        order by d.crm_id, p.id limit 1`,
      [tenant.id],
    );
    const writesBefore = crmWrites;
    const answers = await burst('POST', `/api/v1/deals/${target!.deal}/partners`, () => ({
      partnerId: target!.partner,
      role: 'influenced',
    }));
    const counts = tally(answers);
    expect(counts['201']).toBe(1);
    expect(
      (counts['409 ATTACH.IN_PROGRESS'] ?? 0) + (counts['409 PARTNER.ALREADY_ON_DEAL'] ?? 0),
    ).toBe(BURST - 1);
    expect(crmWrites - writesBefore).toBe(1);
    expect(
      await count(
        `select count(*)::text as n from deal_partners dp join deals d on d.tenant_id = dp.tenant_id and d.id = dp.deal_id
          where dp.tenant_id = $1 and d.crm_id = $2 and dp.partner_id = $3`,
        [target!.deal, target!.partner],
      ),
    ).toBe(1);
    expect(
      await count(
        `select count(*)::text as n from audit_events where tenant_id = $1 and action = 'deal.partner_attached' and subject_id = $2`,
        [target!.deal],
      ),
    ).toBe(1);
  });
});
