import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { importAccountList } from '../../../server/cosell/account-lists';
import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { CrmRegistry } from '../../../server/crm/port';
import { syncTenant } from '../../../server/crm/sync';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { upsertProgramPartners } from '../../../server/partners/program-partners';
import { reconcileTenant } from '../../../server/partners/reconcile-tenant';
import { generateEcosystem, programPartnersOf } from '../../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import { startTestApi, type TestApi } from '../../support/api';
import { hubspotCrms } from '../../support/crms';
import {
  createTestDatabase,
  DATABASE_KINDS,
  silentLogger,
  type TestDatabase,
} from '../../support/services';

const APP = { clientId: 'cosell-app', clientSecret: 'cosell-secret' };
const PORTAL = '910';

interface Card {
  account: { name: string } | null;
  partners: Array<{ id: string; role: string; sharePct: number }>;
  suggestions: Array<{
    partnerId: string;
    score: number;
    reasons: string[];
    parts: Record<string, number>;
  }>;
}

describe.each(DATABASE_KINDS)('co-sell on the deal card (%s)', (kind) => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  let deal: { crm_id: string; account_crm_id: string; domain: string | null; name: string };
  let partners: Array<{ id: string; company: string }>;

  const sync = () =>
    syncTenant(
      {
        db: database.db,
        crms: hubspotCrms(database.db, box, { ...APP, apiBase: sandbox.url }),
        logger: silentLogger,
      },
      tenant.id,
      { crm: 'hubspot', full: true },
    );
  const card = async () =>
    (await api.call<Card>('GET', `/api/v1/deals/${deal.crm_id}/card`, key)).body;
  const attach = (body: Record<string, unknown>, apiKey = key) =>
    api.call<{
      crm?: { written: boolean };
      sharePct?: number;
      explanation?: string;
      error?: { code: string };
    }>('POST', `/api/v1/deals/${deal.crm_id}/partners`, apiKey, body);
  const attributions = async () =>
    (
      await database.db.query(
        `select 1 from deal_partners dp join deals d on d.tenant_id = dp.tenant_id and d.id = dp.deal_id
          where d.tenant_id = $1 and d.crm_id = $2`,
        [tenant.id, deal.crm_id],
      )
    ).length;

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    const ecosystem = generateEcosystem({
      seed: 11,
      now: new Date('2026-11-01T00:00:00Z'),
      size: { partners: 12, companies: 40, deals: 80 },
      portalId: PORTAL,
    });
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [ecosystem] });
    tenant = await createTenant(database.db, { name: 'Cosell Co', hubspotPortalId: PORTAL });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken(PORTAL),
    );
    await upsertProgramPartners(database.db, tenant.id, programPartnersOf(ecosystem));
    const hubspot = { ...APP, apiBase: sandbox.url };
    await sync();
    await reconcileTenant(database.db, tenant.id);
    api = await startTestApi(database.db, {
      crms: hubspotCrms(database.db, box, hubspot),
    });
    key = (await issueApiKey(database.db, tenant.id, 'ae')).key;
    [deal] = (await database.db.query(
      `select d.crm_id, d.account_crm_id, a.domain, a.name from deals d join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
        where d.tenant_id = $1 and d.stage = 'open'
          and not exists (select 1 from registrations r where r.tenant_id = d.tenant_id and r.matched_account_crm_id = d.account_crm_id)
        order by d.crm_id limit 1`,
      [tenant.id],
    )) as [typeof deal];
    partners = await database.db.query(
      `select p.id, min(l.external_id) as company from partners p
         join partner_links l on l.tenant_id = p.tenant_id and l.partner_id = p.id and l.source = 'hubspot'
        where p.tenant_id = $1 and p.status = 'active'
          and not exists (select 1 from deal_partners dp join deals d on d.id = dp.deal_id and d.tenant_id = dp.tenant_id
                           where dp.tenant_id = p.tenant_id and dp.partner_id = p.id and d.crm_id = $2)
        group by p.id order by p.id limit 2`,
      [tenant.id, deal.crm_id],
    );
  });
  afterAll(async () => {
    await api.close();
    await sandbox.close();
    await database.drop();
  });

  it('suggests a partner that has the account in its list first, with the reason and score parts', async () => {
    await importAccountList(
      database.db,
      tenant.id,
      partners[0]!.id,
      Readable.from([`name,domain,population\n"${deal.name}",${deal.domain ?? ''},customer\n`]),
      'test',
    );
    const { suggestions } = await card();
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(5);
    expect(suggestions[0]).toMatchObject({
      partnerId: partners[0]!.id,
      reasons: expect.arrayContaining([`Has ${deal.name} as a customer in its account list`]),
    });
    for (const s of suggestions) {
      expect(s.reasons.length).toBeGreaterThan(0);
      expect(s.score).toBeCloseTo(
        Object.values(s.parts).reduce((a, b) => a + b, 0),
        5,
      );
    }
  });

  it('stops suggesting a partner once declined for the account', async () => {
    const path = `/api/v1/deals/${deal.crm_id}/suggestions/${partners[0]!.id}/decline`;
    expect((await api.call('POST', path, key, { reason: 'Competes with us here' })).status).toBe(
      201,
    );
    expect((await card()).suggestions.map((s) => s.partnerId)).not.toContain(partners[0]!.id);
  });

  it('attaches a partner: written to HubSpot as a labelled association, then on the card and off the suggestions', async () => {
    const response = await attach({ partnerId: partners[1]!.id, role: 'influenced' });
    expect(response.status).toBe(201);
    expect(response.body.crm).toEqual({ written: true, companyId: partners[1]!.company });
    const associations = sandbox.store.portal(PORTAL)!.dealCompanies.get(deal.crm_id) ?? [];
    expect(
      associations
        .find((a) => a.toObjectId === partners[1]!.company)
        ?.associationTypes.map((t) => t.label),
    ).toContain('Influencing partner');
    const after = await card();
    expect(after.partners).toContainEqual(
      expect.objectContaining({ id: partners[1]!.id, role: 'influenced', sharePct: 100 }),
    );
    expect(after.suggestions.map((s) => s.partnerId)).not.toContain(partners[1]!.id);
  });

  it('splits the role evenly with the next co-seller via the CRM, as every sync will', async () => {
    const response = await attach({ partnerId: partners[0]!.id, role: 'influenced', sharePct: 30 });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ sharePct: 50 });
    expect(response.body.explanation).toMatch(
      /is on ".+" as influenced partner with 50 %: the CRM records influenced partners without shares, and its 2 split the role evenly \(the 30 % asked for does not apply\), as every sync will\.$/,
    );
    const shares = async () =>
      (
        await database.db.query<{ partner_id: string; share_pct: string; origin: string }>(
          `select dp.partner_id, dp.share_pct::text, dp.origin from deal_partners dp
             join deals d on d.tenant_id = dp.tenant_id and d.id = dp.deal_id
            where d.tenant_id = $1 and d.crm_id = $2 and dp.role = 'influenced' order by dp.partner_id`,
          [tenant.id, deal.crm_id],
        )
      ).map((row) => [row.partner_id, row.share_pct, row.origin]);
    const afterAttach = await shares();
    expect(afterAttach.map(([, share]) => share).sort()).toEqual(['50.00', '50.00']);
    // The CRM is the record: a sync leaves the same partners and shares.
    await sync();
    expect(await shares()).toEqual(afterAttach);
    // Removed in HubSpot, gone here after the next sync.
    const associations = sandbox.store.portal(PORTAL)!.dealCompanies.get(deal.crm_id)!;
    sandbox.store.portal(PORTAL)!.dealCompanies.set(
      deal.crm_id,
      associations.filter((a) => a.toObjectId !== partners[0]!.company),
    );
    await sync();
    expect((await shares()).map(([id, share]) => [id, share])).toEqual([
      [partners[1]!.id, '100.00'],
    ]);
  });

  it('refuses a second attach, shares over 100 % by hand and bad input, writing nothing', async () => {
    const before = await attributions();
    const again = await attach({ partnerId: partners[1]!.id, role: 'influenced' });
    expect([again.status, again.body.error!.code]).toEqual([409, 'PARTNER.ALREADY_ON_DEAL']);
    // Without a CRM to write to, the share asked for must fit what is left.
    const manualApi = await startTestApi(database.db);
    try {
      const over = await manualApi.call<{ error: { code: string } }>(
        'POST',
        `/api/v1/deals/${deal.crm_id}/partners`,
        key,
        { partnerId: partners[0]!.id, role: 'influenced', sharePct: '60' },
      );
      expect([over.status, over.body.error.code]).toEqual([409, 'SHARES.OVER_100']);
    } finally {
      await manualApi.close();
    }
    for (const body of [
      { partnerId: partners[0]!.id, role: 'owner' },
      { partnerId: partners[0]!.id, role: 'sourced', sharePct: '0' },
      { partnerId: 'nope', role: 'sourced' },
    ])
      expect((await attach(body)).status).toBe(400);
    expect(await attributions()).toBe(before);
  });

  it('writes nothing when the CRM refuses the change', async () => {
    const failing = await startTestApi(database.db, {
      crms: new CrmRegistry([
        {
          crm: 'hubspot',
          connect: async () => ({
            ...(await hubspotCrms(database.db, box, { ...APP, apiBase: sandbox.url }).connect(
              tenant.id,
              'hubspot',
            )),
            attachPartner: () => Promise.reject(new Error('HubSpot answered 503')),
          }),
        },
      ]),
    });
    try {
      const before = await attributions();
      const response = await failing.call<{ error: { code: string } }>(
        'POST',
        `/api/v1/deals/${deal.crm_id}/partners`,
        key,
        { partnerId: partners[0]!.id, role: 'referral' },
      );
      expect([response.status, response.body.error.code]).toEqual([502, 'CRM.WRITE_FAILED']);
      expect(await attributions()).toBe(before);
    } finally {
      await failing.close();
    }
  });

  it('holds no database connection while the CRM takes its time, and lets one of two same attaches through', async () => {
    let release!: () => void;
    const crmAnswered = new Promise<void>((resolve) => (release = resolve));
    const slow = await startTestApi(database.db, {
      crms: new CrmRegistry([
        {
          crm: 'hubspot',
          connect: async () => ({
            ...(await hubspotCrms(database.db, box, { ...APP, apiBase: sandbox.url }).connect(
              tenant.id,
              'hubspot',
            )),
            attachPartner: () => crmAnswered,
          }),
        },
      ]),
    });
    try {
      const body = { partnerId: partners[0]!.id, role: 'referral' };
      const first = slow.call('POST', `/api/v1/deals/${deal.crm_id}/partners`, key, body);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The database answers while the CRM write is on its way (PGlite has one connection): the
      // CRM answers only after this, so a held connection would never let it.
      expect((await slow.call('GET', `/api/v1/deals/${deal.crm_id}/card`, key)).status).toBe(200);
      // …and the same attach meanwhile is told it is under way, not written twice.
      const second = await slow.call<{ error: { code: string } }>(
        'POST',
        `/api/v1/deals/${deal.crm_id}/partners`,
        key,
        body,
      );
      expect([second.status, second.body.error.code]).toEqual([409, 'ATTACH.IN_PROGRESS']);
      release();
      expect((await first).status).toBe(201);
      expect(
        (await card()).partners.some((p) => p.id === partners[0]!.id && p.role === 'referral'),
      ).toBe(true);
    } finally {
      release();
      await slow.close();
    }
  });

  it("keeps another tenant's deals and partners out of reach", async () => {
    const other = await createTenant(database.db, { name: 'Other' });
    const otherKey = (await issueApiKey(database.db, other.id, 'o')).key;
    expect((await attach({ partnerId: partners[0]!.id, role: 'referral' }, otherKey)).status).toBe(
      404,
    );
    const decline = await api.call(
      'POST',
      `/api/v1/deals/${deal.crm_id}/suggestions/${partners[0]!.id}/decline`,
      otherKey,
      {},
    );
    expect(decline.status).toBe(404);
  });
});
