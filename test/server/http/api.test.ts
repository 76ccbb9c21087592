import { randomBytes } from 'node:crypto';

import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { issueApiKey, revokeApiKeys } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { createApp } from '../../../server/http/app';
import { signHubSpotV3 } from '../../../server/http/auth/hubspot-signature';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { listen, type Listening } from '../../../server/lib/listen';
import { CrmSyncQueue, ReconcileQueue } from '../../../server/queue/queues';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { seedDealWithPartner } from '../../support/fixtures';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

const CLIENT_SECRET = 'test-client-secret';
const box = new CryptoBox(randomBytes(32));

interface Body {
  error: { code: string; message: string; details?: unknown };
  partners: unknown[];
}
const bodyOf = async (response: Response) => (await response.json()) as Body;

describe('the card API', () => {
  let database: TestDatabase;
  let crmSync: CrmSyncQueue;
  let reconcileQueue: ReconcileQueue;
  let server: Listening;
  let base: string;
  let first: Tenant;
  let second: Tenant;
  let firstKey: string;
  let secondKey: string;
  let readiness: { database: () => Promise<unknown> };

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    const settings = testQueueSettings();
    crmSync = new CrmSyncQueue(settings);
    reconcileQueue = new ReconcileQueue(settings);
    readiness = { database: () => db.query('select 1') };
    first = await createTenant(db, { name: 'First', hubspotPortalId: '111' });
    second = await createTenant(db, { name: 'Second', hubspotPortalId: '222' });
    firstKey = (await issueApiKey(db, first.id, 'admin')).key;
    secondKey = (await issueApiKey(db, second.id, 'admin')).key;
    await seedDealWithPartner(db, first.id);
    await storeHubSpotRefreshToken(db, box, first.id, 'refresh-first');
    const program = parseProgram({
      rates: [{ partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 }],
    });
    if (!program.ok) throw new Error(program.error.message);
    await saveProgram(db, first.id, program.value, 'test');
    const app = createApp({
      db,
      logger: silentLogger,
      crmSync,
      reconcile: reconcileQueue,
      hubspotClientSecret: CLIENT_SECRET,
      readiness: { database: () => readiness.database() },
    });
    server = await listen(app, 0);
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server.close();
    await crmSync.queue.obliterate({ force: true });
    await crmSync.close();
    await reconcileQueue.close();
    await database.drop();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers });
  const withKey = (key: string) => ({ authorization: `Bearer ${key}` });

  describe('with an admin API key', () => {
    it('returns the deal and its partners from the mirror', async () => {
      const response = await get('/api/v1/deals/30000000001/card', withKey(firstKey));
      expect(response.status).toBe(200);
      expect(await bodyOf(response)).toEqual({
        deal: {
          id: '30000000001',
          name: 'Acme Corp - Platform',
          amount: { amount: '12500.00', currency: 'USD' },
          stage: 'open',
        },
        account: {
          name: 'Acme Corp',
          domain: 'acme.com',
          industry: 'COMPUTER_SOFTWARE',
          industryLabel: 'Computer software',
          country: 'United States',
        },
        partners: [
          {
            id: expect.any(String),
            name: 'Northwind Cloud Partners',
            type: 'reseller',
            tier: 'gold',
            role: 'sourced',
            sharePct: 100,
            partnerManager: 'Maya Chen',
            certifications: [],
            registration: null,
            performance: null,
            commission: {
              basis: 'preview',
              amount: { amount: '3750.00', currency: 'USD' },
              rateBps: 3000,
              capped: false,
              calculation: '30 % of 12,500.00 USD is 3,750.00 USD',
              explanation:
                'If this closes at 12,500.00 USD, Northwind Cloud Partners earns 3,750.00 USD as a gold reseller: 30 % of 12,500.00 USD is 3,750.00 USD.',
            },
          },
        ],
        registrations: [],
        suggestions: [],
      });
    });

    it("gives a second tenant 404 for the first tenant's deal", async () => {
      const response = await get('/api/v1/deals/30000000001/card', withKey(secondKey));
      expect(response.status).toBe(404);
      expect((await bodyOf(response)).error.code).toBe('DEAL.NOT_FOUND');
    });

    it('answers 400 with the failing field for a malformed deal id', async () => {
      const response = await get('/api/v1/deals/not-an-id!/card', withKey(firstKey));
      expect(response.status).toBe(400);
      expect(await bodyOf(response)).toEqual({
        error: {
          code: 'REQUEST.INVALID',
          message: 'The request is not valid',
          details: [{ path: 'dealId', message: 'must be a CRM record id' }],
        },
      });
    });
  });

  describe('API keys', () => {
    it('identify the tenant they belong to', async () => {
      expect(await (await get('/api/v1/whoami', withKey(secondKey))).json()).toEqual({
        tenantId: second.id,
        via: 'api_key',
        role: 'admin',
      });
    });

    it('are stored hashed, never as issued', async () => {
      const rows = await database.db.query<{ key_hash: string; key_prefix: string }>(
        'select key_hash, key_prefix from api_keys',
      );
      expect(rows.some((row) => row.key_hash.includes(firstKey) || firstKey === row.key_hash)).toBe(
        false,
      );
      expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.key_hash))).toBe(true);
    });

    it.each([
      ['no credentials', {}],
      ['an unknown key', { authorization: 'Bearer pl_unknown' }],
      ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ])('are required: %s gets 401', async (_name, headers) => {
      const response = await get('/api/v1/deals/30000000001/card', headers);
      expect(response.status).toBe(401);
      expect((await bodyOf(response)).error.code).toBe('AUTH.UNAUTHORIZED');
    });

    it('stop working once revoked', async () => {
      const { key } = await issueApiKey(database.db, first.id, 'temporary');
      expect((await get('/api/v1/deals/30000000001/card', withKey(key))).status).toBe(200);
      await revokeApiKeys(database.db, first.id, 'temporary');
      expect((await get('/api/v1/deals/30000000001/card', withKey(key))).status).toBe(401);
    });
  });

  describe('HubSpot-signed card calls', () => {
    const signed = (
      path: string,
      options: { secret?: string; timestamp?: number; signPath?: string } = {},
    ) => {
      const timestamp = String(options.timestamp ?? Date.now());
      const signature = signHubSpotV3(
        { method: 'GET', url: `${base}${options.signPath ?? path}`, rawBody: '', timestamp },
        options.secret ?? CLIENT_SECRET,
      );
      return get(path, {
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      });
    };
    const cardPath = (portalId: string) =>
      `/api/v1/deals/30000000001/card?userId=7&portalId=${portalId}`;

    it("serve the signed portal's tenant", async () => {
      const response = await signed(cardPath('111'));
      expect(response.status).toBe(200);
      expect((await bodyOf(response)).partners).toHaveLength(1);
    });

    it("scope to the signed portal: the other portal's tenant does not see the deal", async () => {
      expect((await signed(cardPath('222'))).status).toBe(404);
    });

    it('verify a signed POST over its exact bytes, whatever the content type', async () => {
      for (const contentType of ['application/json', 'text/plain', 'application/vnd.api+json']) {
        const body = '{"note": "signed body"}';
        // A signed CRM call is a partner manager (no sync): an unknown registration's 404 says the
        // signature passed, where a tampered body stops at 401.
        const path =
          '/api/v1/registrations/8c1f0a52-7d3e-4b8a-9a51-0e6f2b7c9d10/extend?portalId=111';
        const timestamp = String(Date.now());
        const signature = signHubSpotV3(
          { method: 'POST', url: `${base}${path}`, rawBody: body, timestamp },
          CLIENT_SECRET,
        );
        const headers = {
          'content-type': contentType,
          'x-hubspot-signature-v3': signature,
          'x-hubspot-request-timestamp': timestamp,
        };
        expect((await fetch(`${base}${path}`, { method: 'POST', headers, body })).status).toBe(404);
        const tampered = await fetch(`${base}${path}`, {
          method: 'POST',
          headers,
          body: body.replace('signed', 'forged'),
        });
        expect(tampered.status).toBe(401);
      }
    });

    it('reject a stale timestamp', async () => {
      const response = await signed(cardPath('111'), { timestamp: Date.now() - 6 * 60 * 1000 });
      expect(response.status).toBe(401);
      expect((await bodyOf(response)).error.code).toBe('AUTH.SIGNATURE_STALE');
    });

    it('reject a URL changed after signing (another portalId)', async () => {
      const response = await signed(cardPath('222'), { signPath: cardPath('111') });
      expect(response.status).toBe(401);
      expect((await bodyOf(response)).error.code).toBe('AUTH.SIGNATURE_MISMATCH');
    });

    it('reject a signature made with another secret', async () => {
      expect((await signed(cardPath('111'), { secret: 'not-ours' })).status).toBe(401);
    });

    it('refuse portals where the app is not installed', async () => {
      const response = await signed(cardPath('999'));
      expect(response.status).toBe(403);
      expect((await bodyOf(response)).error.code).toBe('AUTH.PORTAL_NOT_INSTALLED');
    });
  });

  describe('operations endpoints', () => {
    it('report health without authentication', async () => {
      expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    });

    it('report readiness per dependency, 503 when one hangs', async () => {
      expect((await get('/readyz')).status).toBe(200);
      readiness.database = () => new Promise(() => undefined);
      const response = await get('/readyz');
      readiness.database = () => database.db.query('select 1');
      expect(response.status).toBe(503);
      expect(await bodyOf(response)).toEqual({
        status: 'not_ready',
        checks: { database: 'unavailable' },
      });
    });

    it('expose Prometheus metrics with request durations by route', async () => {
      const text = await (await get('/metrics')).text();
      expect(text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/deals\/:dealId\/card",status="200"\} \d+/,
      );
    });

    it("enqueue a sync for the caller's tenant and audit who asked", async () => {
      const ask = () =>
        fetch(`${base}/api/v1/sync`, { method: 'POST', headers: withKey(secondKey) });
      const unconnected = await ask();
      expect([unconnected.status, (await bodyOf(unconnected)).error.code]).toEqual([
        409,
        'SYNC.NOT_CONNECTED',
      ]);
      await storeHubSpotRefreshToken(database.db, box, second.id, 'refresh-second');
      const response = await ask();
      expect(response.status).toBe(202);
      const { jobId, statusUrl } = (await response.json()) as { jobId: string; statusUrl: string };
      const job = await get(statusUrl, withKey(secondKey));
      expect(await job.json()).toMatchObject({ id: jobId, queue: 'crm-sync', state: 'waiting' });
      expect((await get(statusUrl, withKey(firstKey))).status).toBe(404);
      expect((await crmSync.queue.getWaiting()).map((job) => job.data.tenantId)).toContain(
        second.id,
      );
      const audit = await database.db.query(
        'select actor, action from audit_events where tenant_id = $1',
        [second.id],
      );
      expect(audit).toEqual([{ actor: 'api_key', action: 'crm_sync.requested' }]);
    });

    it('answer unknown routes and malformed JSON in the error shape', async () => {
      const missing = await get('/nope');
      expect(missing.status).toBe(404);
      expect((await bodyOf(missing)).error.code).toBe('ROUTE.NOT_FOUND');
      const malformed = await fetch(`${base}/api/v1/sync`, {
        method: 'POST',
        headers: { ...withKey(firstKey), 'content-type': 'application/json' },
        body: '{"a":',
      });
      expect(malformed.status).toBe(400);
      expect((await bodyOf(malformed)).error.code).toBe('REQUEST.MALFORMED_JSON');
    });
  });
});
