import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { type ListedRoute, listRoutes, type Role, ROLES } from '../../../server/http/access';
import { startTestApi, type TestApi } from '../../support/api';
import { createPartnerInput, seedDealWithPartner, upsertPartners } from '../../support/fixtures';
import { fillPath } from '../../support/route-table';
import { createTestDatabase, type TestDatabase } from '../../support/services';

/**
 * The route-table suites: they enumerate the Express routes, so a route added tomorrow is held to
 * them without anyone editing this file.
 */
describe('every route', () => {
  let database: TestDatabase;
  let api: TestApi;
  let routes: ListedRoute[];
  let own: Tenant;
  let other: Tenant;
  const keys = {} as Record<Role, string>;
  let otherKey: string;
  let ownPartner: string;
  let secondPartner: string;
  const foreign: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    own = await createTenant(db, { name: 'Own', hubspotPortalId: '901' });
    other = await createTenant(db, { name: 'Other', hubspotPortalId: '902' });
    const mine = createPartnerInput({ name: 'Mine', tier: 'gold' });
    const second = createPartnerInput({ name: 'Second', tier: 'gold' });
    await upsertPartners(db, own.id, [mine, second]);
    ownPartner = mine.id;
    secondPartner = second.id;
    for (const role of ROLES)
      keys[role] = (
        await issueApiKey(
          db,
          own.id,
          role,
          role === 'partner' ? { role, partnerId: ownPartner } : { role },
        )
      ).key;
    otherKey = (await issueApiKey(db, other.id, 'admin')).key;
    api = await startTestApi(db);
    routes = listRoutes(api.app);

    // The other tenant's ids, real ones: a partner, its deal and a registration of it.
    const seeded = await seedDealWithPartner(db, other.id, { partner: { tier: 'gold' } });
    foreign.partnerId = seeded.partner.id;
    foreign.dealId = seeded.deal.crmId;
    const registration = await api.call<{ id: string }>('POST', '/api/v1/registrations', otherKey, {
      partnerId: seeded.partner.id,
      companyName: 'Foreign Co',
    });
    expect(registration.status).toBe(201);
    foreign.id = registration.body.id;
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('declares who may call it (allow(...) or publicRoute(...) on the route)', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/api/v1/registrations/:id' }),
    );
    const undeclared = routes
      .filter((route) => !route.access)
      .map((route) => `${route.method} ${route.path}`);
    // To declare one, put the roles beside the handler, e.g.
    //   router.get('/registrations/summary', allow(...READERS), handler)   // server/http/access.ts
    // (admin is always allowed), or publicRoute('what guards it') for a route without API keys.
    expect(undeclared).toEqual([]);
  });

  it('under /api/v1 takes credentials (no public route there)', () => {
    const publicApi = routes.filter(
      (route) => route.path.startsWith('/api/v1/') && route.access?.kind !== 'roles',
    );
    expect(publicApi).toEqual([]);
  });

  const apiRoutes = () => routes.filter((route) => route.access?.kind === 'roles');

  const fill = fillPath;

  it('answers each role as the route declares: allowed, or 403 AUTH.FORBIDDEN', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of apiRoutes()) {
      const declared = route.access!.kind === 'roles' ? route.access!.roles : [];
      for (const role of ROLES) {
        const path = fill(route.path, { partnerId: ownPartner, dealId: '424242' });
        // The one body the partner key may send: a registration for its own partner.
        const body =
          route.method === 'GET'
            ? undefined
            : route.path === '/api/v1/registrations'
              ? { partnerId: ownPartner, companyName: `Role ${role} Co` }
              : {};
        const { status, body: answer } = await api.call<{ error?: { code: string } }>(
          route.method,
          path,
          keys[role],
          body,
        );
        checked += 1;
        const forbidden = status === 403 && answer.error?.code === 'AUTH.FORBIDDEN';
        if (status >= 500 || forbidden === declared.includes(role))
          mismatches.push(`${route.method} ${route.path} as ${role}: ${status}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(apiRoutes().length * ROLES.length);
  });

  it("answers 404 to another tenant's ids and changes nothing", async () => {
    const counted = ['registrations', 'registration_decisions', 'audit_events', 'deal_partners'];
    const count = async () =>
      Promise.all(
        counted.map(
          async (table) =>
            (await database.db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!
              .n,
        ),
      );
    const before = await count();
    const answers: string[] = [];
    const withIds = apiRoutes().filter((route) => route.path.includes('/:'));
    expect(withIds.length).toBeGreaterThan(10);
    for (const route of withIds) {
      const path = fill(route.path, foreign);
      const { status } = route.path.endsWith('/accounts/import')
        ? await fetch(`${api.url}${path}`, {
            method: route.method,
            headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'text/csv' },
            body: 'name,domain\nAcme,acme.example\n',
          })
        : await api.call(route.method, path, keys.admin, bodyFor(route, foreign));
      if (status !== 404) answers.push(`${route.method} ${route.path}: ${status}`);
    }
    expect(answers).toEqual([]);
    expect(await count()).toEqual(before);
  });

  describe('a partner key', () => {
    it("reads its own registrations only: another partner's answers 404", async () => {
      const theirs = await api.call<{ id: string }>('POST', '/api/v1/registrations', keys.admin, {
        partnerId: secondPartner,
        companyName: 'Theirs Co',
      });
      const mine = await api.call<{ id: string }>('POST', '/api/v1/registrations', keys.partner, {
        partnerId: ownPartner,
        companyName: 'Mine Co',
      });
      expect([theirs.status, mine.status]).toEqual([201, 201]);
      const read = (id: string) => api.call('GET', `/api/v1/registrations/${id}`, keys.partner);
      expect((await read(mine.body.id)).status).toBe(200);
      expect((await read(theirs.body.id)).status).toBe(404);
      const list = await api.call<{ items: { id: string; partnerId?: string }[] }>(
        'GET',
        `/api/v1/registrations?partnerId=${secondPartner}`,
        keys.partner,
      );
      expect(list.status).toBe(200);
      expect(list.body.items.map((item) => item.id)).not.toContain(theirs.body.id);
      const all = await api.call<{ items: { id: string }[] }>(
        'GET',
        '/api/v1/registrations',
        keys.partner,
      );
      expect(all.body.items.map((item) => item.id)).toContain(mine.body.id);
      expect(all.body.items.map((item) => item.id)).not.toContain(theirs.body.id);
    });

    it("registers for its own partner only, and reads another's statement as 404", async () => {
      const forged = await api.call<{ error: { code: string } }>(
        'POST',
        '/api/v1/registrations',
        keys.partner,
        { partnerId: secondPartner, companyName: 'Forged Co' },
      );
      expect(forged.status).toBe(403);
      expect(forged.body.error.code).toBe('AUTH.OTHER_PARTNER');
      const statement = (partnerId: string) =>
        api.call('GET', `/api/v1/partners/${partnerId}/statements/2026-03`, keys.partner);
      expect((await statement(ownPartner)).status).toBe(200);
      expect((await statement(secondPartner)).status).toBe(404);
    });
  });
});

/** A body the route would take, so the tenant check (not validation) is what answers. */
function bodyFor(route: ListedRoute, ids: Record<string, string>): unknown {
  if (route.method === 'GET') return undefined;
  if (route.path.endsWith('/registrations/:id/decision')) return { decision: 'approve' };
  if (route.path.endsWith('/merge-candidates/:id/decision')) return { decision: 'keep_apart' };
  if (route.path.endsWith('/commissions/:entryId/void')) return { reason: 'cross-tenant probe' };
  if (route.path.endsWith('/deals/:dealId/partners'))
    return { partnerId: ids.partnerId, role: 'influenced' };
  return {};
}
