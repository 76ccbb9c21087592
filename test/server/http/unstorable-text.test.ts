import { recomputeStaleDeals } from '../../../server/commissions/recompute-deals';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { startTestApi, type TestApi } from '../../support/api';
import { seedDealWithPartner } from '../../support/fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/services';

interface Answer {
  id?: string;
  error?: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

const TABLES = [
  'registrations',
  'registration_decisions',
  'ledger_entry_steps',
  'payouts',
  'cosell_declines',
  'programs',
  'audit_events',
];

describe.each(DATABASE_KINDS)('text the database cannot store (%s)', (kind) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let api: TestApi;
  let key: string;
  let partnerId: string;
  let registrationId: string;
  let entryId: string;
  const dealId = '30000000001';

  const rowCounts = async () =>
    Promise.all(
      TABLES.map(async (table) => {
        const [row] = await database.db.query<{ n: number }>(
          `select count(*)::int as n from ${table}`,
        );
        return `${table}:${row!.n}`;
      }),
    );

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    tenant = await createTenant(database.db, { name: 'Text Co' });
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    const seeded = await seedDealWithPartner(database.db, tenant.id, {
      deal: { stage: 'won', closedAt: new Date('2026-02-01T00:00:00Z') },
    });
    partnerId = seeded.partner.id;
    const program = parseProgram({
      rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 1000 }],
    });
    if (!program.ok) throw new Error(program.error.message);
    await saveProgram(database.db, tenant.id, program.value, 'test');
    await recomputeStaleDeals(database.db, tenant.id);
    [{ id: entryId }] = (await database.db.query<{ id: string }>(
      `select id from ledger_entries where tenant_id = $1`,
      [tenant.id],
    )) as [{ id: string }];
    api = await startTestApi(database.db);
    const registration = await api.call<Answer>('POST', '/api/v1/registrations', key, {
      partnerId,
      companyName: 'Pending Prospect Ltd',
    });
    registrationId = registration.body.id!;
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  // Each route with a text field, as the outside probe sent them.
  const requests = (text: string): Array<[string, string, Record<string, unknown>, string]> => [
    ['POST', '/api/v1/registrations', { partnerId, companyName: `Acme${text}` }, 'companyName'],
    [
      'POST',
      '/api/v1/registrations',
      { partnerId, companyName: 'Acme', companyDomain: `acme${text}.com` },
      'companyDomain',
    ],
    [
      'POST',
      `/api/v1/registrations/${registrationId}/decision`,
      { decision: 'reject', reason: `no${text}` },
      'reason',
    ],
    ['POST', `/api/v1/commissions/${entryId}/void`, { reason: `duplicate${text}` }, 'reason'],
    [
      'POST',
      '/api/v1/payouts',
      { requestId: 'p-1', partnerId, throughPeriod: '2026-02', reference: `INV${text}` },
      'reference',
    ],
    [
      'POST',
      `/api/v1/deals/${dealId}/suggestions/${partnerId}/decline`,
      { reason: `not now${text}` },
      'reason',
    ],
    [
      'PUT',
      '/api/v1/program',
      { version: 1, program: { currency: 'USD', tiers: ['gold', `si${text}lver`] } },
      'program.tiers.1',
    ],
    [
      'PUT',
      '/api/v1/program',
      { version: 1, program: { [`cur${text}`]: 'USD' } },
      `program.cur${text}`,
    ],
  ];

  it.each([
    ['a NUL character', '\u0000', /NUL/],
    ['half of a surrogate pair', '\ud800', /surrogate/],
  ])('answers 400 naming the field for %s, and writes nothing', async (_name, text, message) => {
    const before = await rowCounts();
    for (const [method, path, body, field] of requests(text)) {
      const answer = await api.call<Answer>(method, path, key, body);
      expect([method, path, answer.status]).toEqual([method, path, 400]);
      expect(answer.body.error!.details).toEqual([
        { path: field, message: expect.stringMatching(message) },
      ]);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 for such text in the query string and the path', async () => {
    const query = await fetch(`${api.url}/api/v1/registrations?partnerId=%00`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(query.status).toBe(400);
    const path = await fetch(`${api.url}/api/v1/deals/30%ED%A0%80/card`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(path.status).toBe(400);
  });

  it('reads JSON sent without its Content-Type, and says what to send for a body that is not JSON', async () => {
    const send = (body: string, contentType = '') =>
      fetch(`${api.url}/api/v1/registrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
        body,
      });
    const json = await send(JSON.stringify({ partnerId, companyName: 'No Type Ltd' }));
    expect(json.status).toBe(201);
    const before = await rowCounts();
    const form = await send('partnerId=1&companyName=Form', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(((await form.json()) as Answer).error!.message).toMatch(
      /Content-Type: application\/json/,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a JSON body that is not UTF-8 (Latin-1 bytes) as 400 REQUEST.ENCODING, not as U+FFFD', async () => {
    const before = await rowCounts();
    const latin1 = Buffer.from(
      JSON.stringify({ partnerId, companyName: 'Caf\u00e9 Ltd' }),
      'latin1',
    );
    const answer = await fetch(`${api.url}/api/v1/registrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: latin1,
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as Answer).error!.code).toBe('REQUEST.ENCODING');
    expect(await rowCounts()).toEqual(before);
  });
});
