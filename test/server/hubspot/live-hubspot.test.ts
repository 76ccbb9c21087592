import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from '@hubspot/api-client';

import { loadConfig, SANDBOX_HUBSPOT_APP } from '../../../server/config';
import { tenantsWithStaleChanges } from '../../../server/crm/changes';
import { markConnection } from '../../../server/crm/connections';
import { HUBSPOT_SCOPES } from '../../../server/crm/hubspot/scopes';
import { issueOAuthState, STATE_TTL_MS } from '../../../server/crm/oauth-state';
import { issueApiKey } from '../../../server/db/api-keys';
import { findTenantByPortalId } from '../../../server/db/tenants';
import type { DemoFile } from '../../../server/demo-file';
import { signHubSpotV3 } from '../../../server/http/auth/hubspot-signature';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { loadEncryptionKey } from '../../../server/runtime';
import { INSTALL_PORTAL_ID } from '../../../server/sandbox/seed/ecosystem';
import { type Running, startPartnerLens } from '../../../server/start';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../support/services';

/** Polls until `check` answers something other than undefined, or fails after `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A browser's walk through redirects: each hop's URL, then the last page. */
async function browse(start: string) {
  const hops: string[] = [];
  let url = start;
  for (let i = 0; i < 6; i++) {
    hops.push(url);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.arrayBuffer();
      url = new URL(location, url).toString();
      continue;
    }
    return { hops, status: response.status, text: await response.text() };
  }
  throw new Error(`too many redirects from ${start}`);
}

/**
 * The marketplace install, HubSpot's webhooks and the uninstall, end to end: `npm start`'s wiring
 * (API, workers, the local HubSpot delivering signed webhooks) on the real Postgres and Redis,
 * driven by a browser's redirects and by the official client.
 */
