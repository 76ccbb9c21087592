import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';

import { Client } from '@hubspot/api-client';
import { Redis } from 'ioredis';

import { loadConfig, SANDBOX_HUBSPOT_APP, SANDBOX_SALESFORCE_APP } from '../../server/config';
import { sealContext as hubspotContext } from '../../server/crm/hubspot/credentials';
import { sealContext as salesforceContext } from '../../server/crm/salesforce/credentials';
import { issueCalloutSecret } from '../../server/db/salesforce-callout-secrets';
import type { DemoFile } from '../../server/demo-file';
import { signHubSpotV3 } from '../../server/http/auth/hubspot-signature';
import {
  SALESFORCE_HEADERS,
  signSalesforceRequest,
} from '../../server/http/auth/salesforce-signature';
import { CryptoBox } from '../../server/lib/crypto-box';
import { createLogger } from '../../server/logger';
import { type Running, startPartnerLens } from '../../server/start';
import { createTestDatabase, type TestDatabase } from '../support/services';

const BIN = path.join(__dirname, '../../bin/partnerlens.js');
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

async function eventually<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A browser's walk through redirects, to the last page. */
async function browse(start: string) {
  let url = start;
  for (let i = 0; i < 6; i++) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    await response.arrayBuffer();
    if (response.status < 300 || response.status >= 400 || !location) return response.status;
    url = new URL(location, url).toString();
  }
  throw new Error(`too many redirects from ${start}`);
}

/** Every value held under the prefix in Redis: job data, options, return values, events. */
async function redisValues(url: string, prefix: string): Promise<string> {
  const redis = new Redis(url);
  const values: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') values.push(...Object.values(await redis.hgetall(key)));
        else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') values.push(...(await redis.zrange(key, '0', '-1')));
        else if (type === 'set') values.push(...(await redis.smembers(key)));
        else if (type === 'stream')
          values.push(...(await redis.xrange(key, '-', '+')).flatMap(([, fields]) => fields));
        else if (type === 'string') values.push((await redis.get(key)) ?? '');
        values.push(key);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return values.join('\n');
}

/**
 * What the service writes down — its logs at trace level, the jobs it leaves in Redis — holds no
 * secret and no e-mail address, across the flows that handle them: the installs (OAuth callbacks
 * of both CRMs), card calls (API key, HubSpot-signed, Salesforce-signed), webhooks, a token
 * refresh, a sync and the key issued by the CLI.
 */
