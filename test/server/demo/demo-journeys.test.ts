import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from '@hubspot/api-client';
import jsforce from 'jsforce';

import { loadConfig } from '../../../server/config';
import type { DemoFile } from '../../../server/demo-file';
import { type Running, startPartnerLens } from '../../../server/start';
import { silentLogger } from '../../support/services';

interface Card {
  deal: { id: string; stage: string };
  partners: Array<{ id: string; commission: unknown }>;
  suggestions: Array<{ partnerId: string }>;
}

/**
 * README's run command on its embedded defaults (PGlite in a data folder, the local HubSpot, the
 * demo tenant), driven as an account executive, a partner manager and an admin would.
 */
describe('the demo that npm start gives', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-demo-'));
  const config = loadConfig(
    {},
    {
      DATA_DIR: dataDir,
      PORT: '0',
      SANDBOX_PORT: '0',
      SALESFORCE_SANDBOX_PORT: '0',
      REDIS_URL: process.env.TEST_REDIS_URL,
      QUEUE_PREFIX: `demo_${randomBytes(4).toString('hex')}`,
    },
  );
  let running: Running;
  let demo: DemoFile;

  const call = async <Body = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
  ) => {
    const response = await fetch(`${demo.apiUrl}/api/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${demo.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: (await response.json()) as Body };
  };

  beforeAll(async () => {
    running = await startPartnerLens(config, silentLogger);
    demo = JSON.parse(readFileSync(running.demo!.file!, 'utf8')) as DemoFile;
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the connection details, and the card URL it prints answers', async () => {
    expect(demo).toMatchObject({
      apiKey: running.demo!.apiKey,
      hubspot: { portalId: expect.any(String) },
    });
    const card = await fetch(running.demo!.cardUrl!, {
      headers: { authorization: `Bearer ${demo.apiKey}` },
    });
    expect(card.status).toBe(200);
  });

  it('connects the same tenant to the local Salesforce: an opportunity has a card with its partners', async () => {
    expect(demo.salesforce).toMatchObject({
      instanceUrl: running.salesforceSandboxUrl,
      apiVersion: expect.stringMatching(/^\d+\.0$/),
      accessToken: expect.any(String),
      sampleDealId: expect.stringMatching(/^006/),
    });
    const card = await call<Card>('GET', `/deals/${demo.salesforce!.sampleDealId}/card`);
    expect(card.status).toBe(200);
    expect(card.body.partners.length).toBeGreaterThan(0);
    expect(running.demo!.salesforceCardUrl).toContain(demo.salesforce!.sampleDealId!);
    const health = await call<{ crms: Array<{ crm: string; status: string }> }>(
      'GET',
      '/sync/health',
    );
    expect(health.status).toBe(200);
    expect(JSON.stringify(health.body)).toContain('salesforce');
  });

  it('shows an amount changed in Salesforce through jsforce on the card within seconds', async () => {
    const conn = new jsforce.Connection({
      instanceUrl: demo.salesforce!.instanceUrl,
      accessToken: demo.salesforce!.accessToken,
      version: demo.salesforce!.apiVersion,
    });
    const dealId = demo.salesforce!.sampleDealId!;
    await conn.sobject('Opportunity').update({ Id: dealId, Amount: 424242 });
    const started = Date.now();
    let amount: string | undefined;
    while (Date.now() - started < 20_000) {
      const card = await call<{ deal: { amount: { amount: string } | null } }>(
        'GET',
        `/deals/${dealId}/card`,
      );
      amount = card.body.deal.amount?.amount;
      if (amount !== undefined && Number(amount) === 424242) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(Number(amount)).toBe(424242);
  });

  it('lets an account executive add a suggested co-seller without freezing anything', async () => {
    const hubspot = new Client({
      accessToken: demo.hubspot!.accessToken,
      basePath: demo.hubspot!.apiBase,
    });
    const deals = await hubspot.crm.deals.basicApi.getPage(100, undefined, ['dealstage']);
    let target: Card | undefined;
    for (const deal of deals.results) {
      const { body } = await call<Card>('GET', `/deals/${deal.id}/card`);
      if (body.deal?.stage === 'open' && body.suggestions.length > 0) {
        target = body;
        break;
      }
    }
    expect(target).toBeDefined();
    const attached = await call('POST', `/deals/${target!.deal.id}/partners`, {
      partnerId: target!.suggestions[0]!.partnerId,
      role: 'influenced',
    });
    expect(attached.status).toBe(201);
    expect((await fetch(`${demo.apiUrl}/readyz`)).status).toBe(200);
    const after = await call<Card>('GET', `/deals/${target!.deal.id}/card`);
    expect(after.body.partners.map((p) => p.id)).toContain(target!.suggestions[0]!.partnerId);
  });

  it('lets an admin save the program GET answered without losing it', async () => {
    const read = await call<{ version: number; program: { rates: unknown[] } }>('GET', '/program');
    expect(read.body.program.rates.length).toBeGreaterThan(0);
    const saved = await call<{ version: number; program: unknown }>('PUT', '/program', read.body);
    expect(saved.status).toBe(200);
    expect(saved.body.program).toEqual(read.body.program);
  });

  it('lets a partner manager find a partner, take its registration and decide it', async () => {
    const partners = await call<{ items: Array<{ id: string; status: string }> }>(
      'GET',
      '/partners?status=active&limit=5',
    );
    expect(partners.body.items).toHaveLength(5);
    const submitted = await call<{ id: string; status: string }>('POST', '/registrations', {
      partnerId: partners.body.items[0]!.id,
      companyName: 'Brand New Prospect Ltd',
      companyDomain: 'brand-new-prospect.example',
      amount: { amount: 120000, currency: 'USD' },
    });
    expect(submitted.status).toBe(201);
    if (submitted.body.status === 'pending') {
      const decided = await call<{ status: string }>(
        'POST',
        `/registrations/${submitted.body.id}/decision`,
        {
          decision: 'reject',
          reason: 'Outside the program',
        },
      );
      expect(decided.body.status).toBe('rejected');
    }
    const queue = await call<{ items: unknown[] }>('GET', '/registrations?limit=10');
    expect(queue.status).toBe(200);
  });

  it('lets an admin ask for a sync and follow it', async () => {
    const asked = await call<{ statusUrl: string }>('POST', '/sync');
    expect(asked.status).toBe(202);
    const job = await fetch(`${demo.apiUrl}${asked.body.statusUrl}`, {
      headers: { authorization: `Bearer ${demo.apiKey}` },
    });
    expect(job.status).toBe(200);
  });

  it('keeps the API key when started again on the same data folder', async () => {
    const key = demo.apiKey;
    await running.stop();
    running = await startPartnerLens(config, silentLogger);
    demo = JSON.parse(readFileSync(running.demo!.file!, 'utf8')) as DemoFile;
    expect(demo.apiKey).toBe(key);
    expect((await call('GET', '/whoami')).status).toBe(200);
  }, 120_000);
});
