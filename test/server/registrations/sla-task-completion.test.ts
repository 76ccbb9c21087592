import { randomBytes } from 'node:crypto';

import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { hubspotTaskWriters } from '../../../server/crm/hubspot/tasks';
import { registrationMarker } from '../../../server/crm/tasks';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { type SlaTaskDeps, sweepSlaTasks } from '../../../server/registrations/sla-tasks';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import { startTestApi, type TestApi } from '../../support/api';
import { createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

const APP = { clientId: 'completion-app', clientSecret: 'completion-secret' };
const PORTAL = '781';
const HOUR = 3_600_000;

describe('SLA tasks of decided registrations', () => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let api: TestApi;
  let tenant: Tenant;
  let key: string;
  let deps: SlaTaskDeps;
  let clock = Date.parse('2026-11-02T09:00:00Z');
  const partner = createPartnerInput({ name: 'Steady Reseller', partnerManager: 'Nobody' });

  const call = <T = { id: string; status: string }>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, `/api/v1${path}`, key, body);
  const tasks = () => [...sandbox.store.portal(PORTAL)!.tasks.values()];
  const register = async (companyName: string) =>
    (await call('POST', '/registrations', { partnerId: partner.id, companyName })).body.id;
  const setSlaTasks = async (slaTasks: Record<string, unknown>) => {
    const { body } = await call<{ version: number; program: Record<string, unknown> }>(
      'GET',
      '/program',
    );
    const saved = await call('PUT', '/program', {
      version: body.version,
      program: { ...body.program, slaTasks },
    });
    expect(saved.status).toBe(200);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [] });
    sandbox.store.addPortal(PORTAL);
    tenant = await createTenant(database.db, { name: 'Decided Co', hubspotPortalId: PORTAL });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken(PORTAL),
    );
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    await upsertPartners(database.db, tenant.id, [partner]);
    api = await startTestApi(database.db, { now: () => clock });
    await call('PUT', '/program', {
      version: 0,
      program: { approvalSlaHours: 48, slaTasks: { fallbackOwnerId: '9999' } },
    });
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
      links: {},
    };
  });

  afterAll(async () => {
    await api.close();
    await sandbox.close();
    await database.drop();
  });

  it('completes the task of a registration decided after the admin turned SLA tasks off', async () => {
    const id = await register('Switched Off Inc');
    clock += 40 * HOUR;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 1, failed: 0 });
    await setSlaTasks({ enabled: false });
    await call('POST', `/registrations/${id}/decision`, { decision: 'approve' });
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ completed: 1, failed: 0 });
    const [task] = tasks().filter((t) =>
      t.properties.hs_task_subject?.includes(registrationMarker(id)),
    );
    expect(task!.properties.hs_task_status).toBe('COMPLETED');
  });

  it('makes no task for a claim from before markers whose registration was decided since', async () => {
    await setSlaTasks({ enabled: true, fallbackOwnerId: '9999' });
    const id = await register('Old Claim Ltd');
    // A claim an earlier release left in flight, as migration 0022 backfills it: a marker, no
    // lease, no attempts counted.
    await database.db.query(
      `insert into registration_tasks (tenant_id, registration_id, crm, status, claimed_at, marker)
       values ($1, $2, 'hubspot', 'creating', $3, $4)`,
      [tenant.id, id, new Date(clock), registrationMarker(id)],
    );
    await call('POST', `/registrations/${id}/decision`, {
      decision: 'reject',
      reason: 'Decided by hand',
    });
    const before = tasks().length;
    expect(await sweepSlaTasks(deps, clock + HOUR)).toMatchObject({ created: 0, failed: 0 });
    expect(tasks()).toHaveLength(before);
    expect(
      await database.db.query('select 1 from registration_tasks where registration_id = $1', [id]),
    ).toEqual([]);
  });
});
