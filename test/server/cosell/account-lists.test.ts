import { Readable } from 'node:stream';

import { importAccountList } from '../../../server/cosell/account-lists';
import { issueApiKey } from '../../../server/db/api-keys';
import { upsertAccounts } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { startTestApi, type TestApi } from '../../support/api';
import { createAccountRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

interface ImportAnswer {
  importId: string;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  rowsMatched: number;
  errors: Array<{ line: number; column: string; message: string }>;
  error?: { code: string; message: string; details?: unknown };
}

describe.each(DATABASE_KINDS)('partner account lists (%s)', (kind) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  const partner = createPartnerInput({ name: 'List Partner' });

  const upload = async (csv: string, partnerId = partner.id, apiKey = key) => {
    const response = await fetch(`${api.url}/api/v1/partners/${partnerId}/accounts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: response.status, body: (await response.json()) as ImportAnswer };
  };
  const list = () =>
    database.db.query<{ name: string; population: string; account_crm_id: string | null }>(
      `select pa.name, pa.population, pa.account_crm_id from partner_accounts pa
         join partner_current_lists c on c.tenant_id = pa.tenant_id and c.import_id = pa.import_id
        where pa.tenant_id = $1 and c.partner_id = $2 order by pa.line`,
      [tenant.id, partner.id],
    );

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    tenant = await createTenant(database.db, { name: 'Lists Co' });
    await upsertPartners(database.db, tenant.id, [partner]);
    await upsertAccounts(database.db, tenant.id, 'hubspot', [
      createAccountRecord({ crmId: 'a1', name: 'Acme Corp', domain: 'acme.com' }),
      createAccountRecord({ crmId: 'a2', name: 'Globex Corporation', domain: 'globex.io' }),
    ]);
    api = await startTestApi(database.db);
    key = (await issueApiKey(database.db, tenant.id, 'lists')).key;
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('matches rows to accounts, reports bad rows with line and column, and keeps the rest', async () => {
    const { status, body } = await upload(
      [
        'Name,Domain,Population',
        'ACME Inc,https://www.acme.com/about,Customer',
        'Globex Corp,,open_opportunity',
        'Initech,initech.example,prospect',
        'Umbrella,umbrella.example,partner',
        ',nameless.example,customer',
        '',
      ].join('\r\n'),
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({ rowsRead: 5, rowsKept: 3, rowsRejected: 2, rowsMatched: 2 });
    expect(body.errors).toEqual([
      {
        line: 5,
        column: 'population',
        message: expect.stringMatching(/customer, open_opportunity, prospect/),
      },
      { line: 6, column: 'name', message: 'must not be empty' },
    ]);
    expect(await list()).toEqual([
      { name: 'ACME Inc', population: 'customer', account_crm_id: 'a1' },
      { name: 'Globex Corp', population: 'open_opportunity', account_crm_id: 'a2' },
      { name: 'Initech', population: 'prospect', account_crm_id: null },
    ]);
  });

  it('replaces the previous list with a new import', async () => {
    await upload('name,domain,population\nGlobex,globex.io,customer\n');
    expect(await list()).toEqual([
      { name: 'Globex', population: 'customer', account_crm_id: 'a2' },
    ]);
  });

  it('refuses a file without the three columns, keeping the list it had', async () => {
    const { status, body } = await upload('name,population\nAcme,customer\n');
    expect([status, body.error!.code]).toEqual([400, 'CSV.HEADER']);
    expect(await list()).toHaveLength(1);
    expect((await upload('')).status).toBe(400);
    for (const [csv, code] of [
      ['name,domain,population\nAc\u0000me,acme.com,customer\n', null],
      [`name,domain,population\n${'x'.repeat(20_000)},a.com,customer\n`, 'CSV.INVALID'],
    ] as const) {
      const answer = await upload(csv);
      if (code) expect([answer.status, answer.body.error!.code]).toEqual([400, code]);
      else expect(answer.body).toMatchObject({ rowsKept: 0, rowsRejected: 1 });
    }
    const latin1 = await fetch(`${api.url}/api/v1/partners/${partner.id}/accounts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      body: Buffer.from('name,domain,population\nM\u00fcller GmbH,mueller.de,customer\n', 'latin1'),
    });
    expect([latin1.status, ((await latin1.json()) as ImportAnswer).error!.code]).toEqual([
      400,
      'CSV.ENCODING',
    ]);
    // (A NUL row above was a bad row of a good file: the list is that file's, now empty.)
    await upload('name,domain,population\nGlobex,globex.io,customer\n');
    const broken = await upload('name,domain,population\n"Acme,acme.com,customer\n');
    expect([broken.status, broken.body.error!.code]).toEqual([400, 'CSV.INVALID']);
    expect(await list()).toHaveLength(1);
  });

  it('refuses a stray quote with its line and column, early or deep in the file', async () => {
    const good = (n: number) =>
      Array.from({ length: n }, (_, i) => `Company ${i},c${i}.com,prospect\n`).join('');
    for (const [csv, line] of [
      ['name,domain,population\n=HYPERLINK("http://evil.example"),a.com,customer\n', 2],
      [`name,domain,population\n${good(2998)}=HYPERLINK("x"),a.com,customer\n`, 3000],
      [`name,domain,population\n${good(2998)}"Acme" Labs,a.com,customer\n`, 3000],
    ] as const) {
      const answer = await upload(csv);
      expect([answer.status, answer.body.error!.code]).toEqual([400, 'CSV.INVALID']);
      expect(answer.body.error!.details).toMatchObject({ line });
    }
    expect(await list()).toHaveLength(1);
  });

  it('answers 404 for a partner of another tenant, and 415 for a body that is not CSV', async () => {
    const other = await createTenant(database.db, { name: 'Other' });
    const otherKey = (await issueApiKey(database.db, other.id, 'o')).key;
    expect((await upload('name,domain,population\n', partner.id, otherKey)).status).toBe(404);
    const form = await fetch(`${api.url}/api/v1/partners/${partner.id}/accounts/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
  });

  it('takes the same list as JSON { csv } (what hubspot.fetch can send), bad rows reported', async () => {
    const before = await list();
    const empty = await api.call<ImportAnswer>(
      'POST',
      `/api/v1/partners/${partner.id}/accounts/import`,
      key,
      {},
    );
    expect(empty.status).toBe(400);
    expect(await list()).toEqual(before);
    const { status, body } = await api.call<ImportAnswer>(
      'POST',
      `/api/v1/partners/${partner.id}/accounts/import`,
      key,
      { csv: 'name,domain,population\nAcme Corp,acme.com,customer\nNo Domain,,nonsense\n' },
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({ rowsRead: 2, rowsKept: 1, rowsMatched: 1, rowsRejected: 1 });
    expect(body.errors[0]).toMatchObject({ line: 3 });
    expect((await list()).map((row) => row.account_crm_id)).toEqual(['a1']);
  });

  it('keeps nothing of an upload the client abandons, and the list it had', async () => {
    const before = await list();
    const imports = () =>
      database.db.query<{ id: string; status: string }>(
        'select id, status from partner_account_imports where tenant_id = $1 and partner_id = $2 order by id',
        [tenant.id, partner.id],
      );
    const importsBefore = await imports();
    const controller = new AbortController();
    async function* slow() {
      yield 'name,domain,population\n';
      for (let i = 0; i < 3000; i++) yield `Company ${i},c${i}.example,prospect\n`;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
    const upload = fetch(`${api.url}/api/v1/partners/${partner.id}/accounts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from(slow())) as ReadableStream,
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    await upload;
    // Wait until the server has seen the upload end: its import is gone, not left running.
    let after = await imports();
    for (let i = 0; i < 50 && after.length !== importsBefore.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await imports();
    }
    expect(after).toEqual(importsBefore);
    expect(await list()).toEqual(before);
  });

  it('streams a large file in batches', async () => {
    const rows = 50_000;
    async function* csv() {
      yield 'name,domain,population\n';
      for (let i = 0; i < rows; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++) chunk += `Company ${j},c${j}.example,prospect\n`;
        yield chunk;
      }
    }
    const result = await importAccountList(
      database.db,
      tenant.id,
      partner.id,
      Readable.from(csv()),
      'test',
    );
    expect(result).toMatchObject({ rowsRead: rows, rowsKept: rows, rowsRejected: 0 });
    expect(await list()).toHaveLength(rows);
  });
});
