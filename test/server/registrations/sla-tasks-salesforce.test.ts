import { randomBytes } from 'node:crypto';

import jsforce, { type Connection } from 'jsforce';

import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { hubspotTaskWriters } from '../../../server/crm/hubspot/tasks';
import { storeSalesforceTokens } from '../../../server/crm/salesforce/credentials';
import { salesforceTaskWriters } from '../../../server/crm/salesforce/tasks';
import { registrationMarker, type TaskWriter } from '../../../server/crm/tasks';
import { issueApiKey } from '../../../server/db/api-keys';
import { upsertAccounts } from '../../../server/db/mirror';
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
import { createAccountRecord, createPartnerInput, upsertPartners } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/services';

const HUBSPOT_APP = { clientId: 'sla-hs', clientSecret: 'sla-hs-secret' };
const SALESFORCE_APP = { clientId: 'sla-sf', clientSecret: 'sla-sf-secret' };
const VERSION = '62.0';
const PORTAL = '778';
const HUBSPOT_COMPANY = '20000000077';
const HOUR = 3_600_000;
const ORG = generateSalesforceOrg({
  seed: 14,
  now: new Date('2026-11-01T00:00:00Z'),
  size: { partners: 2, customers: 4, opportunities: 6, hubspotTwins: 0 },
});
const ORG_ID = ORG.options.orgId;
const userNamed = (name: string) => String(ORG.records.User!.find((u) => u.Name === name)!.Id);
const customer = ORG.records.Account!.find((a) => !a.IsPartner)!;

interface TaskRecord {
  Id: string;
  Subject: string;
  Description: string;
  WhatId: string | null;
  OwnerId: string;
  ActivityDate: string;
  Status: string;
  Priority: string;
  IsClosed: boolean;
}

