import { randomBytes } from 'node:crypto';

import type { Worker } from 'bullmq';

import { syncHealth } from '../../../server/crm/connections';
import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { roleForLabel } from '../../../server/crm/hubspot/partner-roles';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { CrmSyncQueue, QUEUE_NAMES } from '../../../server/queue/queues';
import { addAndWait } from '../../../server/queue/wait-for-job';
import { startCrmSyncWorker } from '../../../server/queue/workers/crm-sync-worker';
import { type Ecosystem, generateEcosystem } from '../../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import { hubspotCrms } from '../../support/crms';
import { upsertPartners } from '../../support/fixtures';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

const APP = { clientId: 'test-app', clientSecret: 'test-secret' };
// More than one page of companies (100 per page) and of deals.
const SIZE = { partners: 12, companies: 150, deals: 230 };

describe('crm-sync', () => {
  const queueSettings = testQueueSettings();
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let ecosystem: Ecosystem;
  let tenant: Tenant;
  let queue: CrmSyncQueue;
  let worker: Worker;

  const syncOnce = () =>
    addAndWait(queueSettings, QUEUE_NAMES.crmSync, () => queue.sync(tenant.id), 30_000);

  const mirror = async () => ({
    accounts: await database.db.query(
      'select crm_id, name, domain, country, industry, company_type from accounts order by crm_id',
    ),
    deals: await database.db.query(
      'select crm_id, name, amount::text, currency, stage, crm_stage, account_crm_id, crm_created_at, closed_at from deals order by crm_id',
    ),
    dealCompanies: await database.db.query(
      'select deal_crm_id, company_crm_id, label from deal_companies order by 1, 2, 3',
    ),
    dealPartners: await database.db.query(
      `select d.crm_id, dp.partner_id, dp.role, dp.share_pct::text from deal_partners dp join deals d on d.id = dp.deal_id order by 1, 2, 3`,
    ),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    ecosystem = generateEcosystem({
      seed: 7,
      now: new Date('2026-11-01T00:00:00Z'),
      size: SIZE,
      portalId: '555',
    });
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [ecosystem] });
    tenant = await createTenant(database.db, { name: 'Sync Co', hubspotPortalId: '555' });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken('555'),
    );
    await upsertPartners(database.db, tenant.id, ecosystem.partners);
    queue = new CrmSyncQueue(queueSettings);
    worker = startCrmSyncWorker(queueSettings, {
      db: database.db,
      crms: hubspotCrms(database.db, box, { ...APP, apiBase: sandbox.url }),
      logger: silentLogger,
    });
    await syncOnce();
  });

  afterAll(async () => {
    await worker.close();
    await queue.queue.obliterate({ force: true });
    await queue.close();
    await sandbox.close();
    await database.drop();
  });

  it('mirrors every company and every deal across all pages', async () => {
    const { accounts, deals } = await mirror();
    expect(accounts).toHaveLength(SIZE.partners + SIZE.companies);
    expect(deals).toHaveLength(SIZE.deals);
  });

  it("reads the outcome from HubSpot's closed flags and keeps the close date of closed deals only", async () => {
    const won = ecosystem.deals
      .filter((d) => d.properties.hs_is_closed_won === 'true')
      .map((d) => d.id)
      .sort();
    const rows = await database.db.query<{ crm_id: string; closed_at: Date | null; stage: string }>(
      'select crm_id, closed_at, stage from deals order by crm_id',
    );
    expect(rows.filter((r) => r.stage === 'won').map((r) => r.crm_id)).toEqual(won);
    expect(rows.every((r) => (r.stage === 'open') === (r.closed_at === null))).toBe(true);
  });

  it("sets each deal's account to its primary company", async () => {
    const [row] = await database.db.query<{ account_crm_id: string }>(
      'select account_crm_id from deals where crm_id = $1',
      [ecosystem.deals[0]!.id],
    );
    const primary = ecosystem.dealCompanies
      .get(ecosystem.deals[0]!.id)!
      .find((a) => a.associationTypes.some((t) => t.typeId === 5));
    expect(row!.account_crm_id).toBe(primary!.toObjectId);
  });

  it('attaches each labelled partner company as its partner, in the role the label says', async () => {
    const partnerByCompany = new Map(ecosystem.partners.map((p) => [p.hubspotCompanyId, p.id]));
    const expected = [...ecosystem.dealCompanies].flatMap(([dealId, associations]) =>
      associations.flatMap((a) =>
        a.associationTypes
          .filter((t) => t.label && roleForLabel(t.label))
          .map((t) => ({
            crm_id: dealId,
            partner_id: partnerByCompany.get(a.toObjectId),
            role: roleForLabel(t.label!),
          })),
      ),
    );
    const { dealPartners } = await mirror();
    expect(expected.length).toBeGreaterThan(50);
    expect(
      dealPartners.map(({ crm_id, partner_id, role }) => ({ crm_id, partner_id, role })),
    ).toEqual(expect.arrayContaining(expected));
    expect(dealPartners).toHaveLength(expected.length);
  });

  it('gives the same rows when run a second time', async () => {
    const before = await mirror();
    await syncOnce();
    expect(await mirror()).toEqual(before);
  });

  it('follows changes in the CRM: a new amount, a partner removed', async () => {
    const portal = sandbox.store.portal('555')!;
    const dealId = [...portal.dealCompanies].find(([, a]) => a.length > 1)![0];
    portal.objects.deals.get(dealId)!.properties.amount = '777.50';
    portal.dealCompanies.set(dealId, portal.dealCompanies.get(dealId)!.slice(0, 1));
    await syncOnce();
    const [deal] = await database.db.query<{ amount: string; partners: string }>(
      `select trim_scale(amount)::text as amount, (select count(*)::text from deal_partners dp where dp.deal_id = d.id) as partners
         from deals d where crm_id = $1`,
      [dealId],
    );
    expect(deal).toEqual({ amount: '777.5', partners: '0' });
  });

  it('archives deals and companies deleted in the CRM, and revives one that comes back', async () => {
    const portal = sandbox.store.portal('555')!;
    const deal = portal.objects.deals.get(ecosystem.deals[5]!.id)!;
    const associations = portal.dealCompanies.get(deal.id)!;
    sandbox.store.deleteObject(portal, 'deals', deal.id);
    await syncOnce();
    const archivedAt = async () =>
      (
        await database.db.query<{ archived_at: Date | null }>(
          'select archived_at from deals where crm_id = $1',
          [deal.id],
        )
      )[0]!.archived_at;
    expect(await archivedAt()).toBeInstanceOf(Date);
    // Restored in HubSpot: a restore is a change, with a newer modification time.
    sandbox.store.putObject(portal, 'deals', { ...deal, updatedAt: new Date().toISOString() });
    portal.dealCompanies.set(deal.id, associations);
    await syncOnce();
    expect(await archivedAt()).toBeNull();
  });

  it('keeps the OAuth tokens encrypted at rest', async () => {
    const [row] = await database.db.query<{ refresh_token_enc: string; access_token_enc: string }>(
      'select refresh_token_enc, access_token_enc from crm_credentials',
    );
    expect(row!.refresh_token_enc).not.toContain('sandbox-refresh');
    expect(row!.access_token_enc).not.toContain('sandbox-access');
    expect(box.open(row!.access_token_enc, `${tenant.id}:hubspot:access_token`)).toMatch(
      /^sandbox-access-/,
    );
  });

  it('reads a refresh token HubSpot refuses as an uninstall: disconnected, tokens gone, syncing stopped, until reconnected', async () => {
    await storeHubSpotRefreshToken(database.db, box, tenant.id, 'revoked-token');
    await expect(syncOnce()).rejects.toThrow(
      /refused the tenant's refresh token \(400 invalid_grant\)/,
    );
    const [gone] = await syncHealth(database.db, tenant.id, Date.now());
    expect(gone).toMatchObject({
      crm: 'hubspot',
      status: 'disconnected',
      statusReason: expect.stringMatching(/refused the tenant's refresh token/),
    });
    const [tokens] = await database.db.query<{ refresh_token_enc: string | null }>(
      'select refresh_token_enc from crm_credentials where tenant_id = $1',
      [tenant.id],
    );
    expect(tokens!.refresh_token_enc).toBeNull();
    // Nothing is synced any more: the job has no connected CRM to read.
    await expect(syncOnce()).resolves.toBeUndefined();
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken('555'),
    );
    await expect(syncOnce()).resolves.toBeUndefined();
    const [healthy] = await syncHealth(database.db, tenant.id, Date.now());
    expect(healthy).toMatchObject({ status: 'connected', statusReason: null, lastError: null });
    expect(healthy!.lastFullSyncAt).not.toBeNull();
    expect(healthy!.lagSeconds).toBeLessThan(60);
  });

  it('does not open a token copied to another tenant', async () => {
    const [row] = await database.db.query<{ refresh_token_enc: string }>(
      'select refresh_token_enc from crm_credentials',
    );
    expect(() =>
      box.open(row!.refresh_token_enc, 'another-tenant:hubspot:refresh_token'),
    ).toThrow();
  });

  it('keeps one job per tenant while it waits', async () => {
    await worker.pause();
    try {
      await queue.sync(tenant.id);
      await queue.sync(tenant.id);
      expect(await queue.queue.getWaitingCount()).toBe(1);
    } finally {
      await queue.queue.drain();
      worker.resume();
    }
  });
});
