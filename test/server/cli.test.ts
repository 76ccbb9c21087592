import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { accessForApiKey, tenantForApiKey } from '../../server/db/api-keys';
import { ALL_MIGRATIONS, createTestDatabase, type TestDatabase } from '../support/services';

const BIN = path.join(__dirname, '../../bin/partnerlens.js');

describe('the partnerlens command', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        DATABASE_SCHEMA: database.schema,
        ENCRYPTION_KEY: 'ab'.repeat(32),
        LOG_LEVEL: 'silent',
      },
    });

  it('migrate reports nothing left to apply on a migrated database', () => {
    const result = run('migrate');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      applied: [],
      alreadyApplied: ALL_MIGRATIONS.length,
    });
  });

  it('tenants create makes a tenant and prints an API key that authenticates as it', async () => {
    const result = run('tenants', 'create', '--name', 'Contoso', '--hubspot-portal-id', '4242');
    expect(result.status).toBe(0);
    const created = JSON.parse(result.stdout) as {
      tenantId: string;
      apiKey: string;
      hubspotPortalId: string;
    };
    expect(created.hubspotPortalId).toBe('4242');
    expect(await tenantForApiKey(database.db, created.apiKey)).toBe(created.tenantId);
    const audit = await database.db.query<{ action: string; actor: string }>(
      'select action, actor from audit_events where tenant_id = $1 order by action',
      [created.tenantId],
    );
    expect(audit).toEqual([
      { action: 'api_key.issued', actor: 'cli' },
      { action: 'tenant.created', actor: 'cli' },
    ]);
  });

  it('tenants list, keys create, list and revoke hand out and take back access', async () => {
    const { tenantId, apiKey } = JSON.parse(run('tenants', 'create', '--name', 'Keyed').stdout) as {
      tenantId: string;
      apiKey: string;
    };
    const listed = JSON.parse(run('tenants', 'list').stdout) as Array<{
      id: string;
      activeApiKeys: number;
    }>;
    expect(listed.find((t) => t.id === tenantId)).toMatchObject({ activeApiKeys: 1 });
    const created = JSON.parse(
      run('keys', 'create', '--tenant', tenantId, '--name', 'ci').stdout,
    ) as {
      keyId: string;
      apiKey: string;
    };
    expect(await tenantForApiKey(database.db, created.apiKey)).toBe(tenantId);
    const keys = JSON.parse(run('keys', 'list', '--tenant', tenantId).stdout) as Array<{
      id: string;
      name: string;
      prefix: string;
    }>;
    expect(keys.map((k) => k.name)).toEqual(['admin', 'ci']);
    expect(JSON.stringify(keys)).not.toContain(created.apiKey);
    expect(run('keys', 'revoke', '--tenant', tenantId, '--key', created.keyId).status).toBe(0);
    expect(await tenantForApiKey(database.db, created.apiKey)).toBeUndefined();
    expect(await tenantForApiKey(database.db, apiKey)).toBe(tenantId);
    const again = run('keys', 'revoke', '--tenant', tenantId, '--key', created.keyId);
    expect([again.status, again.stderr]).toEqual([1, expect.stringMatching(/has no key/)]);
  });

  it('keys create --role [--partner] issues a key of that role, and keys list shows it', async () => {
    const { tenantId } = JSON.parse(run('tenants', 'create', '--name', 'Roles').stdout) as {
      tenantId: string;
    };
    run('seed', '--tenant', tenantId, '--partners', '1');
    const [partner] = await database.db.query<{ id: string }>(
      'select id from partners where tenant_id = $1',
      [tenantId],
    );
    const create = (...args: string[]) => run('keys', 'create', '--tenant', tenantId, ...args);
    const viewer = JSON.parse(create('--role', 'viewer').stdout) as {
      apiKey: string;
      role: string;
    };
    expect(viewer.role).toBe('viewer');
    expect(await accessForApiKey(database.db, viewer.apiKey)).toEqual({ tenantId, role: 'viewer' });
    const bound = JSON.parse(create('--role', 'partner', '--partner', partner!.id).stdout) as {
      apiKey: string;
    };
    expect(await accessForApiKey(database.db, bound.apiKey)).toEqual({
      tenantId,
      role: 'partner',
      partnerId: partner!.id,
    });
    const listed = JSON.parse(run('keys', 'list', '--tenant', tenantId).stdout) as Array<{
      name: string;
      role: string;
      partnerId: string | null;
    }>;
    expect(listed.map(({ name, role, partnerId }) => ({ name, role, partnerId }))).toEqual([
      { name: 'admin', role: 'admin', partnerId: null },
      { name: 'viewer', role: 'viewer', partnerId: null },
      { name: 'partner', role: 'partner', partnerId: partner!.id },
    ]);
    // Refused, and nothing issued: an unknown role, a partner key without its partner, a partner
    // of no such id, and a partner id on a role that takes none.
    const refusals = [
      create('--role', 'owner'),
      create('--role', 'partner'),
      create('--role', 'partner', '--partner', '8c1f0a52-7d3e-4b8a-9a51-0e6f2b7c9d10'),
      create('--role', 'viewer', '--partner', partner!.id),
    ];
    expect(refusals.map((r) => [r.status, r.stderr.length > 0])).toEqual(
      refusals.map(() => [1, true]),
    );
    expect(JSON.parse(run('keys', 'list', '--tenant', tenantId).stdout)).toHaveLength(3);
  });

  it('seed imports the demo partner program into a tenant and reconciles it into partners', async () => {
    const { tenantId } = JSON.parse(run('tenants', 'create', '--name', 'Seeded').stdout) as {
      tenantId: string;
    };
    const result = run('seed', '--tenant', tenantId, '--partners', '20');
    expect(result.status).toBe(0);
    const [counts] = await database.db.query<{ program: string; partners: string; links: string }>(
      `select (select count(*) from program_partners where tenant_id = $1)::text as program,
              (select count(*) from partners where tenant_id = $1)::text as partners,
              (select count(*) from partner_links where tenant_id = $1 and source = 'program')::text as links`,
      [tenantId],
    );
    expect(counts).toEqual({ program: '20', partners: '20', links: '20' });
  });

  it('partner-accounts imports a partner account list from a file, reporting bad rows', async () => {
    const { tenantId } = JSON.parse(run('tenants', 'create', '--name', 'Lists').stdout) as {
      tenantId: string;
    };
    run('seed', '--tenant', tenantId, '--partners', '1');
    const [partner] = await database.db.query<{ id: string }>(
      'select id from partners where tenant_id = $1',
      [tenantId],
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pl-')), 'accounts.csv');
    writeFileSync(file, 'name,domain,population\nAcme,acme.com,customer\nBad,,nobody\n');
    const result = run(
      'partner-accounts',
      '--tenant',
      tenantId,
      '--partner',
      partner!.id,
      '--file',
      file,
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rowsRead: 2,
      rowsKept: 1,
      rowsRejected: 1,
      errors: [{ line: 3, column: 'population' }],
    });
    writeFileSync(file, 'name\nAcme\n');
    const refused = run(
      'partner-accounts',
      '--tenant',
      tenantId,
      '--partner',
      partner!.id,
      '--file',
      file,
    );
    expect([refused.status, refused.stderr]).toEqual([
      1,
      expect.stringMatching(/header lacks domain, population/),
    ]);
  });

  it('seed-large writes a scaled-down large tenant, each account in ten partner lists', async () => {
    const { tenantId } = JSON.parse(run('tenants', 'create', '--name', 'Large').stdout) as {
      tenantId: string;
    };
    const result = run('seed-large', '--tenant', tenantId, '--scale', '0.002');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      partners: 12,
      accounts: 400,
      deals: 1000,
      registrations: 200,
      listRows: expect.any(Number),
    });
    const [counts] = await database.db.query<{ accounts: string; performance: string }>(
      `select (select count(distinct account_crm_id) from partner_accounts where tenant_id = $1)::text as accounts,
              (select count(*) from partner_performance where tenant_id = $1)::text as performance`,
      [tenantId],
    );
    expect(counts).toEqual({ accounts: '400', performance: '12' });
    expect(run('seed-large', '--tenant', tenantId, '--scale', '0').status).toBe(1);
  });

  it.each([
    [['tenants', 'create', '--name', 'X', '--hubspot-portal-id', 'abc'], /portal id is digits/],
    [['seed', '--tenant', 'not-a-uuid'], /expected an id \(uuid\)/],
    [
      ['keys', 'revoke', '--tenant', '00000000-0000-4000-8000-000000000000', '--key', 'x'],
      /expected an id/,
    ],
    [['seed', '--tenant', '00000000-0000-4000-8000-000000000000'], /no tenant 00000000/],
  ])('exits 1 with a message on bad input: %j', (args, message) => {
    const result = run(...args);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
  it('salesforce-secret issues an org signing secret once, and --rotate replaces it', async () => {
    const { tenantId } = JSON.parse(run('tenants', 'create', '--name', 'On Salesforce').stdout) as {
      tenantId: string;
    };
    const first = run('salesforce-secret', '--tenant', tenantId, '--org', '00D5g0000004XyZ');
    expect(first.status).toBe(0);
    const issued = JSON.parse(first.stdout) as { orgId: string; secret: string };
    expect(issued.orgId).toBe('00D5g0000004XyZEAU');
    expect(issued.secret).toMatch(/^plsf_[\w-]{43}$/);

    const again = run('salesforce-secret', '--tenant', tenantId, '--org', '00D5g0000004XyZEAU');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('has a signing secret already; rotate it');

    const rotated = run(
      'salesforce-secret',
      '--tenant',
      tenantId,
      '--org',
      issued.orgId,
      '--rotate',
    );
    expect(rotated.status).toBe(0);
    const next = JSON.parse(rotated.stdout) as { secret: string; previousValidUntil: string };
    expect(next.secret).not.toBe(issued.secret);
    expect(Date.parse(next.previousValidUntil)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const audit = await database.db.query<{ action: string; details: unknown }>(
      "select action, details from audit_events where tenant_id = $1 and subject_type = 'salesforce_org' order by at",
      [tenantId],
    );
    expect(audit.map((event) => event.action)).toEqual([
      'salesforce_secret.issued',
      'salesforce_secret.rotated',
    ]);
    expect(JSON.stringify(audit)).not.toContain(next.secret);
    expect(run('salesforce-secret', '--tenant', tenantId, '--org', 'acme').stderr).toContain(
      'a Salesforce org id is 15 or 18 characters',
    );
  });
});
