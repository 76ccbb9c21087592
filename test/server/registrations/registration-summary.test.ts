import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant } from '../../../server/db/tenants';
import { startTestApi, type TestApi } from '../../support/api';
import { createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

interface Summary {
  pending: number;
  overdue: number;
  oldestPendingAt: string | null;
  decidedThisWeek: { approved: number; rejected: number; total: number };
  weekStart: string;
  approvalSlaHours: number;
  error?: { code: string };
}

describe('GET /api/v1/registrations/summary', () => {
  let database: TestDatabase;
  let api: TestApi;
  let key: string;
  let otherKey: string;
  // A Wednesday: the week began on Monday 2 March.
  let clock = Date.parse('2026-03-04T12:00:00Z');
  const gold = createPartnerInput({ name: 'Gold Reseller', tier: 'gold' });
  const silver = createPartnerInput({ name: 'Silver Reseller', tier: 'silver' });

  const call = (method: string, path: string, body?: unknown, apiKey = key) =>
    api.call<Summary & { id: string; status: string }>(method, `/api/v1${path}`, apiKey, body);
  const register = (partnerId: string, companyName: string) =>
    call('POST', '/registrations', { partnerId, companyName });

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    const tenant = await createTenant(db, { name: 'Summary Co' });
    const other = await createTenant(db, { name: 'Other Co' });
    key = (await issueApiKey(db, tenant.id, 'admin')).key;
    otherKey = (await issueApiKey(db, other.id, 'admin')).key;
    await upsertPartners(db, tenant.id, [gold, silver]);
    await upsertPartners(db, other.id, [createPartnerInput({ name: 'Elsewhere', tier: 'gold' })]);
    api = await startTestApi(db, { now: () => clock });
    const program = {
      autoApprove: { enabled: false },
      approvalSlaHours: 48,
    };
    expect((await call('PUT', '/program', { version: 0, program })).status).toBe(200);
  });

  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('counts nothing for a tenant without registrations', async () => {
    const { status, body } = await call('GET', '/registrations/summary');
    expect(status).toBe(200);
    expect(body).toEqual({
      pending: 0,
      overdue: 0,
      oldestPendingAt: null,
      decidedThisWeek: { approved: 0, rejected: 0, total: 0 },
      weekStart: '2026-03-02T00:00:00.000Z',
      approvalSlaHours: 48,
    });
  });

  it('counts the pending, the overdue among them and what was decided this week', async () => {
    // Last week's Friday: overdue by Wednesday noon; decided last week does not count.
    clock = Date.parse('2026-02-27T10:00:00Z');
    const old = (await register(gold.id, 'Oldco')).body;
    const lastWeek = (await register(gold.id, 'Lastweek Inc')).body;
    clock = Date.parse('2026-02-28T10:00:00Z');
    await call('POST', `/registrations/${lastWeek.id}/decision`, { decision: 'approve' });
    // At Wednesday noon Monday 10:00 has waited 50 h (overdue), Tuesday 10:00 only 26 h.
    clock = Date.parse('2026-03-02T10:00:00Z');
    await register(silver.id, 'Mondayco');
    clock = Date.parse('2026-03-03T10:00:00Z');
    const approved = (await register(gold.id, 'Approvedco')).body;
    const rejected = (await register(silver.id, 'Rejectedco')).body;
    await register(gold.id, 'Tuesdayco');
    clock = Date.parse('2026-03-04T11:00:00Z');
    await call('POST', `/registrations/${approved.id}/decision`, { decision: 'approve' });
    await call('POST', `/registrations/${rejected.id}/decision`, {
      decision: 'reject',
      reason: 'House account',
    });
    clock = Date.parse('2026-03-04T12:00:00Z');

    const { body } = await call('GET', '/registrations/summary');
    expect(body).toMatchObject({
      pending: 3,
      overdue: 2,
      oldestPendingAt: '2026-02-27T10:00:00.000Z',
      decidedThisWeek: { approved: 1, rejected: 1, total: 2 },
    });
    expect(old.status).toBe('pending');
  });

  it('moves a registration into overdue as the clock passes its SLA', async () => {
    clock = Date.parse('2026-03-05T10:00:01Z');
    expect((await call('GET', '/registrations/summary')).body.overdue).toBe(3);
    clock = Date.parse('2026-03-04T12:00:00Z');
  });

  it('shows another tenant only its own registrations', async () => {
    const { body } = await call('GET', '/registrations/summary', undefined, otherKey);
    expect(body).toMatchObject({ pending: 0, overdue: 0, decidedThisWeek: { total: 0 } });
  });

  it('answers 401 without credentials', async () => {
    const response = await call('GET', '/registrations/summary', undefined, 'nope');
    expect(response.status).toBe(401);
  });
});