describe('secrets in logs and job payloads', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-secrets-'));
  const encryptionKey = randomBytes(32);
  const box = new CryptoBox(encryptionKey);
  const prefix = `sec_${randomBytes(4).toString('hex')}`;
  const logs: string[] = [];
  const secrets = new Map<string, string>();
  let database: TestDatabase;
  let running: Running;
  let demo: DemoFile;

  /** Every token PartnerLens holds now, opened: they change at installs and refreshes. */
  const collectTokens = async () => {
    const rows = await database.db.query<{
      tenant_id: string;
      provider: 'hubspot' | 'salesforce';
      refresh_token_enc: string | null;
      access_token_enc: string | null;
    }>('select tenant_id, provider, refresh_token_enc, access_token_enc from crm_credentials');
    for (const row of rows) {
      const context = row.provider === 'hubspot' ? hubspotContext : salesforceContext;
      for (const column of ['refresh_token', 'access_token'] as const) {
        const sealed = row[`${column}_enc`];
        if (sealed) {
          secrets.set(`${row.provider} ${column} (sealed)`, sealed);
          secrets.set(
            `${row.provider} ${column}`,
            box.open(sealed, context(row.tenant_id, column)),
          );
        }
      }
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    const config = loadConfig(
      {},
      {
        DATA_DIR: dataDir,
        PORT: '0',
        SANDBOX_PORT: '0',
        SALESFORCE_SANDBOX_PORT: '0',
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        DATABASE_SCHEMA: database.schema,
        REDIS_URL: process.env.TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ENCRYPTION_KEY: encryptionKey.toString('hex'),
        LOG_LEVEL: 'trace',
      },
    );
    running = await startPartnerLens(
      config,
      createLogger(config, { terminal: false, destination: stream }),
    );
    demo = JSON.parse(readFileSync(running.demo!.file!, 'utf8')) as DemoFile;
    secrets.set('demo API key', demo.apiKey);
    secrets.set('HubSpot private app token', demo.hubspot!.accessToken);
    secrets.set('Salesforce demo access token', demo.salesforce!.accessToken);
    secrets.set('HubSpot client secret', SANDBOX_HUBSPOT_APP.clientSecret);
    secrets.set('Salesforce client secret', SANDBOX_SALESFORCE_APP.clientSecret);
    secrets.set('encryption key (hex)', encryptionKey.toString('hex'));
    secrets.set('encryption key (base64)', encryptionKey.toString('base64'));
    await collectTokens();

    const key = { authorization: `Bearer ${demo.apiKey}` };
    // Card calls: with the API key, signed by HubSpot, signed by the Salesforce org.
    expect((await fetch(running.demo!.cardUrl!, { headers: key })).status).toBe(200);
    expect((await fetch(running.demo!.salesforceCardUrl!, { headers: key })).status).toBe(200);
    const cardPath = new URL(running.demo!.cardUrl!).pathname;
    const signedUrl = `${demo.apiUrl}${cardPath}?portalId=${demo.hubspot!.portalId}&userId=77&userEmail=ann.lee%40example.com`;
    const timestamp = String(Date.now());
    const signed = await fetch(signedUrl, {
      headers: {
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': signHubSpotV3(
          { method: 'GET', url: signedUrl, rawBody: '', timestamp },
          SANDBOX_HUBSPOT_APP.clientSecret,
        ),
      },
    });
    expect(signed.status).toBe(200);
    const issued = await issueCalloutSecret(database.db, box, {
      tenantId: demo.tenantId,
      orgId: demo.salesforce!.orgId,
      rotate: false,
      now: Date.now(),
    });
    if (!issued.ok) throw new Error(issued.error.message);
    secrets.set('Salesforce signing secret', issued.value.secret);
    const request = {
      method: 'GET',
      path: '/api/v1/whoami',
      rawBody: '',
      timestamp: String(Date.now()),
      orgId: demo.salesforce!.orgId,
      userId: '0055g00000AbCdEAAV',
    };
    const callout = await fetch(`${demo.apiUrl}${request.path}`, {
      headers: {
        [SALESFORCE_HEADERS.orgId]: request.orgId,
        [SALESFORCE_HEADERS.userId]: request.userId,
        [SALESFORCE_HEADERS.timestamp]: request.timestamp,
        [SALESFORCE_HEADERS.signature]: signSalesforceRequest(request, issued.value.secret),
      },
    });
    expect(callout.status).toBe(200);

    // The installs: each CRM's OAuth consent and callback, the code exchanged for tokens.
    expect(await browse(demo.hubspot!.installUrl)).toBe(200);
    expect(await browse(demo.salesforce!.installUrl)).toBe(200);
    await collectTokens();

    // A webhook: a deal changed through the official client, until its card shows it.
    const hubspot = new Client({
      accessToken: demo.hubspot!.accessToken,
      basePath: demo.hubspot!.apiBase,
    });
    const dealId = demo.hubspot!.sampleDealId!;
    await hubspot.crm.deals.basicApi.update(dealId, { properties: { amount: '43210.5' } });
    await eventually(async () => {
      const card = (await (await fetch(running.demo!.cardUrl!, { headers: key })).json()) as {
        deal?: { amount?: { amount: string } };
      };
      return Number(card.deal?.amount?.amount) === 43210.5 ? true : undefined;
    });

    // A token refresh: the access tokens expired, then a full sync of both CRMs.
    await database.db.query(
      `update crm_credentials set access_token_expires_at = now() - interval '1 hour'`,
    );
    const sync = await fetch(`${demo.apiUrl}/api/v1/sync`, { method: 'POST', headers: key });
    const { jobId } = (await sync.json()) as { jobId: string };
    await eventually(async () => {
      const job = (await (
        await fetch(`${demo.apiUrl}/api/v1/sync/jobs/${jobId}`, { headers: key })
      ).json()) as { state?: string };
      return job.state === 'completed' || job.state === 'failed' ? job.state : undefined;
    }, 60_000);
    await collectTokens();

    // A refresh HubSpot refuses: the app uninstalled from the demo portal, then a sync.
    running.sandbox!.store.uninstall(demo.hubspot!.portalId);
    await database.db.query(
      `update crm_credentials set access_token_expires_at = now() - interval '1 hour'`,
    );
    await fetch(`${demo.apiUrl}/api/v1/sync`, { method: 'POST', headers: key });
    await eventually(async () =>
      logs.join('').includes('the app was uninstalled') ? true : undefined,
    );

    // A key issued by the CLI, at trace level too, then used.
    const cli = spawnSync(
      process.execPath,
      [BIN, 'keys', 'create', '--tenant', demo.tenantId, '--role', 'viewer', '--name', 'scan'],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_URL: process.env.TEST_DATABASE_URL,
          DATABASE_SCHEMA: database.schema,
          ENCRYPTION_KEY: encryptionKey.toString('hex'),
          LOG_LEVEL: 'trace',
        },
      },
    );
    const viewerKey = (JSON.parse(cli.stdout) as { apiKey: string }).apiKey;
    secrets.set('CLI-issued API key', viewerKey);
    logs.push(cli.stderr);
    expect(
      (await fetch(running.demo!.cardUrl!, { headers: { authorization: `Bearer ${viewerKey}` } }))
        .status,
    ).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await running?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ran the flows at trace level, so that there was something to scan', () => {
    const text = logs.join('');
    for (const path of [
      '/oauth/hubspot/callback',
      '/oauth/salesforce/callback',
      '/webhooks/hubspot',
    ])
      expect(text).toContain(path);
    for (const message of ['crm-sync finished', 'reconcile finished', 'the app was uninstalled'])
      expect(text).toContain(message);
    expect(secrets.size).toBeGreaterThanOrEqual(15);
  });

  it('logs no token, API key, client secret, signing secret, encryption key or e-mail address', () => {
    const text = logs.join('').replace(/%40/gi, '@');
    const found = [...secrets].filter(([, value]) => text.includes(value)).map(([name]) => name);
    expect(found).toEqual([]);
    expect(text.match(EMAIL)?.[0]).toBeUndefined();
  });

  it('leaves none of them in the job payloads in Redis either', async () => {
    const text = (await redisValues(process.env.TEST_REDIS_URL!, prefix)).replace(/%40/gi, '@');
    expect(text).toContain('"tenantId"');
    const found = [...secrets].filter(([, value]) => text.includes(value)).map(([name]) => name);
    expect(found).toEqual([]);
    expect(text.match(EMAIL)?.[0]).toBeUndefined();
  });
});
