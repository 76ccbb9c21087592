import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type SalesforceDemo, startSalesforceDemo } from '../support/salesforce-demo';
import { createTestDatabase, type TestDatabase } from '../support/services';

// The LWC tests' JSON fixtures are answers of the real API on the seeded demo. With
// UPDATE_SALESFORCE_FIXTURES=1 this writes them; otherwise it checks the committed ones still have
// the shape the API answers with (every key path), so the fixtures cannot drift from the API.
const LWC = path.join(__dirname, '../../extensions/salesforce/force-app/main/default/lwc');
const UPDATE = process.env.UPDATE_SALESFORCE_FIXTURES === '1';
const PRETTIER = path.join(__dirname, '../../node_modules/.bin/prettier');

/** Every key path, array positions collapsed: `partners[].performance.won12m`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => [
      `${prefix}.${key}`,
      ...keyPaths(v, `${prefix}.${key}`),
    ]);
  return [];
}

describe('the LWC fixtures', () => {
  let database: TestDatabase;
  let demo: SalesforceDemo;
  const captured: Array<{ component: string; name: string; body: unknown }> = [];
  const capture = async (
    component: string,
    name: string,
    method: string,
    route: string,
    body?: unknown,
  ) => {
    const answer = await demo.api.call(method, route, demo.apiKey, body);
    const json = answer.status >= 400 ? { status: answer.status, ...answer.body } : answer.body;
    captured.push({ component, name, body: json });
    return answer.body as Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    demo = await startSalesforceDemo(database.db);
    const deal = `/api/v1/deals/${demo.dealId}`;
    const card = await capture('partnerLensDealCard', 'card', 'GET', `${deal}/card`);
    const [empty] = await database.db.query<{ crm_id: string }>(
      `select d.crm_id from deals d where d.tenant_id = $1 and d.stage = 'lost'
          and not exists (select 1 from deal_partners dp where dp.tenant_id = d.tenant_id and dp.deal_id = d.id)
        order by d.crm_id limit 1`,
      [demo.tenantId],
    );
    await capture(
      'partnerLensDealCard',
      'card-empty',
      'GET',
      `/api/v1/deals/${empty!.crm_id}/card`,
    );
    await capture(
      'partnerLensDealCard',
      'card-not-found',
      'GET',
      '/api/v1/deals/0060000000NOPE/card',
    );
    const suggested = (card.suggestions as Array<{ partnerId: string }>)[0]!.partnerId;
    await capture('partnerLensDealCard', 'add-cosell', 'POST', `${deal}/partners`, {
      partnerId: suggested,
      role: 'influenced',
    });
    await capture('partnerLensDealCard', 'add-cosell-conflict', 'POST', `${deal}/partners`, {
      partnerId: suggested,
      role: 'influenced',
    });

    // The first registration has waited three days: overdue against the 48-hour SLA.
    await database.db.query(
      `update registrations set submitted_at = submitted_at - interval '3 days'
        where id = (select id from registrations where tenant_id = $1 order by submitted_at, id limit 1)`,
      [demo.tenantId],
    );
    const queue = 'partnerLensRegistrationQueue';
    const first = await capture(queue, 'page-1', 'GET', '/api/v1/registrations?limit=2');
    await capture(
      queue,
      'page-2',
      'GET',
      `/api/v1/registrations?limit=2&cursor=${first.nextCursor as string}`,
    );
    const pending = await capture(queue, 'pending', 'GET', '/api/v1/registrations?status=pending');
    const [review, newLogo] = pending.items as Array<{ id: string; partner: { id: string } }>;
    const detail = 'partnerLensRegistrationDetail';
    await capture(detail, 'registration', 'GET', `/api/v1/registrations/${review!.id}`);
    // The world changes under the manager: the partner is no longer active when approving.
    await database.db.query(
      `update partners set status = 'inactive' where tenant_id = $1 and id = $2`,
      [demo.tenantId, review!.partner.id],
    );
    const decide = `/api/v1/registrations/${review!.id}/decision`;
    await capture(detail, 'approve-conflicts-changed', 'POST', decide, { decision: 'approve' });
    await database.db.query(
      `update partners set status = 'active' where tenant_id = $1 and id = $2`,
      [demo.tenantId, review!.partner.id],
    );
    await capture(detail, 'approved', 'POST', decide, { decision: 'approve' });
    await capture(detail, 'extended', 'POST', `/api/v1/registrations/${review!.id}/extend`);
    await capture(detail, 'extend-refused', 'POST', `/api/v1/registrations/${review!.id}/extend`);
    await capture(detail, 'registration-approved', 'GET', `/api/v1/registrations/${review!.id}`);
    const rejectAt = `/api/v1/registrations/${newLogo!.id}/decision`;
    await capture(detail, 'reject-without-reason', 'POST', rejectAt, {
      decision: 'reject',
      reason: ' ',
    });
    await capture(detail, 'rejected', 'POST', rejectAt, {
      decision: 'reject',
      reason: 'Brightwave is a house account',
    });

    const merges = 'partnerLensMergeCandidates';
    const candidates = await capture(
      merges,
      'merge-candidates',
      'GET',
      '/api/v1/partners/merge-candidates?status=open',
    );
    const [candidate] = candidates.items as Array<{ id: string }>;
    await capture(
      merges,
      'kept-apart',
      'POST',
      `/api/v1/partners/merge-candidates/${candidate!.id}/decision`,
      {
        decision: 'keep_apart',
      },
    );
    await capture(
      merges,
      'already-decided',
      'POST',
      `/api/v1/partners/merge-candidates/${candidate!.id}/decision`,
      {
        decision: 'keep_apart',
      },
    );
  }, 120_000);

  afterAll(async () => {
    await demo.close();
    await database.drop();
  });

  it('are answers of the real API, with the shape it answers with', () => {
    expect(captured.length).toBeGreaterThan(10);
    const written: string[] = [];
    for (const { component, name, body } of captured) {
      const file = path.join(LWC, component, '__tests__', 'data', `${name}.json`);
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
    // Regenerated fixtures are committed, so they leave here in the repository's formatting.
    if (written.length > 0) execFileSync(PRETTIER, ['--write', '--log-level', 'warn', ...written]);
  });
});
