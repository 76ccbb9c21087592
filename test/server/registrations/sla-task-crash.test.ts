import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import jsforce from 'jsforce';

import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { hubspotTaskWriters } from '../../../server/crm/hubspot/tasks';
import type { CrmKind } from '../../../server/crm/port';
import { storeSalesforceTokens } from '../../../server/crm/salesforce/credentials';
import { salesforceTaskWriters } from '../../../server/crm/salesforce/tasks';
import { registrationMarker } from '../../../server/crm/tasks';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { CryptoBox } from '../../../server/lib/crypto-box';
import {
  DEFAULT_LEASE_MS,
  type SlaTaskDeps,
  sweepSlaTasks,
} from '../../../server/registrations/sla-tasks';
import { generateSalesforceOrg } from '../../../server/sandbox/seed/salesforce-org';
import {
  type RunningSalesforceSandbox,
  type RunningSandbox,
  startSalesforceSandbox,
  startSandbox,
} from '../../../server/sandbox/server';
import { startTestApi, type TestApi } from '../../support/api';
import { createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

const SCRIPT = path.join(__dirname, '../../support/sla-sweep-process.ts');
const APP = { clientId: 'crash-app', clientSecret: 'crash-secret' };
const PORTAL = '779';
const HOUR = 3_600_000;
const ORG = generateSalesforceOrg({
  seed: 15,
  now: new Date('2026-11-01T00:00:00Z'),
  size: { partners: 1, customers: 2, opportunities: 2, hubspotTwins: 0 },
});

/** Runs the sweep in a child process that dies by SIGKILL right after the CRM's create answers. */
function sweepAndDie(env: Record<string, string>): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

describe.each<CrmKind>(['hubspot', 'salesforce'])(
  'an SLA sweep killed between the %s create and the row update',
  (crm) => {
    const keyBytes = randomBytes(32);
    const box = new CryptoBox(keyBytes);
    let database: TestDatabase;
    let hubspot: RunningSandbox | undefined;
    let salesforce: RunningSalesforceSandbox | undefined;
    let api: TestApi;
    let tenant: Tenant;
    let deps: SlaTaskDeps;
    let registrationId: string;
    const clock = Date.parse('2026-11-02T09:00:00Z');
    const due = clock + 36 * HOUR;
    const partner = createPartnerInput({ name: 'Crash Reseller', partnerManager: 'Nobody' });
    const crmUrl = () => (crm === 'hubspot' ? hubspot!.url : salesforce!.url);

    /** The tasks the CRM holds with the registration's marker in their subject. */
    const tasksInCrm = async (): Promise<string[]> => {
      const marker = registrationMarker(registrationId);
      if (crm === 'hubspot')
        return [...hubspot!.store.portal(PORTAL)!.tasks.values()]
          .filter((t) => t.properties.hs_task_subject?.includes(marker))
          .map((t) => t.id);
      const conn = new jsforce.Connection({
        instanceUrl: salesforce!.url,
        accessToken: salesforce!.store.grantTokens(ORG.options.orgId).accessToken,
        version: '62.0',
      });
      const found = await conn.query<{ Id: string }>(
        `SELECT Id FROM Task WHERE Subject LIKE '%${marker}%'`,
      );
      return found.records.map((r) => r.Id);
    };
    const row = async () =>
      (
        await database.db.query<{ status: string; crm_task_id: string | null; attempts: number }>(
          'select status, crm_task_id, attempts from registration_tasks where registration_id = $1',
          [registrationId],
        )
      )[0];

    beforeAll(async () => {
      database = await createTestDatabase();
      if (crm === 'hubspot') {
        hubspot = await startSandbox({ port: 0, app: APP, ecosystems: [] });
        hubspot.store.addPortal(PORTAL);
        tenant = await createTenant(database.db, { name: 'Crash Co', hubspotPortalId: PORTAL });
        await storeHubSpotRefreshToken(
          database.db,
          box,
          tenant.id,
          hubspot.store.grantRefreshToken(PORTAL),
        );
      } else {
        salesforce = await startSalesforceSandbox({ port: 0, app: APP, orgs: [ORG] });
        tenant = await createTenant(database.db, { name: 'Crash Co' });
        await storeSalesforceTokens(database.db, box, tenant.id, {
          ...salesforce.store.grantTokens(ORG.options.orgId),
          instanceUrl: salesforce.url,
          orgId: ORG.options.orgId,
        });
      }
      const key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
      await upsertPartners(database.db, tenant.id, [partner]);
      api = await startTestApi(database.db, { now: () => clock });
      const { body } = await api.call<{ id: string }>('POST', '/api/v1/registrations', key, {
        partnerId: partner.id,
        companyName: 'Fragile Inc',
      });
      registrationId = body.id;
      deps = {
        db: database.db,
        writers:
          crm === 'hubspot'
            ? {
                hubspot: hubspotTaskWriters({
                  db: database.db,
                  box,
                  hubspot: { ...APP, apiBase: hubspot!.url },
                  now: () => due,
                }),
              }
            : {
                salesforce: salesforceTaskWriters({
                  db: database.db,
                  box,
                  salesforce: { ...APP, loginUrl: salesforce!.url, apiVersion: '62.0' },
                }),
              },
        links: {},
      };
    });

    afterAll(async () => {
      await api.close();
      await hubspot?.close();
      await salesforce?.close();
      await database.drop();
    });

    it('leaves one task in the CRM and the claim in flight', async () => {
      const signal = await sweepAndDie({
        SWEEP_SCHEMA: database.schema,
        SWEEP_KEY: keyBytes.toString('hex'),
        SWEEP_NOW: String(due),
        SWEEP_CRM: crm,
        SWEEP_CRM_URL: crmUrl(),
        SWEEP_CLIENT_ID: APP.clientId,
        SWEEP_CLIENT_SECRET: APP.clientSecret,
      });
      expect(signal).toBe('SIGKILL');
      expect(await tasksInCrm()).toHaveLength(1);
      expect(await row()).toEqual({ status: 'creating', crm_task_id: null, attempts: 1 });
    });

    it('does not touch the claim while its lease runs', async () => {
      expect(await sweepSlaTasks(deps, due + 60_000)).toMatchObject({ created: 0, recovered: 0 });
      expect(await tasksInCrm()).toHaveLength(1);
    });

    it('records the task the dead sweep made once the lease has run out, and makes no second', async () => {
      const [made] = await tasksInCrm();
      // The lease runs from when the dead sweep's attempt started, a moment after its `now`.
      const afterLease = due + DEFAULT_LEASE_MS + 60_000;
      expect(await sweepSlaTasks(deps, afterLease)).toMatchObject({
        created: 0,
        recovered: 1,
        failed: 0,
      });
      expect(await tasksInCrm()).toEqual([made]);
      expect(await row()).toEqual({ status: 'open', crm_task_id: made, attempts: 2 });
      expect(await sweepSlaTasks(deps, afterLease + DEFAULT_LEASE_MS)).toMatchObject({
        created: 0,
        recovered: 0,
      });
      expect(await tasksInCrm()).toHaveLength(1);
    });
  },
);
