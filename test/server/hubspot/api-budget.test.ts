import { randomBytes } from 'node:crypto';

import express from 'express';

import {
  PAUSED_RETRY_MS,
  processChanges,
  recordChanges,
  tenantsWithStaleChanges,
} from '../../../server/crm/changes';
import { syncHealth } from '../../../server/crm/connections';
import { hubspotClient, storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { PortalLimiter, withRetries } from '../../../server/crm/hubspot/rate-limiter';
import { CrmSyncIncomplete, syncTenant } from '../../../server/crm/sync';
import { createTenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { listen, type Listening } from '../../../server/lib/listen';
import { createHubSpotSandbox } from '../../../server/sandbox/hubspot/app';
import { loadEcosystem } from '../../../server/sandbox/hubspot/load';
import { HubSpotSandboxStore } from '../../../server/sandbox/hubspot/store';
import { generateEcosystem } from '../../../server/sandbox/seed/ecosystem';
import { hubspotCrms } from '../../support/crms';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../support/services';

const APP = { clientId: 'budget-test', clientSecret: 'budget-secret' };
const NOW = new Date('2026-11-01T00:00:00Z');
const PORTAL = '81';

/**
 * HubSpot's rate-limit headers on successful answers: the ten-secondly window (every call) and the
 * daily budget (calls not made with OAuth), as the local HubSpot states them, read by the adapter
 * through the official client's call-time middleware.
 */
describe('HubSpot API limits stated by successful answers', () => {
  let database: TestDatabase;
  let store: HubSpotSandboxStore;
  let server: Listening;
  let apiBase: string;
  const box = new CryptoBox(randomBytes(32));
  /** Answers the local HubSpot refused with a 429, by policy. */
  const refused: string[] = [];

  const start = async (limits: { max: number; windowMs: number }) => {
    const outer = express();
    outer.use((_req, res, next) => {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode === 429) refused.push((body as { policyName: string }).policyName);
        return json(body);
      };
      next();
    });
    outer.use(createHubSpotSandbox(store, limits));
    server = await listen(outer, 0);
    apiBase = `http://127.0.0.1:${server.port}`;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new HubSpotSandboxStore(APP);
    loadEcosystem(
      store,
      generateEcosystem({
        seed: 3,
        now: NOW,
        size: { partners: 3, companies: 20, deals: 30 },
        portalId: PORTAL,
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });
  afterEach(async () => {
    await server.close();
    refused.length = 0;
  });

  it('follow the window a success states, so no call is refused even before a 429 taught it', async () => {
    // The portal's window is 10 calls a second; the limiter starts believing HubSpot's 110 / 10 s.
    await start({ max: 10, windowMs: 1000 });
    const token = store.grantPrivateAppToken(PORTAL);
    const client = hubspotClient({ ...APP, apiBase }, token, new PortalLimiter());
    for (let i = 0; i < 30; i++)
      await withRetries(client, (options) =>
        client.crm.deals.basicApi.getPage(
          1,
          undefined,
          ['dealname'],
          undefined,
          undefined,
          undefined,
          options,
        ),
      );
    expect(refused).toEqual([]);
  }, 30_000);

  describe("a portal's daily budget", () => {
    let tenantId: string;
    const crms = () => hubspotCrms(database.db, box, { ...APP, apiBase });
    const health = async () =>
      (await syncHealth(database.db, tenantId, Date.now())).find((h) => h.crm === 'hubspot')!;
    const connectWith = async (accessToken: string) =>
      storeHubSpotRefreshToken(
        database.db,
        box,
        tenantId,
        store.grantRefreshToken(PORTAL),
        PORTAL,
        { token: accessToken, expiresAt: new Date(Date.now() + 3_600_000) },
      );

    beforeAll(async () => {
      tenantId = (await createTenant(database.db, { name: 'Budget', hubspotPortalId: PORTAL })).id;
    });

    it('shows in sync health, and short of the last tenth the connection is paused, not broken', async () => {
      await start({ max: 110, windowMs: 10_000 });
      const portal = store.portal(PORTAL)!;
      Object.assign(portal.daily, { limit: 1000, used: 0, day: '' });
      // Calls made with a private app's token are the ones HubSpot counts against a daily limit.
      await connectWith(store.grantPrivateAppToken(PORTAL));

      await syncTenant({ db: database.db, crms: crms(), logger: silentLogger }, tenantId);
      const calls = portal.daily.used;
      expect(calls).toBeGreaterThan(0);
      expect(await health()).toMatchObject({
        status: 'connected',
        apiUsage: { used: calls, limit: 1000 },
      });

      // 899 of 1000 used: one more call reaches the 900 PartnerLens allows itself.
      portal.daily.used = 899;
      const stopped = await syncTenant(
        { db: database.db, crms: crms(), logger: silentLogger },
        tenantId,
      ).catch((error: unknown) => error);
      expect(stopped).toBeInstanceOf(CrmSyncIncomplete);
      expect((stopped as CrmSyncIncomplete).broken[0]).toMatchObject({
        code: 'CRM.BUDGET_REACHED',
      });
      expect(portal.daily.used).toBe(900);
      expect(refused).toEqual([]);
      const paused = await health();
      expect(paused).toMatchObject({ status: 'paused', apiUsage: { used: 900, limit: 1000 } });
      expect(paused.statusReason).toMatch(/used 900 of its 1000 daily API calls/);

      // HubSpot's day turns: the next sync resumes.
      portal.daily.used = 0;
      await syncTenant({ db: database.db, crms: crms(), logger: silentLogger }, tenantId);
      expect(await health()).toMatchObject({
        status: 'connected',
        statusReason: null,
        apiUsage: { used: calls, limit: 1000 },
      });
    }, 30_000);

    it('paused, lets its webhook notices wait, looks again every 15 minutes and resumes on a new day', async () => {
      await start({ max: 110, windowMs: 10_000 });
      const portal = store.portal(PORTAL)!;
      // 899 of today's 1000 used (the local HubSpot's day is the UTC date).
      Object.assign(portal.daily, {
        limit: 1000,
        used: 899,
        day: new Date().toISOString().slice(0, 10),
      });
      await connectWith(store.grantPrivateAppToken(PORTAL));
      const deps = { db: database.db, crms: crms(), logger: silentLogger };
      await expect(syncTenant(deps, tenantId)).rejects.toBeInstanceOf(CrmSyncIncomplete);
      expect(await health()).toMatchObject({ status: 'paused' });

      const [deal] = [...portal.objects.deals.keys()];
      await recordChanges(database.db, tenantId, 'hubspot', [
        {
          externalId: PORTAL,
          key: `paused-${Date.now()}`,
          objectType: 'deal',
          objectId: deal!,
          occurredAt: Date.now(),
        },
      ]);
      // Waiting while paused: the sweep gives it a job only once the pause is 15 minutes old.
      const waiting = () =>
        tenantsWithStaleChanges(database.db, 0).then((all) =>
          all.filter((t) => t.tenantId === tenantId),
        );
      expect(await waiting()).toEqual([]);
      await database.db.query(
        `update crm_credentials set updated_at = now() - make_interval(secs => $2)
          where tenant_id = $1 and provider = 'hubspot'`,
        [tenantId, PAUSED_RETRY_MS / 1000 + 1],
      );
      expect(await waiting()).toEqual([{ tenantId, crm: 'hubspot' }]);

      // HubSpot's day turns: the notice is re-read and the connection is no longer paused.
      portal.daily.used = 0;
      expect(await processChanges(deps, tenantId, 'hubspot')).toEqual({
        accounts: [],
        deals: [deal],
      });
      expect(await health()).toMatchObject({ status: 'connected', statusReason: null });
      expect(await waiting()).toEqual([]);
    }, 30_000);

    it('stays unknown for an OAuth install, whose answers carry no daily headers', async () => {
      await start({ max: 110, windowMs: 10_000 });
      await database.db.query(
        `update crm_credentials set api_used = null, api_limit = null where tenant_id = $1`,
        [tenantId],
      );
      const { accessToken } = store.exchangeRefreshToken(store.grantRefreshToken(PORTAL))!;
      await connectWith(accessToken);
      await syncTenant({ db: database.db, crms: crms(), logger: silentLogger }, tenantId);
      expect(await health()).toMatchObject({ status: 'connected', apiUsage: null });
    }, 30_000);
  });
});
