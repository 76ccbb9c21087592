import { randomBytes } from 'node:crypto';

import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { hubspotTaskWriters } from '../../../server/crm/hubspot/tasks';
import { registrationMarker } from '../../../server/crm/tasks';
import { issueApiKey } from '../../../server/db/api-keys';
import { upsertAccounts } from '../../../server/db/mirror';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { startRegistrationSweep } from '../../../server/queue/workers/registration-sweep-worker';
import { type SlaTaskDeps, sweepSlaTasks } from '../../../server/registrations/sla-tasks';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import { startTestApi, type TestApi } from '../../support/api';
import { createAccountRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

const APP = { clientId: 'test-app', clientSecret: 'test-secret' };
const PORTAL = '777';
const HOUR = 3_600_000;
const AT = '2026-11-01T00:00:00.000Z';
const APP_ID = '4242';

describe('SLA tasks for pending registrations', () => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let api: TestApi;
  let tenant: Tenant;
  let key: string;
  let deps: SlaTaskDeps;
  let clock = Date.parse('2026-11-02T09:00:00Z');
  const managed = createPartnerInput({ name: 'Managed Reseller', partnerManager: 'Maya Chen' });
  const orphan = createPartnerInput({ name: 'Orphan Reseller', partnerManager: 'Nobody Mapped' });

  const call = (method: string, path: string, body?: unknown) =>
    api.call<{ id: string; status: string }>(method, `/api/v1${path}`, key, body);
  const tasks = () => [...sandbox.store.portal(PORTAL)!.tasks.values()];
  const rows = () =>
    database.db.query<{ registration_id: string; status: string; crm_task_id: string }>(
      'select registration_id, status, crm_task_id from registration_tasks order by claimed_at, registration_id',
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [] });
    const portal = sandbox.store.addPortal(PORTAL);
    sandbox.store.putObject(portal, 'companies', {
      id: '20000000001',
      properties: {
        name: 'Acme Corp',
        domain: 'acme.com',
        createdate: AT,
        hs_lastmodifieddate: AT,
      },
      createdAt: AT,
      updatedAt: AT,
    });
    tenant = await createTenant(database.db, { name: 'Task Co', hubspotPortalId: PORTAL });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken(PORTAL),
    );
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    await upsertPartners(database.db, tenant.id, [managed, orphan]);
    await upsertAccounts(database.db, tenant.id, 'hubspot', [
      createAccountRecord({ crmId: '20000000001', name: 'Acme Corp', domain: 'acme.com' }),
    ]);
    api = await startTestApi(database.db, { now: () => clock });
    const saved = await call('PUT', '/program', {
      version: 0,
      program: {
        approvalSlaHours: 48,
        slaTasks: { ownersByManager: { 'Maya Chen': '9001' }, fallbackOwnerId: '9999' },
      },
    });
    expect(saved.status).toBe(200);
    deps = {
      db: database.db,
      writers: {
        hubspot: hubspotTaskWriters({
          db: database.db,
          box,
          hubspot: { ...APP, apiBase: sandbox.url },
          now: () => clock,
        }),
      },
      links: { hubspotAppId: APP_ID },
    };
  });

  afterAll(async () => {
    await api.close();
    await sandbox.close();
    await database.drop();
  });

  it('creates nothing before a registration has waited 75 % of its SLA', async () => {
    const first = await call('POST', '/registrations', {
      partnerId: managed.id,
      companyName: 'Acme Corp',
      companyDomain: 'acme.com',
    });
    expect(first.body.status).toBe('pending');
    await call('POST', '/registrations', { partnerId: orphan.id, companyName: 'Nowhere Ltd' });
    clock += 36 * HOUR - 1000;
    expect(await sweepSlaTasks(deps, clock)).toEqual({
      created: 0,
      recovered: 0,
      completed: 0,
      removed: 0,
      failed: 0,
    });
    expect(tasks()).toEqual([]);
  });

  it("creates one task per registration at 75 %, owned by the manager's owner or the fallback", async () => {
    clock += 2000;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 2, failed: 0 });
    // The sweep creates them in whatever order its reads come back: found by their company.
    const acme = tasks().find((t) => t.properties.hs_task_subject?.includes('Acme Corp'));
    const nowhere = tasks().find((t) => t.properties.hs_task_subject?.includes('Nowhere Ltd'));
    const [acmeRow] = (await rows()).filter((r) => r.crm_task_id === acme!.id);
    expect(acme!.properties).toMatchObject({
      hs_task_subject: `Decide Managed Reseller's registration of Acme Corp [${registrationMarker(acmeRow!.registration_id)}]`,
      hs_task_status: 'NOT_STARTED',
      hubspot_owner_id: '9001',
    });
    expect(acme!.companyIds).toEqual(['20000000001']);
    // The body is HTML, its link the app's page in the portal with the registration to open.
    expect(acme!.properties.hs_task_body).toContain(
      `<a href="https://app.hubspot.com/app/${PORTAL}/${APP_ID}?registration=${acmeRow!.registration_id}">Open the registration in PartnerLens</a>`,
    );
    expect(nowhere!.properties.hubspot_owner_id).toBe('9999');
    expect(nowhere!.companyIds).toEqual([]);
  });

  it('creates no second task however often the sweep runs, or several at once', async () => {
    await Promise.all([sweepSlaTasks(deps, clock), sweepSlaTasks(deps, clock)]);
    await sweepSlaTasks(deps, clock + HOUR);
    expect(tasks()).toHaveLength(2);
    expect((await rows()).map((r) => r.status)).toEqual(['open', 'open']);
  });

  it('completes the task when the registration is decided', async () => {
    const [first] = await rows();
    await call('POST', `/registrations/${first!.registration_id}/decision`, {
      decision: 'reject',
      reason: 'House account',
    });
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 0, completed: 1 });
    const task = sandbox.store.portal(PORTAL)!.tasks.get(first!.crm_task_id)!;
    expect(task.properties.hs_task_status).toBe('COMPLETED');
    expect(task.properties.hs_task_body).toMatch(/^<p>The registration was rejected by api_key/);
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ completed: 0 });
  });

  it('keeps the claim and its error when HubSpot refuses, and creates the task on the next sweep', async () => {
    await call('POST', '/registrations', { partnerId: orphan.id, companyName: 'Later Inc' });
    clock += 40 * HOUR;
    const failing: SlaTaskDeps = {
      ...deps,
      writers: {
        hubspot: async (tenantId) => ({
          ...(await deps.writers.hubspot!(tenantId)),
          create: () => Promise.reject(new Error('HubSpot answered 502')),
        }),
      },
    };
    expect(await sweepSlaTasks(failing, clock)).toMatchObject({ created: 0, failed: 1 });
    const [waiting] = await database.db.query<{ status: string; last_error: string }>(
      `select status, last_error from registration_tasks where status = 'creating'`,
    );
    expect(waiting).toEqual({ status: 'creating', last_error: 'HubSpot answered 502' });
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 1, failed: 0 });
    expect(tasks()).toHaveLength(3);
  });

  it('takes no task for a tenant whose program turns them off', async () => {
    const { body } = await api.call<{ version: number; program: Record<string, unknown> }>(
      'GET',
      '/api/v1/program',
      key,
    );
    await call('PUT', '/program', {
      version: body.version,
      program: { ...body.program, slaTasks: { enabled: false } },
    });
    await call('POST', '/registrations', { partnerId: orphan.id, companyName: 'Quiet Co' });
    clock += 47 * HOUR;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 0 });
  });

  it('runs in the registration-expiry job, after its sweep', async () => {
    const { body } = await api.call<{ version: number; program: Record<string, unknown> }>(
      'GET',
      '/api/v1/program',
      key,
    );
    await call('PUT', '/program', {
      version: body.version,
      program: { ...body.program, slaTasks: { enabled: true, fallbackOwnerId: '9999' } },
    });
    const before = tasks().length;
    const sweep = await startRegistrationSweep(testQueueSettings(), {
      db: database.db,
      logger: silentLogger,
      now: () => clock,
      slaTasks: { writers: deps.writers, links: deps.links },
    });
    try {
      // The scheduler's first job runs at once; the Quiet Co registration has waited 47 h.
      for (let i = 0; i < 100 && tasks().length === before; i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(tasks()).toHaveLength(before + 1);
      expect(tasks().at(-1)!.properties.hs_task_subject).toMatch(
        /^Decide Orphan Reseller's registration of Quiet Co \[PL[0-9a-f]{16}\]$/,
      );
    } finally {
      await sweep.close();
    }
  });
  it('links no task to a company the CRM archived since the registration matched it', async () => {
    sandbox.store.putObject(sandbox.store.portal(PORTAL)!, 'companies', {
      id: '20000000002',
      properties: {
        name: 'Beta Corp',
        domain: 'beta.com',
        createdate: AT,
        hs_lastmodifieddate: AT,
      },
      createdAt: AT,
      updatedAt: AT,
    });
    await upsertAccounts(database.db, tenant.id, 'hubspot', [
      createAccountRecord({ crmId: '20000000002', name: 'Beta Corp', domain: 'beta.com' }),
    ]);
    const submitted = await call('POST', '/registrations', {
      partnerId: orphan.id,
      companyName: 'Beta Corp',
      companyDomain: 'beta.com',
    });
    expect(submitted.body.status).toBe('pending');
    await database.db.query(
      `update accounts set archived_at = now() where tenant_id = $1 and crm_id = '20000000002'`,
      [tenant.id],
    );
    clock += 40 * HOUR;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 1, failed: 0 });
    const beta = tasks().find((t) => t.properties.hs_task_subject?.includes('Beta Corp'));
    expect(beta!.companyIds).toEqual([]);
  });
});