describe('HubSpot install, webhooks and uninstall', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-hubspot-'));
  let database: TestDatabase;
  let running: Running;
  let demo: DemoFile;
  let hubspot: Client;
  let box: CryptoBox;
  let config: ReturnType<typeof loadConfig>;

  const tenantCount = async () =>
    Number((await database.db.query<{ n: string }>('select count(*) as n from tenants'))[0]!.n);

  const signedPost = (url: string, body: string, timestamp = Date.now()) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(timestamp),
        'x-hubspot-signature-v3': signHubSpotV3(
          { method: 'POST', url, rawBody: body, timestamp: String(timestamp) },
          SANDBOX_HUBSPOT_APP.clientSecret,
        ),
      },
      body,
    });

  const card = async (dealId: string) => {
    const response = await fetch(`${demo.apiUrl}/api/v1/deals/${dealId}/card`, {
      headers: { authorization: `Bearer ${demo.apiKey}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as { deal?: { amount: { amount: string } | null } },
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    config = loadConfig(
      {},
      {
        DATA_DIR: dataDir,
        PORT: '0',
        SANDBOX_PORT: '0',
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        DATABASE_SCHEMA: database.schema,
        REDIS_URL: process.env.TEST_REDIS_URL,
        QUEUE_PREFIX: `hs_${randomBytes(4).toString('hex')}`,
      },
    );
    running = await startPartnerLens(config, silentLogger);
    demo = JSON.parse(readFileSync(running.demo!.file!, 'utf8')) as DemoFile;
    hubspot = new Client({
      accessToken: demo.hubspot!.accessToken,
      basePath: demo.hubspot!.apiBase,
    });
    box = new CryptoBox(await loadEncryptionKey(config));
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the install', () => {
    let tenantId: string;

    it('walks HubSpot’s consent and back: the portal becomes a tenant and its first sync runs', async () => {
      expect(demo.hubspot!.installPortalId).toBe(INSTALL_PORTAL_ID);
      expect(await findTenantByPortalId(database.db, INSTALL_PORTAL_ID)).toBeUndefined();

      const walk = await browse(demo.hubspot!.installUrl);
      expect(walk.status).toBe(200);
      expect(walk.text).toContain('PartnerLens is installed');
      expect(walk.text).toContain(`HubSpot portal ${INSTALL_PORTAL_ID} is connected`);

      // install → HubSpot's authorize with the app's id, scopes and state → the callback.
      const authorize = new URL(walk.hops[1]!);
      expect(authorize.origin + authorize.pathname).toBe(`${running.sandboxUrl}/oauth/authorize`);
      expect(authorize.searchParams.get('client_id')).toBe(SANDBOX_HUBSPOT_APP.clientId);
      expect(authorize.searchParams.get('redirect_uri')).toBe(
        `${demo.apiUrl}/oauth/hubspot/callback`,
      );
      expect(authorize.searchParams.get('scope')!.split(' ')).toEqual([...HUBSPOT_SCOPES]);
      expect(new URL(walk.hops[2]!).pathname).toBe('/oauth/hubspot/callback');

      const tenant = await findTenantByPortalId(database.db, INSTALL_PORTAL_ID);
      expect(tenant).toBeDefined();
      tenantId = tenant!.id;
      const [credentials] = await database.db.query<{ status: string; refresh_token_enc: unknown }>(
        `select status, refresh_token_enc from crm_credentials where tenant_id = $1`,
        [tenantId],
      );
      expect(credentials).toMatchObject({ status: 'connected' });
      expect(String(credentials!.refresh_token_enc)).not.toContain('sandbox-refresh');

      const deals = await eventually(async () => {
        const [row] = await database.db.query<{ n: string }>(
          'select count(*) as n from deals where tenant_id = $1',
          [tenantId],
        );
        return Number(row!.n) === 120 ? 120 : undefined;
      }, 30_000);
      expect(deals).toBe(120);

      // The same callback again: its state was single-use, and nothing more is created.
      const before = await tenantCount();
      const again = await browse(walk.hops[2]!);
      expect(again.status).toBe(400);
      expect(again.text).toContain('It was used already');
      expect(await tenantCount()).toBe(before);
    }, 60_000);

    it('re-links a re-install to the same tenant, its data kept', async () => {
      const walk = await browse(demo.hubspot!.installUrl);
      expect(walk.text).toContain('PartnerLens is installed again');
      expect((await findTenantByPortalId(database.db, INSTALL_PORTAL_ID))!.id).toBe(tenantId);
      const [row] = await database.db.query<{ n: string }>(
        'select count(*) as n from deals where tenant_id = $1',
        [tenantId],
      );
      expect(Number(row!.n)).toBe(120);
    }, 30_000);

    it('creates nothing when consent is denied, the state is forged or it expired', async () => {
      const before = await tenantCount();
      const install = await fetch(demo.hubspot!.installUrl, { redirect: 'manual' });
      const authorize = new URL(install.headers.get('location')!);
      authorize.searchParams.set('deny', '1');
      const denied = await browse(authorize.toString());
      expect(denied.status).toBe(400);
      expect(denied.text).toContain('Access was not granted');

      const forged = await browse(`${demo.apiUrl}/oauth/hubspot/callback?code=abc&state=forged`);
      expect(forged.status).toBe(400);
      expect(forged.text).toContain('not given out by PartnerLens');

      const old = await issueOAuthState(
        database.db,
        box,
        'hubspot',
        Date.now() - STATE_TTL_MS - 1000,
      );
      const expired = await browse(
        `${demo.apiUrl}/oauth/hubspot/callback?code=abc&state=${encodeURIComponent(old)}`,
      );
      expect(expired.status).toBe(400);
      expect(expired.text).toContain('waited more than 10 minutes');

      const bare = await browse(`${demo.apiUrl}/oauth/hubspot/callback`);
      expect(bare.status).toBe(400);
      expect(await tenantCount()).toBe(before);
    }, 30_000);
  });

  describe('webhooks', () => {
    const webhookUrl = () => `${demo.apiUrl}/webhooks/hubspot`;

    it('bring a deal changed through the official client onto its card within seconds', async () => {
      const page = await hubspot.crm.deals.basicApi.getPage(50, undefined, ['amount', 'dealstage']);
      const deal = page.results.find((d) => !/closed/.test(d.properties.dealstage ?? ''))!;
      expect((await card(deal.id)).status).toBe(200);

      const amount = '73141.5';
      await hubspot.crm.deals.basicApi.update(deal.id, { properties: { amount } });
      const seen = await eventually(async () => {
        const answer = await card(deal.id);
        return Number(answer.body.deal?.amount?.amount) === Number(amount) ? answer : undefined;
      }, 15_000);
      expect(seen.status).toBe(200);

      // A deal created in HubSpot gets a card; an archived one no longer has one.
      const created = await hubspot.crm.deals.basicApi.create({
        properties: {
          dealname: 'Webhook-made deal',
          amount: '1200',
          dealstage: 'appointmentscheduled',
        },
        associations: [],
      });
      await eventually(async () => ((await card(created.id)).status === 200 ? true : undefined));
      await hubspot.crm.deals.basicApi.archive(created.id);
      await eventually(async () => ((await card(created.id)).status === 404 ? true : undefined));
    }, 60_000);

    it('converge whatever the number and order of deliveries, from the CRM rather than the payload', async () => {
      const page = await hubspot.crm.deals.basicApi.getPage(50, undefined, ['amount']);
      const deal = page.results[10]!;
      const portalId = Number(demo.hubspot!.portalId);
      const event = (eventId: number, occurredAt: number, value: string) => ({
        eventId,
        subscriptionId: 1,
        portalId,
        appId: 1,
        occurredAt,
        subscriptionType: 'object.propertyChange',
        attemptNumber: 0,
        objectId: Number(deal.id),
        objectTypeId: '0-3',
        changeSource: 'CRM',
        propertyName: 'amount',
        // Values a delivery carries are not trusted: the deal is re-read.
        propertyValue: value,
      });
      // Changed in HubSpot without a webhook of its own: only a re-read of these deliveries brings it.
      running
        .sandbox!.store.portal(demo.hubspot!.portalId)!
        .objects.deals.get(deal.id)!.properties.amount = '4242.42';
      const now = Date.now();
      const first = event(910_001, now - 2000, '1');
      const second = event(910_002, now - 1000, '2');
      const answers = [];
      for (const batch of [[second, first], [first, second], [first], [second, first]])
        answers.push(await (await signedPost(webhookUrl(), JSON.stringify(batch))).json());
      expect(answers).toEqual([
        { received: 2, new: 2, skipped: 0 },
        { received: 2, new: 0, skipped: 0 },
        { received: 1, new: 0, skipped: 0 },
        { received: 2, new: 0, skipped: 0 },
      ]);

      const crmAmount = (await hubspot.crm.deals.basicApi.getById(deal.id, ['amount'])).properties
        .amount!;
      expect(Number(crmAmount)).toBe(4242.42);
      await eventually(async () => {
        const rows = await database.db.query(
          `select 1 from crm_change_events where event_key like '91000_:%' and processed_at is null`,
        );
        return rows.length === 0 ? true : undefined;
      });
      const answer = await card(deal.id);
      expect(Number(answer.body.deal!.amount!.amount)).toBe(Number(crmAmount));
      const stored = await database.db.query(
        `select 1 from crm_change_events where event_key like '91000_:%'`,
      );
      expect(stored).toHaveLength(2);
    }, 30_000);

    it('refuse a tampered, stale or unsigned delivery with 401 and keep nothing of it', async () => {
      const body = JSON.stringify([
        {
          eventId: 920_001,
          subscriptionId: 1,
          portalId: Number(demo.hubspot!.portalId),
          appId: 1,
          occurredAt: Date.now(),
          subscriptionType: 'object.propertyChange',
          attemptNumber: 0,
          objectId: 1,
          objectTypeId: '0-3',
          changeSource: 'CRM',
        },
      ]);
      const unsigned = await fetch(webhookUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const stale = await signedPost(webhookUrl(), body, Date.now() - 6 * 60 * 1000);
      const timestamp = String(Date.now());
      const tampered = await fetch(webhookUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': signHubSpotV3(
            { method: 'POST', url: webhookUrl(), rawBody: body, timestamp },
            SANDBOX_HUBSPOT_APP.clientSecret,
          ),
        },
        body: body.replace('"objectId":1', '"objectId":2'),
      });
      const wrongSecret = await fetch(webhookUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': signHubSpotV3(
            { method: 'POST', url: webhookUrl(), rawBody: body, timestamp },
            'another-app-secret',
          ),
        },
        body,
      });
      expect([unsigned.status, stale.status, tampered.status, wrongSecret.status]).toEqual([
        401, 401, 401, 401,
      ]);
      expect(
        await database.db.query(`select 1 from crm_change_events where event_key like '920001:%'`),
      ).toHaveLength(0);

      const notAnArray = await signedPost(webhookUrl(), JSON.stringify({ events: [] }));
      expect(notAnArray.status).toBe(400);
    });
  });

  describe('the uninstall', () => {
    it('disconnects the tenant: tokens deleted, syncing stopped, cards refused with a clear code, a re-install resumes', async () => {
      const tenant = (await findTenantByPortalId(database.db, INSTALL_PORTAL_ID))!;
      const key = await issueApiKey(database.db, tenant.id, 'uninstall test');
      const api = (method: string, route: string) =>
        fetch(`${demo.apiUrl}/api/v1${route}`, {
          method,
          headers: { authorization: `Bearer ${key.key}` },
        });

      running.sandbox!.store.uninstall(INSTALL_PORTAL_ID);
      // The next call to HubSpot finds its tokens revoked: the connection is let go.
      expect((await api('POST', '/sync')).status).toBe(202);
      const credentials = await eventually(async () => {
        const [row] = await database.db.query<{
          status: string;
          refresh_token_enc: unknown;
          access_token_enc: unknown;
        }>(
          `select status, refresh_token_enc, access_token_enc from crm_credentials where tenant_id = $1`,
          [tenant.id],
        );
        return row?.status === 'disconnected' ? row : undefined;
      });
      expect(credentials).toMatchObject({ refresh_token_enc: null, access_token_enc: null });
      // Nothing brings it back but a re-install: not a later failure (a job or sweep that finds no
      // tokens), and its waiting change events are let go, so the sweep does not retry them.
      await markConnection(database.db, tenant.id, 'hubspot', { status: 'broken', reason: 'late' });
      expect(
        await database.db.query(
          `select 1 from crm_credentials where tenant_id = $1 and status = 'disconnected'`,
          [tenant.id],
        ),
      ).toHaveLength(1);
      expect(
        (await tenantsWithStaleChanges(database.db, 0)).filter((t) => t.tenantId === tenant.id),
      ).toEqual([]);

      const refused = await api('POST', '/sync');
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ error: { code: 'SYNC.DISCONNECTED' } });
      const health = (await (await api('GET', '/sync/health')).json()) as {
        crms: Array<{ crm: string; status: string }>;
      };
      expect(health.crms).toEqual([
        expect.objectContaining({ crm: 'hubspot', status: 'disconnected' }),
      ]);

      // HubSpot's card call for that portal: a code the card can explain.
      const [deal] = await database.db.query<{ crm_id: string }>(
        'select crm_id from deals where tenant_id = $1 limit 1',
        [tenant.id],
      );
      const cardUrl = `${demo.apiUrl}/api/v1/deals/${deal!.crm_id}/card?portalId=${INSTALL_PORTAL_ID}&userId=1`;
      const timestamp = String(Date.now());
      const signedCard = await fetch(cardUrl, {
        headers: {
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': signHubSpotV3(
            { method: 'GET', url: cardUrl, rawBody: '', timestamp },
            SANDBOX_HUBSPOT_APP.clientSecret,
          ),
        },
      });
      expect(signedCard.status).toBe(403);
      expect(await signedCard.json()).toMatchObject({ error: { code: 'AUTH.APP_UNINSTALLED' } });

      // Webhooks that still arrive for it are acknowledged and dropped.
      const late = await signedPost(
        `${demo.apiUrl}/webhooks/hubspot`,
        JSON.stringify([
          {
            eventId: 930_001,
            portalId: Number(INSTALL_PORTAL_ID),
            occurredAt: Date.now(),
            subscriptionType: 'object.propertyChange',
            objectId: Number(deal!.crm_id),
            objectTypeId: '0-3',
          },
        ]),
      );
      expect(await late.json()).toMatchObject({ new: 0 });

      // The data is kept; installing again reconnects the same tenant.
      const walk = await browse(demo.hubspot!.installUrl);
      expect(walk.text).toContain('PartnerLens is installed again');
      const [after] = await database.db.query<{ status: string }>(
        'select status from crm_credentials where tenant_id = $1',
        [tenant.id],
      );
      expect(after!.status).toBe('connected');
      expect((await api('POST', '/sync')).status).toBe(202);
    }, 60_000);
  });
});
