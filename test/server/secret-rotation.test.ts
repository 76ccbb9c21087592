import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { loadConfig } from '../../server/config';
import { hubspotAccessToken, storeHubSpotRefreshToken } from '../../server/crm/hubspot/credentials';
import { openOrgSession, storeSalesforceTokens } from '../../server/crm/salesforce/credentials';
import type { Queryable } from '../../server/db/database';
import { resealSecrets } from '../../server/db/reseal-secrets';
import { calloutSecretsFor, issueCalloutSecret } from '../../server/db/salesforce-callout-secrets';
import { createTenant, type Tenant } from '../../server/db/tenants';
import { createApp } from '../../server/http/app';
import { signHubSpotV3 } from '../../server/http/auth/hubspot-signature';
import { CryptoBox } from '../../server/lib/crypto-box';
import { listen, type Listening } from '../../server/lib/listen';
import { CrmSyncQueue, ReconcileQueue } from '../../server/queue/queues';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../support/services';

const BIN = path.join(__dirname, '../../bin/partnerlens.js');
const ORG = '00D5g0000004XyZEAU';
const HUBSPOT_APP = { clientId: 'id', clientSecret: 'unused', apiBase: 'http://127.0.0.1:9' };
const SALESFORCE_APP = {
  clientId: 'id',
  clientSecret: 'unused',
  loginUrl: 'http://127.0.0.1:9',
  apiVersion: '64.0',
};

describe('rotating the encryption key', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const oldBox = new CryptoBox(oldKey);
  const rotatedBox = new CryptoBox(newKey, [oldKey]);
  const newBox = new CryptoBox(newKey);
  let database: TestDatabase;
  let tenant: Tenant;
  let calloutSecret: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    tenant = await createTenant(db, { name: 'Rotating', hubspotPortalId: '5151' });
    await storeHubSpotRefreshToken(db, oldBox, tenant.id, 'hs-refresh', '5151', {
      token: 'hs-access',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await storeSalesforceTokens(db, oldBox, tenant.id, {
      refreshToken: 'sf-refresh',
      accessToken: 'sf-access',
      instanceUrl: 'http://127.0.0.1:9',
      orgId: ORG,
    });
    const issued = await issueCalloutSecret(db, oldBox, {
      tenantId: tenant.id,
      orgId: ORG,
      rotate: false,
      now: Date.now(),
    });
    if (!issued.ok) throw new Error(issued.error.message);
    calloutSecret = issued.value.secret;
  });
  afterAll(() => database.drop());

  const readAll = async (box: CryptoBox) => ({
    hubspot: (await hubspotAccessToken(database.db, box, HUBSPOT_APP, tenant.id, Date.now())).token,
    salesforce: (await openOrgSession(database.db, box, SALESFORCE_APP, tenant.id)).conn
      .accessToken,
    callout: (await calloutSecretsFor(database.db, box, ORG, Date.now()))!.secrets,
  });

  it('seals with the new key and still opens what the old key sealed', async () => {
    const sealed = rotatedBox.seal('x', 'ctx');
    expect(newBox.open(sealed, 'ctx')).toBe('x');
    expect(() => oldBox.open(sealed, 'ctx')).toThrow();
    expect(await readAll(rotatedBox)).toEqual({
      hubspot: 'hs-access',
      salesforce: 'sf-access',
      callout: [calloutSecret],
    });
  });

  it('does not open the stored tokens with the new key alone before the re-seal', async () => {
    await expect(readAll(newBox)).rejects.toThrow(/none of the encryption keys/);
  });

  it('moves every stored secret to the new key with `secrets reseal`, and then none', async () => {
    const reseal = () =>
      spawnSync(process.execPath, [BIN, 'secrets', 'reseal'], {
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_URL: process.env.TEST_DATABASE_URL,
          DATABASE_SCHEMA: database.schema,
          ENCRYPTION_KEY: newKey.toString('hex'),
          ENCRYPTION_KEYS_PREVIOUS: oldKey.toString('base64'),
          LOG_LEVEL: 'silent',
        },
      });
    const first = reseal();
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ resealed: 5, current: 0, unopenable: [] });
    expect(JSON.parse(reseal().stdout)).toMatchObject({ resealed: 0, current: 5 });
  });

  it('opens everything with the new key alone once the old one is removed', async () => {
    expect(await readAll(newBox)).toEqual({
      hubspot: 'hs-access',
      salesforce: 'sf-access',
      callout: [calloutSecret],
    });
    await expect(readAll(oldBox)).rejects.toThrow();
  });

  it('names a value none of the keys open, so that the old key is not dropped too soon', async () => {
    await storeHubSpotRefreshToken(database.db, new CryptoBox(randomBytes(32)), tenant.id, 'lost');
    const count = await resealSecrets(database.db, rotatedBox);
    expect(count.unopenable).toEqual([
      { table: 'crm_credentials', tenantId: tenant.id, column: 'refresh_token_enc' },
    ]);
  });
});

