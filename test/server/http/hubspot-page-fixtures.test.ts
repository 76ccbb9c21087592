import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type SalesforceDemo, startSalesforceDemo } from '../../support/salesforce-demo';
import { createTestDatabase, type TestDatabase } from '../../support/services';

// The HubSpot pages' JSON fixtures are answers of the real API on the seeded demo (the one the
// LWC fixtures come from). With UPDATE_HUBSPOT_FIXTURES=1 this writes them; otherwise it checks
// the committed ones still have the shape the API answers with (every key path).
const APP = path.join(__dirname, '../../../extensions/hubspot/src/app');
const UPDATE = process.env.UPDATE_HUBSPOT_FIXTURES === '1';
const PRETTIER = path.join(__dirname, '../../../node_modules/.bin/prettier');

/** Every key path, array positions collapsed: `items[].conflicts[].kind`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => [
      `${prefix}.${key}`,
      ...keyPaths(v, `${prefix}.${key}`),
    ]);
  return [];
}

describe('the HubSpot pages fixtures', () => {
  let database: TestDatabase;
  let demo: SalesforceDemo;
  const captured: Array<{ name: string; body: unknown }> = [];
  const capture = async (name: string, method: string, route: string, body?: unknown) => {
    const answer = await demo.api.call(method, route, demo.apiKey, body);
    captured.push({
      // `pages/…` unless it names its folder (`settings/…`).
      name: name.includes('/') ? name : `pages/${name}`,
      body: answer.status >= 400 ? { status: answer.status, ...answer.body } : answer.body,
    });
    return answer.body as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    demo = await startSalesforceDemo(database.db);
    const { db } = database;
    await db.query(
      `update registrations set submitted_at = submitted_at - interval '3 days'
        where id = (select id from registrations where tenant_id = $1 order by submitted_at, id limit 1)`,
      [demo.tenantId],
    );
    await capture('summary', 'GET', '/api/v1/registrations/summary');
    const first = await capture('queue-page-1', 'GET', '/api/v1/registrations?limit=2');
    await capture(
      'queue-page-2',
      'GET',
      `/api/v1/registrations?limit=2&cursor=${first.nextCursor as string}`,
    );
    await capture('queue-empty', 'GET', '/api/v1/registrations?status=converted');
    await capture('partners', 'GET', '/api/v1/partners?status=active&limit=200');
    const pending = await capture('queue-pending', 'GET', '/api/v1/registrations?status=pending');
    const [review, other] = pending.items as Array<{ id: string; partner: { id: string } }>;
    await capture('registration', 'GET', `/api/v1/registrations/${review!.id}`);
    await db.query(`update partners set status = 'inactive' where tenant_id = $1 and id = $2`, [
      demo.tenantId,
      review!.partner.id,
    ]);
    const decide = `/api/v1/registrations/${review!.id}/decision`;
    await capture('approve-conflicts-changed', 'POST', decide, { decision: 'approve' });
    await db.query(`update partners set status = 'active' where tenant_id = $1 and id = $2`, [
      demo.tenantId,
      review!.partner.id,
    ]);
    await capture('approved', 'POST', decide, { decision: 'approve' });
    await capture('registration-approved', 'GET', `/api/v1/registrations/${review!.id}`);
    await capture('extended', 'POST', `/api/v1/registrations/${review!.id}/extend`);
    await capture('extend-refused', 'POST', `/api/v1/registrations/${review!.id}/extend`);
    const rejectAt = `/api/v1/registrations/${other!.id}/decision`;
    await capture('reject-without-reason', 'POST', rejectAt, { decision: 'reject', reason: ' ' });
    await capture('rejected', 'POST', rejectAt, { decision: 'reject', reason: 'A house account' });
    await capture('summary-after', 'GET', '/api/v1/registrations/summary');

    const candidates = await capture(
      'merge-candidates',
      'GET',
      '/api/v1/partners/merge-candidates?status=open',
    );
    const [candidate] = candidates.items as Array<{ id: string }>;
    const mergeAt = `/api/v1/partners/merge-candidates/${candidate!.id}/decision`;
    await capture('kept-apart', 'POST', mergeAt, { decision: 'keep_apart' });
    await capture('merge-already-decided', 'POST', mergeAt, { decision: 'keep_apart' });
    await capture('merge-candidates-none', 'GET', '/api/v1/partners/merge-candidates?status=open');

    const read = await capture('settings/program', 'GET', '/api/v1/program');
    const program = read.program as Record<string, unknown>;
    await capture('settings/program-invalid', 'PUT', '/api/v1/program', {
      version: read.version,
      program: {
        ...program,
        currency: 'dollars',
        approvalSlaHours: 0,
        protectionDays: { default: 90, byTier: { gold: 0 } },
      },
    });
    await capture('settings/program-saved', 'PUT', '/api/v1/program', {
      version: read.version,
      program: { ...program, approvalSlaHours: 72 },
    });
    await capture('settings/program-version-conflict', 'PUT', '/api/v1/program', {
      version: read.version,
      program: { ...program, approvalSlaHours: 24 },
    });
    await capture('settings/sync-health', 'GET', '/api/v1/sync/health');
    await capture('settings/program-import', 'POST', '/api/v1/partners/import', {
      csv: 'partner_id,name,domain,type,tier,status,partner_manager\nP-NEW,Newpartner Ltd,newpartner.io,reseller,gold,active,Maya Chen\nP-BAD,Badtier Inc,badtier.io,reseller,diamond,active,\n',
    });
    const { items } = await capture('settings/partners', 'GET', '/api/v1/partners?limit=200');
    const [partner] = items as Array<{ id: string }>;
    await capture(
      'settings/account-list-imported',
      'POST',
      `/api/v1/partners/${partner!.id}/accounts/import`,
      {
        csv: 'name,domain,population\nZenithwell Brands LLC,zenithwellbrands.com,customer\nNo Domain,,nonsense\n',
      },
    );
    await capture(
      'settings/account-list-bad-header',
      'POST',
      `/api/v1/partners/${partner!.id}/accounts/import`,
      { csv: 'company,website\nAcme,acme.com\n' },
    );
  }, 120_000);

  afterAll(async () => {
    await demo.close();
    await database.drop();
  });

  it('are answers of the real API, with the shape it answers with', () => {
    expect(captured.length).toBeGreaterThan(10);
    const written: string[] = [];
    for (const { name, body } of captured) {
      const [folder, base] = name.split('/');
      const file = path.join(APP, folder!, '__tests__', 'data', `${base}.json`);
      if (UPDATE) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
        written.push(file);
        continue;
      }
      expect(existsSync(file)).toBe(true);
      const committed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      expect({ name, paths: keyPaths(committed).sort() }).toEqual({
        name,
        paths: keyPaths(body).sort(),
      });
    }
    if (written.length > 0) execFileSync(PRETTIER, ['--write', '--log-level', 'warn', ...written]);
  });
});
