import { randomBytes } from 'node:crypto';

import jsforce, { type Connection } from 'jsforce';

import { SANDBOX_HUBSPOT_APP } from '../../../server/config';
import { processChanges } from '../../../server/crm/changes';
import { syncHealth } from '../../../server/crm/connections';
import { hubspotAdapter } from '../../../server/crm/hubspot/adapter';
import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { CrmRegistry } from '../../../server/crm/port';
import { salesforceAdapter } from '../../../server/crm/salesforce/adapter';
import { SalesforceChangeStreams } from '../../../server/crm/salesforce/change-stream';
import { storeSalesforceTokens } from '../../../server/crm/salesforce/credentials';
import { decodeChangeEvent } from '../../../server/crm/salesforce/notifications';
import { CrmSyncIncomplete, syncTenant } from '../../../server/crm/sync';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { reconcileTenant } from '../../../server/partners/reconcile-tenant';
import { generateEcosystem } from '../../../server/sandbox/seed/ecosystem';
import { generateSalesforceOrg } from '../../../server/sandbox/seed/salesforce-org';
import {
  type RunningSalesforceSandbox,
  type RunningSandbox,
  startSalesforceSandbox,
  startSandbox,
} from '../../../server/sandbox/server';
import { startTestApi, type TestApi } from '../../support/api';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../support/services';

const APP = { clientId: 'sf-live-test', clientSecret: 'sf-live-secret' };
const NOW = new Date('2026-11-01T00:00:00Z');
const VERSION = '62.0';
const PORTAL = '4000001';
const ORG = generateSalesforceOrg({
  seed: 42,
  now: NOW,
  size: { partners: 30, customers: 80, opportunities: 400, hubspotTwins: 16 },
});
const ORG_ID = ORG.options.orgId;
// The HubSpot demo's partners (seed 42, 50 of them) with fewer companies and deals.
const ECOSYSTEM = generateEcosystem({
  seed: 42,
  now: NOW,
  portalId: PORTAL,
  size: { partners: 50, companies: 60, deals: 80 },
});

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out');
};