describe('re-sealing while a process still on the old key refreshes a token', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('moves the token that process wrote meanwhile too, and counts as current only what the new key opens', async () => {
    const oldBox = new CryptoBox(oldKey);
    const tenant = await createTenant(database.db, { name: 'Refreshing', hubspotPortalId: '5252' });
    await storeHubSpotRefreshToken(database.db, oldBox, tenant.id, 'hs-refresh', '5252', {
      token: 'hs-access-1',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    // The real database; the one thing added is when the other process writes: just after the
    // re-seal read the tokens and before it writes the first one back (the race a rolling deploy
    // makes, an old process refreshing as the first new one starts).
    let refreshed = false;
    const racing: Queryable = {
      async query(sql, params, options) {
        if (!refreshed && /^\s*update crm_credentials/.test(sql)) {
          refreshed = true;
          await storeHubSpotRefreshToken(database.db, oldBox, tenant.id, 'hs-refresh', '5252', {
            token: 'hs-access-2',
            expiresAt: new Date(Date.now() + 3_600_000),
          });
        }
        return database.db.query(sql, params, options);
      },
    };
    const count = await resealSecrets(racing, new CryptoBox(newKey, [oldKey]));
    expect(refreshed).toBe(true);
    expect(count).toEqual({ resealed: 2, current: 0, unopenable: [] });
    // What the operator does next: drops the old key. Every token must still open.
    const newBox = new CryptoBox(newKey);
    const token = await hubspotAccessToken(database.db, newBox, HUBSPOT_APP, tenant.id, Date.now());
    expect(token.token).toBe('hs-access-2');
  });
});

describe('encryption keys in the configuration', () => {
  const key = 'ab'.repeat(32);
  it('reads previous keys as a comma-separated list of hex or base64 keys', () => {
    const previous = randomBytes(32);
    const config = loadConfig(
      {},
      {
        ENCRYPTION_KEY: key,
        ENCRYPTION_KEYS_PREVIOUS: `${'cd'.repeat(32)}, ${previous.toString('base64')}`,
      },
    );
    expect(config.previousEncryptionKeys.map((k) => k.toString('hex'))).toEqual([
      'cd'.repeat(32),
      previous.toString('hex'),
    ]);
  });

  it.each([
    [
      { ENCRYPTION_KEYS_PREVIOUS: 'cd'.repeat(32) },
      'ENCRYPTION_KEYS_PREVIOUS: needs ENCRYPTION_KEY',
    ],
    [
      { ENCRYPTION_KEY: key, ENCRYPTION_KEYS_PREVIOUS: `${'cd'.repeat(32)},short` },
      'ENCRYPTION_KEYS_PREVIOUS.1: must be 32 bytes',
    ],
    [
      { ENCRYPTION_KEY: key, ENCRYPTION_KEYS_PREVIOUS: key },
      'ENCRYPTION_KEYS_PREVIOUS: must not hold ENCRYPTION_KEY itself',
    ],
    [
      { HUBSPOT_CLIENT_SECRET_PREVIOUS: 'old' },
      'HUBSPOT_CLIENT_SECRET_PREVIOUS: needs HUBSPOT_CLIENT_SECRET',
    ],
    [
      {
        HUBSPOT_CLIENT_SECRET: 'new',
        HUBSPOT_CLIENT_SECRET_PREVIOUS: 'old',
        HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL: 'tomorrow',
      },
      'HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL: must be an ISO date and time',
    ],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(message);
  });
});

describe('rotating the HubSpot client secret', () => {
  const until = Date.parse('2026-12-03T12:00:00Z');
  let clock = until - 60_000;
  let database: TestDatabase;
  let server: Listening;
  let queues: [CrmSyncQueue, ReconcileQueue];

  beforeAll(async () => {
    database = await createTestDatabase();
    const settings = testQueueSettings();
    queues = [new CrmSyncQueue(settings), new ReconcileQueue(settings)];
    const config = loadConfig(
      {},
      {
        HUBSPOT_CLIENT_ID: 'app',
        HUBSPOT_CLIENT_SECRET: 'new-secret',
        HUBSPOT_CLIENT_SECRET_PREVIOUS: 'old-secret',
        HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL: new Date(until).toISOString(),
      },
    );
    server = await listen(
      createApp({
        db: database.db,
        logger: silentLogger,
        crmSync: queues[0],
        reconcile: queues[1],
        hubspotClientSecret: config.hubspot.clientSecret,
        ...(config.hubspot.previousClientSecret
          ? { hubspotPreviousClientSecret: config.hubspot.previousClientSecret }
          : {}),
        readiness: {},
        now: () => clock,
      }),
      0,
    );
  });
  afterAll(async () => {
    await server.close();
    await Promise.all(queues.map((queue) => queue.close()));
    await database.drop();
  });

  /** A webhook delivery for a portal PartnerLens does not know: acknowledged once its signature holds. */
  const webhook = async (secret: string) => {
    const url = `http://127.0.0.1:${server.port}/webhooks/hubspot`;
    const body = '[]';
    const timestamp = String(clock);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': signHubSpotV3(
          { method: 'POST', url, rawBody: body, timestamp },
          secret,
        ),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('accepts the new secret and, until the grace period ends, the previous one', async () => {
    expect((await webhook('new-secret')).status).toBe(200);
    expect((await webhook('old-secret')).status).toBe(200);
  });

  it('refuses the previous secret once the grace period is over, and never another', async () => {
    clock = until + 1;
    expect(await webhook('old-secret')).toEqual({
      status: 401,
      body: { error: expect.objectContaining({ code: 'AUTH.SIGNATURE_MISMATCH' }) },
    });
    expect((await webhook('new-secret')).status).toBe(200);
    expect((await webhook('another-secret')).status).toBe(401);
  });
});
