import { randomBytes } from 'node:crypto';

import jsforce, { type Connection } from 'jsforce';

import { syncHealth } from '../../../server/crm/connections';
import { CrmAuthError } from '../../../server/crm/port';
import { storeSalesforceTokens } from '../../../server/crm/salesforce/credentials';
import { CrmSyncIncomplete, syncTenant } from '../../../server/crm/sync';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { generateSalesforceOrg } from '../../../server/sandbox/seed/salesforce-org';
import {
  type RunningSalesforceSandbox,
  startSalesforceSandbox,
} from '../../../server/sandbox/server';
import { salesforceCrms } from '../../support/crms';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../support/services';

const APP = { clientId: 'sf-sync-test', clientSecret: 'sf-sync-secret' };
const ORG = generateSalesforceOrg({
  seed: 5,
  now: new Date('2026-11-01T00:00:00Z'),
  size: { partners: 14, customers: 60, opportunities: 2_600, hubspotTwins: 4 },
});
const ORG_ID = ORG.options.orgId;
const VERSION = '62.0';

describe('Salesforce sync through the CRM port', () => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let sandbox: RunningSalesforceSandbox;
  let tenant: Tenant;
  let app: { clientId: string; clientSecret: string; loginUrl: string; apiVersion: string };

  const crms = (options: { bulkThreshold?: number } = {}) =>
    salesforceCrms(database.db, box, app, options);
  const sync = (options: { full?: boolean; bulkThreshold?: number } = {}) =>
    syncTenant({ db: database.db, crms: crms(options), logger: silentLogger }, tenant.id, {
      crm: 'salesforce',
      full: options.full ?? false,
    });
  const health = async () => (await syncHealth(database.db, tenant.id, Date.now()))[0]!;
  /** jsforce on the org as another integration (or a user) would write to it. */
  const org = (): Connection => {
    const { accessToken } = sandbox.store.grantTokens(ORG_ID);
    return new jsforce.Connection({ instanceUrl: sandbox.url, accessToken, version: VERSION });
  };
  const connect = async () => {
    const { accessToken, refreshToken } = sandbox.store.grantTokens(ORG_ID);
    await storeSalesforceTokens(database.db, box, tenant.id, {
      accessToken,
      refreshToken,
      instanceUrl: sandbox.url,
      orgId: ORG_ID,
    });
  };
  const count = async (sql: string) =>
    Number(
      (await database.db.query<{ n: string }>(sql.replace('$tenant', '$1'), [tenant.id]))[0]!.n,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSalesforceSandbox({ port: 0, app: APP, orgs: [ORG] });
    app = { ...APP, loginUrl: sandbox.url, apiVersion: VERSION };
    tenant = await createTenant(database.db, { name: 'Salesforce only' });
    await connect();
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });

  it('reads the whole org the first time, paging past 2,000 opportunities', async () => {
    const [result] = await sync();
    const opportunities = ORG.records.Opportunity!.length;
    expect(result).toMatchObject({
      crm: 'salesforce',
      mode: 'full',
      deals: opportunities,
      skipped: 0,
    });
    expect(
      await count(`select count(*) n from deals where tenant_id = $tenant and crm = 'salesforce'`),
    ).toBe(opportunities);
    const partners = ORG.partners.length;
    expect(
      await count(`select count(*) n from accounts where tenant_id = $tenant and is_partner`),
    ).toBeGreaterThanOrEqual(partners);
    expect(await count(`select count(*) n from deal_companies where tenant_id = $tenant`)).toBe(
      ORG.records.Partner!.filter((p) => p.OpportunityId).length,
    );
    const [won] = await database.db.query<{ stage: string; closed_at: Date | null }>(
      `select stage, closed_at from deals where tenant_id = $1 and crm_id = $2`,
      [tenant.id, ORG.records.Opportunity!.find((o) => o.IsWon)!.Id],
    );
    expect(won).toMatchObject({ stage: 'won', closed_at: expect.any(Date) });
    expect(await health()).toMatchObject({
      crm: 'salesforce',
      status: 'connected',
      externalId: ORG_ID,
      apiUsage: { used: expect.any(Number), limit: 15_000 },
    });
    // Deal currencies come from the multi-currency org.
    expect(
      await count(`select count(distinct currency) n from deals where tenant_id = $tenant`),
    ).toBeGreaterThan(1);
  });

  it('reads the same org through Bulk API 2.0 above the threshold, to the same mirror', async () => {
    const before = await database.db.query(
      `select crm_id, name, amount::text, currency, stage, account_crm_id from deals where tenant_id = $1 order by crm_id`,
      [tenant.id],
    );
    const [result] = await sync({ full: true, bulkThreshold: 500 });
    expect(result).toMatchObject({
      mode: 'full',
      deals: ORG.records.Opportunity!.length,
      skipped: 0,
      archived: 0,
    });
    expect(
      await database.db.query(
        `select crm_id, name, amount::text, currency, stage, account_crm_id from deals where tenant_id = $1 order by crm_id`,
        [tenant.id],
      ),
    ).toEqual(before);
  });

  it('then reads only what changed since the SystemModstamp cursor, partner links included', async () => {
    const conn = org();
    const [open] = (
      await conn.query<{ Id: string }>('SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 2')
    ).records;
    const [partner] = (
      await conn.query<{ Id: string }>('SELECT Id FROM Account WHERE IsPartner = true LIMIT 1')
    ).records;
    await conn.sobject('Opportunity').update({ Id: open!.Id, Amount: 123456.5 });
    const link = await conn
      .sobject('Partner')
      .create({ OpportunityId: open!.Id, AccountToId: partner!.Id, Role: 'Referral' });
    const [result] = await sync();
    expect(result!.mode).toBe('incremental');
    // The last minute is read again (transactions commit after their SystemModstamp), not the org.
    expect(result!.deals).toBeLessThan(50);
    const [deal] = await database.db.query<{ amount: string }>(
      'select amount::text from deals where tenant_id = $1 and crm_id = $2',
      [tenant.id, open!.Id],
    );
    expect(Number(deal!.amount)).toBe(123456.5);
    expect(
      await database.db.query(
        'select company_crm_id, label from deal_companies where tenant_id = $1 and deal_crm_id = $2 and company_crm_id = $3',
        [tenant.id, open!.Id, partner!.Id],
      ),
    ).toEqual([{ company_crm_id: partner!.Id, label: 'Referral' }]);
    // A removed link and a deleted opportunity are seen by the next incremental read.
    await conn.sobject('Partner').destroy(link.id!);
    const [closed] = (
      await conn.query<{ Id: string }>('SELECT Id FROM Opportunity WHERE IsClosed = true LIMIT 1')
    ).records;
    await conn.sobject('Opportunity').destroy(closed!.Id);
    const [next] = await sync();
    expect(next!.archived).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        `select count(*) n from deal_companies where tenant_id = $tenant and deal_crm_id = '${open!.Id}' and company_crm_id = '${partner!.Id}'`,
      ),
    ).toBe(0);
    const [archived] = await database.db.query<{ archived_at: Date | null }>(
      'select archived_at from deals where tenant_id = $1 and crm_id = $2',
      [tenant.id, closed!.Id],
    );
    expect(archived!.archived_at).toEqual(expect.any(Date));
  });

  it('skips, counts and goes on past a record without the fields PartnerLens relies on', async () => {
    const sfOrg = sandbox.store.org(ORG_ID)!;
    const good = ORG.records.Opportunity![0]!;
    const broken = { ...good, Id: sfOrg.ids.next('006'), Name: null, SystemModstamp: Date.now() };
    sfOrg.put('Opportunity', broken);
    const [result] = await sync().finally(() =>
      sfOrg.table('Opportunity').delete(String(broken.Id)),
    );
    expect(result!.skipped).toBe(1);
    expect(
      await count(
        `select count(*) n from deals where tenant_id = $tenant and crm_id = '${String(broken.Id)}'`,
      ),
    ).toBe(0);
  });

  it('refreshes an expired access token on INVALID_SESSION_ID and keeps the new one sealed', async () => {
    const [before] = await database.db.query<{ access_token_enc: string }>(
      `select access_token_enc from crm_credentials where tenant_id = $1 and provider = 'salesforce'`,
      [tenant.id],
    );
    sandbox.store.expireAccessTokens(ORG_ID);
    const [result] = await sync();
    expect(result!.mode).toBe('incremental');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [after] = await database.db.query<{ access_token_enc: string }>(
      `select access_token_enc from crm_credentials where tenant_id = $1 and provider = 'salesforce'`,
      [tenant.id],
    );
    expect(after!.access_token_enc).not.toBe(before!.access_token_enc);
    expect(after!.access_token_enc).not.toContain('!');
    expect((await health()).status).toBe('connected');
  });

  it('backs off and resumes on REQUEST_LIMIT_EXCEEDED and 5xx, with nothing lost or doubled', async () => {
    const deals = await count(
      `select count(*) n from deals where tenant_id = $tenant and archived_at is null`,
    );
    sandbox.store.failNext(ORG_ID, 2, 'REQUEST_LIMIT_EXCEEDED');
    sandbox.store.failNext(ORG_ID, 1, 'SERVER_UNAVAILABLE');
    const [result] = await sync({ full: true });
    expect(result).toMatchObject({ mode: 'full', deals, archived: 0 });
    expect(
      await count(`select count(*) n from deals where tenant_id = $tenant and archived_at is null`),
    ).toBe(deals);
  });

  it('stops short of the daily API budget, says so in sync health, and resumes when there is room', async () => {
    const usage = sandbox.store.apiUsage(ORG_ID);
    usage.set(14_000);
    await expect(sync()).rejects.toMatchObject({
      synced: [],
      broken: [expect.objectContaining({ code: 'CRM.BUDGET_REACHED' })],
    });
    expect(await health()).toMatchObject({
      status: 'paused',
      statusReason: expect.stringContaining('of its 15000 daily API calls'),
    });
    usage.set(0);
    const [result] = await sync();
    expect(result!.mode).toBe('incremental');
    expect(await health()).toMatchObject({ status: 'connected', statusReason: null });
  });

  it('marks the connection broken when Salesforce refuses the refresh token, without a crash loop', async () => {
    const [row] = await database.db.query<{ refresh_token_enc: string }>(
      `select refresh_token_enc from crm_credentials where tenant_id = $1 and provider = 'salesforce'`,
      [tenant.id],
    );
    const refreshToken = box.open(row!.refresh_token_enc, `${tenant.id}:salesforce:refresh_token`);
    sandbox.store.revoke(refreshToken);
    sandbox.store.expireAccessTokens(ORG_ID);
    const failure = await sync().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CrmSyncIncomplete);
    expect((failure as CrmSyncIncomplete).broken[0]).toBeInstanceOf(CrmAuthError);
    expect(await health()).toMatchObject({
      status: 'broken',
      statusReason: expect.stringContaining('refused the org'),
    });
    // Connecting the org again makes it live.
    await connect();
    await sync();
    expect((await health()).status).toBe('connected');
  });
});