describe('Salesforce live: install, change events, write-back, tenants of one or both CRMs', () => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let salesforce: RunningSalesforceSandbox;
  let hubspot: RunningSandbox;
  let crms: CrmRegistry;
  let api: TestApi;
  let app: { clientId: string; clientSecret: string; loginUrl: string; apiVersion: string };
  const tenants: Record<'hubspotOnly' | 'salesforceOnly' | 'both', Tenant> = {} as never;
  const keys: Record<keyof typeof tenants, string> = {} as never;

  const org = (): Connection => {
    const { accessToken } = salesforce.store.grantTokens(ORG_ID);
    return new jsforce.Connection({ instanceUrl: salesforce.url, accessToken, version: VERSION });
  };
  const deps = () => ({ db: database.db, crms, logger: silentLogger });
  const connectSalesforce = async (tenant: Tenant) => {
    await storeSalesforceTokens(database.db, box, tenant.id, {
      ...salesforce.store.grantTokens(ORG_ID),
      instanceUrl: salesforce.url,
      orgId: ORG_ID,
    });
  };
  const amountOf = async (tenant: Tenant, dealId: string) =>
    (
      await database.db.query<{ amount: string | null }>(
        'select amount::text from deals where tenant_id = $1 and crm_id = $2',
        [tenant.id, dealId],
      )
    )[0]?.amount;

  beforeAll(async () => {
    database = await createTestDatabase();
    salesforce = await startSalesforceSandbox({
      port: 0,
      app: APP,
      orgs: [ORG],
      sandbox: { streamingTimeoutSeconds: 5 },
    });
    hubspot = await startSandbox({ port: 0, app: SANDBOX_HUBSPOT_APP, ecosystems: [ECOSYSTEM] });
    app = { ...APP, loginUrl: salesforce.url, apiVersion: VERSION };
    crms = new CrmRegistry([
      hubspotAdapter({
        db: database.db,
        box,
        hubspot: { ...SANDBOX_HUBSPOT_APP, apiBase: hubspot.url },
        now: Date.now,
      }),
      salesforceAdapter({ db: database.db, box, salesforce: app, limits: { backoffMs: 20 } }),
    ]);
    for (const name of ['hubspotOnly', 'salesforceOnly', 'both'] as const) {
      tenants[name] = await createTenant(database.db, { name });
      keys[name] = (await issueApiKey(database.db, tenants[name].id, 'test')).key;
    }
    for (const tenant of [tenants.hubspotOnly, tenants.both])
      await storeHubSpotRefreshToken(
        database.db,
        box,
        tenant.id,
        hubspot.store.grantRefreshToken(PORTAL),
        PORTAL,
      );
    for (const tenant of [tenants.salesforceOnly, tenants.both]) await connectSalesforce(tenant);
    for (const tenant of Object.values(tenants)) {
      await syncTenant(deps(), tenant.id, { full: true });
      await reconcileTenant(database.db, tenant.id);
    }
    api = await startTestApi(database.db, {
      box,
      crms,
      salesforceInstall: { app, redirectUri: () => `${api.url}/oauth/salesforce/callback` },
    });
  });
  afterAll(async () => {
    await api?.close();
    await salesforce.close();
    await hubspot.close();
    await database.drop();
  });

  describe('tenants of one CRM or both', () => {
    it('mirrors each tenant only the CRMs it connected, and says so in sync health', async () => {
      const crmsOf = async (tenant: Tenant) =>
        (
          await database.db.query<{ crm: string }>(
            'select distinct crm from deals where tenant_id = $1 order by crm',
            [tenant.id],
          )
        ).map((row) => row.crm);
      expect(await crmsOf(tenants.hubspotOnly)).toEqual(['hubspot']);
      expect(await crmsOf(tenants.salesforceOnly)).toEqual(['salesforce']);
      expect(await crmsOf(tenants.both)).toEqual(['hubspot', 'salesforce']);
      const health = await syncHealth(database.db, tenants.both.id, Date.now());
      expect(health.map((h) => [h.crm, h.status])).toEqual([
        ['hubspot', 'connected'],
        ['salesforce', 'connected'],
      ]);
    });

    it('answers a Salesforce opportunity’s card to the tenants that have the org, not to the other', async () => {
      const opportunity = ORG.records.Opportunity!.find(
        (o) => !o.IsClosed && ORG.records.Partner!.some((p) => p.OpportunityId === o.Id),
      )!;
      const path = `/api/v1/deals/${String(opportunity.Id)}/card`;
      const card = await api.call<{ partners: unknown[] }>('GET', path, keys.salesforceOnly);
      expect(card.status).toBe(200);
      expect(card.body.partners.length).toBeGreaterThan(0);
      expect((await api.call('GET', path, keys.both)).status).toBe(200);
      expect((await api.call('GET', path, keys.hubspotOnly)).status).toBe(404);
    });

    it('reconciles a partner keyed in differently in HubSpot and Salesforce into one', async () => {
      const both = await database.db.query<{ partner_id: string; name: string }>(
        `select p.id as partner_id, p.name from partners p
          where p.tenant_id = $1
            and exists (select 1 from partner_links l where l.tenant_id = p.tenant_id and l.partner_id = p.id and l.source = 'hubspot')
            and exists (select 1 from partner_links l where l.tenant_id = p.tenant_id and l.partner_id = p.id and l.source = 'salesforce')`,
        [tenants.both.id],
      );
      const twins = ORG.partners.filter((p) => p.hubspotPartnerId).length;
      expect(both.length).toBeGreaterThanOrEqual(Math.ceil(twins / 2));
      // The Salesforce-only tenant has no HubSpot records to merge with.
      const [{ n }] = (await database.db.query<{ n: string }>(
        `select count(*) n from partner_links where tenant_id = $1 and source = 'hubspot'`,
        [tenants.salesforceOnly.id],
      )) as [{ n: string }];
      expect(Number(n)).toBe(0);
    });
  });

  describe('write-back', () => {
    const partnerOf = async (tenant: Tenant, accountId: string) =>
      (
        await database.db.query<{ partner_id: string }>(
          `select partner_id from partner_links where tenant_id = $1 and source = 'salesforce' and external_id = $2`,
          [tenant.id, accountId],
        )
      )[0]!.partner_id;
    const openWithout = (accountId: string) =>
      ORG.records.Opportunity!.find(
        (o) =>
          !o.IsClosed &&
          !ORG.records.Partner!.some(
            (p) => p.OpportunityId === o.Id && p.AccountToId === accountId,
          ),
      )!;

    it('puts the partner on the opportunity as a Partner row in the org’s role', async () => {
      const reseller = ORG.partners.find((p) => p.type === 'reseller')!;
      const opportunity = openWithout(reseller.accountId);
      const answer = await api.call(
        'POST',
        `/api/v1/deals/${String(opportunity.Id)}/partners`,
        keys.salesforceOnly,
        {
          partnerId: await partnerOf(tenants.salesforceOnly, reseller.accountId),
          role: 'reseller',
        },
      );
      expect(answer.status).toBe(201);
      const links = await org().query<{ Role: string }>(
        `SELECT Role FROM OpportunityPartner WHERE OpportunityId = '${String(opportunity.Id)}' AND AccountToId = '${reseller.accountId}'`,
      );
      expect(links.records.map((r) => r.Role)).toEqual(['Reseller']);
    });

    it('answers 502 CRM.WRITE_FAILED and writes nothing when Salesforce refuses', async () => {
      const referral = ORG.partners.find((p) => p.type === 'referral')!;
      const opportunity = openWithout(referral.accountId);
      // The opportunity is gone from the org; the mirror does not know yet.
      await org().sobject('Opportunity').destroy(String(opportunity.Id));
      const before = await database.db.query(
        `select dp.* from deal_partners dp join deals d on d.id = dp.deal_id where d.tenant_id = $1 and d.crm_id = $2`,
        [tenants.salesforceOnly.id, opportunity.Id],
      );
      const answer = await api.call<{ error: { code: string; message: string } }>(
        'POST',
        `/api/v1/deals/${String(opportunity.Id)}/partners`,
        keys.salesforceOnly,
        {
          partnerId: await partnerOf(tenants.salesforceOnly, referral.accountId),
          role: 'referral',
        },
      );
      expect(answer.status).toBe(502);
      expect(answer.body.error.code).toBe('CRM.WRITE_FAILED');
      expect(
        await database.db.query(
          `select dp.* from deal_partners dp join deals d on d.id = dp.deal_id where d.tenant_id = $1 and d.crm_id = $2`,
          [tenants.salesforceOnly.id, opportunity.Id],
        ),
      ).toEqual(before);
    });
  });

  describe('change events', () => {
    let streams: SalesforceChangeStreams;
    let catchUps = 0;
    const start = (catchUpEveryMs = 60_000) => {
      streams = new SalesforceChangeStreams({
        db: database.db,
        box,
        salesforce: app,
        logger: silentLogger,
        onChanges: (tenantId) => processChanges(deps(), tenantId, 'salesforce'),
        onCatchUp: async (tenantId) => {
          catchUps++;
          await syncTenant(deps(), tenantId, { crm: 'salesforce' });
        },
        catchUpEveryMs,
      });
      return streams.start();
    };
    afterEach(() => streams?.close());

    it('brings an amount changed in Salesforce into every tenant that has the org within seconds', async () => {
      await start();
      expect(streams.isStreaming(tenants.salesforceOnly.id)).toBe(true);
      expect(streams.isStreaming(tenants.hubspotOnly.id)).toBe(false);
      const [open] = (
        await org().query<{ Id: string }>(
          'SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 1',
        )
      ).records;
      await org().sobject('Opportunity').update({ Id: open!.Id, Amount: 777001 });
      await until(async () => Number(await amountOf(tenants.salesforceOnly, open!.Id)) === 777001);
      await until(async () => Number(await amountOf(tenants.both, open!.Id)) === 777001);
      const [position] = await database.db.query<{ replay_id: string }>(
        `select replay_id from crm_stream_positions where tenant_id = $1 and channel = '/data/OpportunityChangeEvent'`,
        [tenants.salesforceOnly.id],
      );
      expect(Number(position!.replay_id)).toBeGreaterThan(0);
    });

    it('fills a gap by SystemModstamp when the bus no longer has the stored replay id', async () => {
      const [open] = (
        await org().query<{ Id: string }>(
          'SELECT Id FROM Opportunity WHERE IsClosed = false ORDER BY Id DESC LIMIT 1',
        )
      ).records;
      // Changed while nothing listened, and then the bus forgot everything up to now.
      await org().sobject('Opportunity').update({ Id: open!.Id, Amount: 880088 });
      const bus = salesforce.store.org(ORG_ID)!.changes;
      bus.expireThrough(bus.latestReplayId);
      catchUps = 0;
      await start();
      expect(catchUps).toBeGreaterThanOrEqual(1);
      await until(async () => Number(await amountOf(tenants.salesforceOnly, open!.Id)) === 880088);
      expect(streams.isStreaming(tenants.salesforceOnly.id)).toBe(true);
    });

    it('catches up an event the bus lost, on its timer', async () => {
      await start(500);
      const [open] = (
        await org().query<{ Id: string }>(
          'SELECT Id FROM Opportunity WHERE IsClosed = false ORDER BY Id LIMIT 1 OFFSET 3',
        )
      ).records;
      salesforce.store.org(ORG_ID)!.changes.dropEvents(1);
      await org().sobject('Opportunity').update({ Id: open!.Id, Amount: 990099 });
      await until(async () => Number(await amountOf(tenants.both, open!.Id)) === 990099);
    });
  });

  describe('OAuth install', () => {
    const follow = async (url: string) => {
      const install = await fetch(url, { redirect: 'manual' });
      expect(install.status).toBe(302);
      const consent = await fetch(install.headers.get('location')!, { redirect: 'manual' });
      expect(consent.status).toBe(302);
      return new URL(consent.headers.get('location')!);
    };

    it('connects the org: code exchanged, org from the identity URL, tenant created, then re-linked', async () => {
      const callback = await follow(`${api.url}/oauth/salesforce/install`);
      expect(callback.pathname).toBe('/oauth/salesforce/callback');
      const page = await fetch(callback);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`Salesforce org ${ORG_ID} is connected`);
      // No tenant was linked to the org by its id yet: the install created one.
      const [linked] = await database.db.query<{ id: string }>(
        'select id from tenants where salesforce_org_id = $1',
        [ORG_ID.slice(0, 15)],
      );
      expect(linked).toBeDefined();
      const [credentials] = await database.db.query<{ status: string; instance_url: string }>(
        `select status, instance_url from crm_credentials where tenant_id = $1 and provider = 'salesforce'`,
        [linked!.id],
      );
      expect(credentials).toEqual({ status: 'connected', instance_url: salesforce.url });
      // Again: the same tenant, connected again.
      const again = await fetch(await follow(`${api.url}/oauth/salesforce/install`));
      expect(await again.text()).toContain('connected again');
      const [{ n }] = (await database.db.query<{ n: string }>(
        'select count(*) n from tenants where salesforce_org_id = $1',
        [ORG_ID.slice(0, 15)],
      )) as [{ n: string }];
      expect(Number(n)).toBe(1);
    });

    it('refuses a tampered, reused or missing state and writes nothing', async () => {
      const tenantsBefore = await database.db.query('select id from tenants order by id');
      const callback = await follow(`${api.url}/oauth/salesforce/install`);
      const state = callback.searchParams.get('state')!;
      const tampered = new URL(callback);
      tampered.searchParams.set('state', `${state.slice(0, -4)}AAAA`);
      const bad = await fetch(tampered);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('changed on the way');
      const none = new URL(callback);
      none.searchParams.delete('state');
      expect((await fetch(none)).status).toBe(400);
      // The state as given is good once.
      expect((await fetch(callback)).status).toBe(200);
      const reused = await fetch(callback);
      expect(reused.status).toBe(400);
      expect(await reused.text()).toContain('used already');
      expect(await database.db.query('select id from tenants order by id')).toEqual(tenantsBefore);
    });
  });

  it('counts a malformed change event as skipped, naming what is wrong', () => {
    expect(decodeChangeEvent(ORG_ID, { payload: {}, event: { replayId: 'x' } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ChangeEventHeader'),
    });
    expect(
      decodeChangeEvent(ORG_ID, {
        payload: {
          ChangeEventHeader: {
            entityName: 'Opportunity',
            recordIds: ['006000000000000AAA', '0065g000000*'],
            changeType: 'GAP_UPDATE',
            commitTimestamp: 1,
          },
        },
        event: { replayId: 7 },
      }),
    ).toMatchObject({
      ok: true,
      catchUp: true,
      notices: [{ objectType: 'deal', key: '7:006000000000000AAA' }],
    });
  });

  it('syncs the HubSpot portal of a tenant whose Salesforce grant was revoked, and says which is broken', async () => {
    const [row] = await database.db.query<{ refresh_token_enc: string }>(
      `select refresh_token_enc from crm_credentials where tenant_id = $1 and provider = 'salesforce'`,
      [tenants.both.id],
    );
    salesforce.store.revoke(
      box.open(row!.refresh_token_enc, `${tenants.both.id}:salesforce:refresh_token`),
    );
    await database.db.query(
      `update crm_credentials set access_token_enc = null where tenant_id = $1 and provider = 'salesforce'`,
      [tenants.both.id],
    );
    const failure = (await syncTenant(deps(), tenants.both.id).catch(
      (error: unknown) => error,
    )) as CrmSyncIncomplete;
    expect(failure).toBeInstanceOf(CrmSyncIncomplete);
    expect(failure.synced.map((r) => r.crm)).toEqual(['hubspot']);
    const health = await syncHealth(database.db, tenants.both.id, Date.now());
    expect(health.map((h) => [h.crm, h.status])).toEqual([
      ['hubspot', 'connected'],
      ['salesforce', 'broken'],
    ]);
  });
});