describe('SLA tasks for a tenant with Salesforce (and HubSpot) connected', () => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let salesforce: RunningSalesforceSandbox;
  let hubspot: RunningSandbox;
  let api: TestApi;
  let tenant: Tenant;
  let key: string;
  let deps: SlaTaskDeps;
  let clock = Date.parse('2026-11-02T09:00:00Z');
  // Daniel Okafor is a user of the org, mapped by no one: found by his name.
  const byName = createPartnerInput({ name: 'Named Reseller', partnerManager: 'Daniel Okafor' });
  const mapped = createPartnerInput({ name: 'Mapped Reseller', partnerManager: 'Maya Chen' });
  const orphan = createPartnerInput({ name: 'Orphan Reseller', partnerManager: 'Nobody Here' });
  const registrationIds = new Map<string, string>();

  /** jsforce on the org as its admin would look at it. */
  const org = (): Connection =>
    new jsforce.Connection({
      instanceUrl: salesforce.url,
      accessToken: salesforce.store.grantTokens(ORG_ID).accessToken,
      version: VERSION,
    });
  const taskOf = async (company: string) => {
    const marker = registrationMarker(registrationIds.get(company)!);
    const found = await org().query<TaskRecord>(
      `SELECT Id, Subject, Description, WhatId, OwnerId, ActivityDate, Status, Priority, IsClosed FROM Task WHERE Subject LIKE '%${marker}%'`,
    );
    return found.records;
  };
  const register = async (partnerId: string, companyName: string, companyDomain?: string) => {
    const { body } = await api.call<{ id: string; status: string }>(
      'POST',
      '/api/v1/registrations',
      key,
      { partnerId, companyName, ...(companyDomain ? { companyDomain } : {}) },
    );
    expect(body.status).toBe('pending');
    registrationIds.set(companyName, body.id);
    return body.id;
  };
  const row = async (registrationId: string) =>
    (
      await database.db.query<{ status: string; crm: string; last_error: string | null }>(
        'select status, crm, last_error from registration_tasks where registration_id = $1',
        [registrationId],
      )
    )[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    salesforce = await startSalesforceSandbox({ port: 0, app: SALESFORCE_APP, orgs: [ORG] });
    hubspot = await startSandbox({ port: 0, app: HUBSPOT_APP, ecosystems: [] });
    const portal = hubspot.store.addPortal(PORTAL);
    const at = '2026-10-01T00:00:00.000Z';
    hubspot.store.putObject(portal, 'companies', {
      id: HUBSPOT_COMPANY,
      properties: { name: 'Hubbed Ltd', domain: 'hubbed.example', hs_lastmodifieddate: at },
      createdAt: at,
      updatedAt: at,
    });
    tenant = await createTenant(database.db, { name: 'Both CRMs', hubspotPortalId: PORTAL });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      hubspot.store.grantRefreshToken(PORTAL),
    );
    const tokens = salesforce.store.grantTokens(ORG_ID);
    await storeSalesforceTokens(database.db, box, tenant.id, {
      ...tokens,
      instanceUrl: salesforce.url,
      orgId: ORG_ID,
    });
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    await upsertPartners(database.db, tenant.id, [byName, mapped, orphan]);
    await upsertAccounts(database.db, tenant.id, 'salesforce', [
      createAccountRecord({
        crmId: String(customer.Id),
        name: String(customer.Name),
        domain: 'sfcustomer.example',
      }),
    ]);
    await upsertAccounts(database.db, tenant.id, 'hubspot', [
      createAccountRecord({ crmId: HUBSPOT_COMPANY, name: 'Hubbed Ltd', domain: 'hubbed.example' }),
    ]);
    api = await startTestApi(database.db, { now: () => clock });
    const saved = await api.call('PUT', '/api/v1/program', key, {
      version: 0,
      program: {
        approvalSlaHours: 48,
        slaTasks: {
          ownersByManager: { 'Maya Chen': '9001' },
          salesforce: {
            ownersByManager: { 'Maya Chen': userNamed('Sam Admin') },
            fallbackOwnerId: userNamed('Priya Raman'),
          },
        },
      },
    });
    expect(saved.status).toBe(200);
    deps = {
      db: database.db,
      writers: {
        salesforce: salesforceTaskWriters({
          db: database.db,
          box,
          salesforce: { ...SALESFORCE_APP, loginUrl: salesforce.url, apiVersion: VERSION },
          limits: { backoffMs: 20 },
        }),
        hubspot: hubspotTaskWriters({
          db: database.db,
          box,
          hubspot: { ...HUBSPOT_APP, apiBase: hubspot.url },
          now: () => clock,
        }),
      },
      links: { hubspotAppId: '4242' },
    };
  });

  afterAll(async () => {
    await api.close();
    await hubspot.close();
    await salesforce.close();
    await database.drop();
  });

  it("creates a Task on the Salesforce account, owned by the org's user of the manager's name", async () => {
    const id = await register(byName.id, String(customer.Name), 'sfcustomer.example');
    clock += 36 * HOUR;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 1, failed: 0 });
    const [task, ...more] = await taskOf(String(customer.Name));
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      Subject: `Decide Named Reseller's registration of ${String(customer.Name)} [${registrationMarker(id)}]`,
      WhatId: customer.Id,
      OwnerId: userNamed('Daniel Okafor'),
      // Due at the end of the 48 h SLA: submitted 2 November 09:00 UTC.
      ActivityDate: '2026-11-04',
      Status: 'Not Started',
      Priority: 'High',
      IsClosed: false,
    });
    // Plain text with the URL on its own: the triage tab of the org, opened on the registration.
    expect(task!.Description).toContain(
      `Open the registration in PartnerLens: ${salesforce.url}/lightning/n/PartnerLens_Triage?c__registration=${id}`,
    );
    expect(await row(id)).toMatchObject({ status: 'open', crm: 'salesforce' });
  });

  it('sends a registration to the CRM its account came from, and a new logo to Salesforce', async () => {
    const hubbed = await register(mapped.id, 'Hubbed Ltd', 'hubbed.example');
    const newLogo = await register(mapped.id, 'Brand New Co');
    clock += 36 * HOUR;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 2, failed: 0 });
    expect(await row(hubbed)).toMatchObject({ crm: 'hubspot', status: 'open' });
    const hubspotTasks = [...hubspot.store.portal(PORTAL)!.tasks.values()];
    expect(hubspotTasks.map((t) => t.properties.hs_task_subject)).toEqual([
      `Decide Mapped Reseller's registration of Hubbed Ltd [${registrationMarker(hubbed)}]`,
    ]);
    const [hubspotTask] = hubspotTasks;
    expect(hubspotTask!.companyIds).toEqual([HUBSPOT_COMPANY]);
    expect(hubspotTask!.properties.hubspot_owner_id).toBe('9001');
    expect(await taskOf('Hubbed Ltd')).toEqual([]);
    // The admin's mapping wins over the org's user of the same name.
    const [logoTask] = await taskOf('Brand New Co');
    expect(logoTask).toMatchObject({ WhatId: null, OwnerId: userNamed('Sam Admin') });
    expect(await row(newLogo)).toMatchObject({ crm: 'salesforce' });
  });

  it('completes the Task when the registration is decided', async () => {
    const id = registrationIds.get(String(customer.Name))!;
    const decided = await api.call('POST', `/api/v1/registrations/${id}/decision`, key, {
      decision: 'reject',
      reason: 'House account',
    });
    expect(decided.status).toBe(200);
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ completed: 1, failed: 0 });
    const [task] = await taskOf(String(customer.Name));
    expect(task).toMatchObject({ Status: 'Completed', IsClosed: true });
    expect(task!.Description).toMatch(/^The registration was rejected by api_key/);
    expect(await row(id)).toMatchObject({ status: 'completed' });
  });

  it('takes a Task someone deleted in Salesforce as done when the registration is decided', async () => {
    const id = registrationIds.get('Brand New Co')!;
    const [task] = await taskOf('Brand New Co');
    await org().sobject('Task').destroy(task!.Id);
    await api.call('POST', `/api/v1/registrations/${id}/decision`, key, {
      decision: 'reject',
      reason: 'Duplicate',
    });
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ completed: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ status: 'completed' });
  });

  it("keeps Salesforce's refusal on the claim, and creates one Task once the owner is active again", async () => {
    const priya = salesforce.store.org(ORG_ID)!.table('User').get(userNamed('Priya Raman'))!;
    priya.IsActive = false;
    const id = await register(orphan.id, 'Lonely Co');
    clock += 36 * HOUR;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 0, failed: 1 });
    expect(await row(id)).toMatchObject({
      status: 'creating',
      last_error: expect.stringContaining('INACTIVE_OWNER_OR_USER'),
    });
    expect(await taskOf('Lonely Co')).toEqual([]);
    priya.IsActive = true;
    expect(await sweepSlaTasks(deps, clock)).toMatchObject({ created: 1, failed: 0 });
    expect(await sweepSlaTasks(deps, clock + HOUR)).toMatchObject({ created: 0, recovered: 0 });
    expect(await taskOf('Lonely Co')).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'open', last_error: null });
  });

  it('deletes the second Task of an attempt that outlived its lease while another recorded one', async () => {
    const id = await register(orphan.id, 'Overrun Co');
    clock += 36 * HOUR;
    let held!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (held = resolve));
    const blocked = new Promise<void>((resolve) => (reached = resolve));
    const slow: SlaTaskDeps = {
      ...deps,
      writers: {
        ...deps.writers,
        salesforce: async (tenantId): Promise<TaskWriter> => {
          const writer = await deps.writers.salesforce!(tenantId);
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
    const first = sweepSlaTasks(slow, clock);
    await blocked;
    expect(await sweepSlaTasks(deps, clock + DEFAULT_LEASE_MS + 60_000)).toMatchObject({
      created: 1,
      failed: 0,
    });
    held();
    expect(await first).toMatchObject({ created: 0, removed: 1, failed: 0 });
    const tasks = await taskOf('Overrun Co');
    const [recorded] = await database.db.query<{ crm_task_id: string }>(
      'select crm_task_id from registration_tasks where registration_id = $1',
      [id],
    );
    expect(tasks.map((t) => t.Id)).toEqual([recorded!.crm_task_id]);
  });

  it('takes nothing but a registration marker into the SOQL of a Task search', async () => {
    const writer = await deps.writers.salesforce!(tenant.id);
    await expect(writer.findByMarker("PL' OR Subject LIKE '")).rejects.toThrow(
      'Not a registration marker',
    );
    expect(await writer.findByMarker(registrationMarker('no such registration'))).toBeNull();
  });
});
