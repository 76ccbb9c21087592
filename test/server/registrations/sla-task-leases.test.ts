import { randomBytes } from 'node:crypto';

import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { hubspotTaskWriters } from '../../../server/crm/hubspot/tasks';
import type { TaskWriter } from '../../../server/crm/tasks';
import { registrationMarker } from '../../../server/crm/tasks';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import {
  DEFAULT_LEASE_MS,
  type SlaTaskDeps,
  sweepSlaTasks,
} from '../../../server/registrations/sla-tasks';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import { startTestApi, type TestApi } from '../../support/api';
import { createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

const APP = { clientId: 'lease-app', clientSecret: 'lease-secret' };
const PORTAL = '782';
const HOUR = 3_600_000;

describe('SLA task claims retaken by two sweeps', () => {
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
  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [] });
    sandbox.store.addPortal(PORTAL);
    tenant = await createTenant(database.db, { name: 'Lease Co', hubspotPortalId: PORTAL });
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

  it('never works a claim whose lease another sweep has taken since', async () => {
    const first = await register('First Backlog Inc');
    const second = await register('Second Backlog Inc');
    clock += 40 * HOUR;
    // An outage: both creates refused, both claims left for the next sweep without a lease.
    const refusing: SlaTaskDeps = {
      ...deps,
      writers: {
        hubspot: async (tenantId) => ({
          ...(await deps.writers.hubspot!(tenantId)),
          create: () => Promise.reject(new Error('HubSpot answered 503')),
        }),
      },
    };
    expect(await sweepSlaTasks(refusing, clock)).toMatchObject({ created: 0, failed: 2 });

    // Sweep A retakes the backlog and is held in its first call to HubSpot past its lease…
    let held!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (held = resolve));
    const blocked = new Promise<void>((resolve) => (reached = resolve));
    const touched: string[] = [];
    const slow: SlaTaskDeps = {
      ...deps,
      writers: {
        hubspot: async (tenantId): Promise<TaskWriter> => {
          const writer = await deps.writers.hubspot!(tenantId);
          return {
            ...writer,
            findByMarker: async (marker) => {
              touched.push(marker);
              if (touched.length === 1) {
                reached();
                await gate;
              }
              return writer.findByMarker(marker);
            },
            create: (task) => (touched.push(task.marker), writer.create(task)),
          };
        },
      },
    };
    const sweepA = sweepSlaTasks(slow, clock);
    await blocked;
    // …so sweep B, after that lease, retakes what A holds and works the backlog.
    expect(await sweepSlaTasks(deps, clock + DEFAULT_LEASE_MS + 60_000)).toMatchObject({
      created: 2,
      failed: 0,
    });
    held();
    await sweepA;
    // A finishes the claim it was in, and leaves the one B holds alone.
    const markers = [first, second].map(registrationMarker);
    expect(touched).toHaveLength(1);
    expect(markers).toContain(touched[0]);
    expect(
      tasks().filter((t) => markers.some((m) => t.properties.hs_task_subject?.includes(m))),
    ).toHaveLength(2);
  });

  it('removes the second task of an attempt that outlived its lease while another recorded one', async () => {
    const id = await register('Slow Answer GmbH');
    clock += 40 * HOUR;
    let held!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (held = resolve));
    const blocked = new Promise<void>((resolve) => (reached = resolve));
    // Sweep A's create is in flight (HubSpot slow to answer) for longer than the lease…
    const slow: SlaTaskDeps = {
      ...deps,
      writers: {
        hubspot: async (tenantId): Promise<TaskWriter> => {
          const writer = await deps.writers.hubspot!(tenantId);
          return {
            ...writer,
            create: async (task) => {
              reached();
              await gate;
              return writer.create(task);
            },
          };
        },
      },
    };
    const sweepA = sweepSlaTasks(slow, clock);
    await blocked;
    // …so sweep B retakes the claim, finds no task and makes one.
    expect(await sweepSlaTasks(deps, clock + DEFAULT_LEASE_MS + 60_000)).toMatchObject({
      created: 1,
      failed: 0,
    });
    held();
    expect(await sweepA).toMatchObject({ created: 0, removed: 1, failed: 0 });
    const ours = tasks().filter((t) =>
      t.properties.hs_task_subject?.includes(registrationMarker(id)),
    );
    const [row] = await database.db.query<{ crm_task_id: string }>(
      'select crm_task_id from registration_tasks where registration_id = $1',
      [id],
    );
    expect(ours.map((t) => t.id)).toEqual([row!.crm_task_id]);
  });
});
