import { randomBytes } from 'node:crypto';

import { storeHubSpotRefreshToken } from '../../../server/crm/hubspot/credentials';
import { syncTenant } from '../../../server/crm/sync';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import { createApp } from '../../../server/http/app';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { listen, type Listening } from '../../../server/lib/listen';
import {
  type ProgramPartner,
  upsertProgramPartners,
} from '../../../server/partners/program-partners';
import { reconcileTenant } from '../../../server/partners/reconcile-tenant';
import { CrmSyncQueue, ReconcileQueue } from '../../../server/queue/queues';
import {
  type Ecosystem,
  generateEcosystem,
  programPartnersOf,
} from '../../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../../server/sandbox/server';
import { hubspotCrms } from '../../support/crms';
import {
  createTestDatabase,
  silentLogger,
  type TestDatabase,
  testQueueSettings,
} from '../../support/services';

const APP = { clientId: 'rec-app', clientSecret: 'rec-secret' };
const at = '2026-11-01T00:00:00.000Z';

describe('reconciling a tenant’s partner records', () => {
  const box = new CryptoBox(randomBytes(32));
  const settings = testQueueSettings();
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let ecosystem: Ecosystem;
  let tenant: Tenant;
  let other: Tenant;
  let server: Listening;
  let crmSync: CrmSyncQueue;
  let reconcileQueue: ReconcileQueue;
  let key: string;
  let otherKey: string;

  const query = <T>(sql: string, params: unknown[] = []) => database.db.query<T>(sql, params);
  const partnerOf = async (source: string, externalId: string) =>
    (
      await query<{ partner_id: string }>(
        'select partner_id from partner_links where tenant_id = $1 and source = $2 and external_id = $3',
        [tenant.id, source, externalId],
      )
    )[0]?.partner_id;
  const api = (path: string, options: { method?: string; body?: unknown; apiKey?: string } = {}) =>
    fetch(`http://127.0.0.1:${server.port}/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers: {
        authorization: `Bearer ${options.apiKey ?? key}`,
        'content-type': 'application/json',
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    ecosystem = generateEcosystem({
      seed: 9,
      now: new Date(at),
      size: { partners: 14, companies: 40, deals: 120 },
      portalId: '900',
    });
    const portal = () => sandbox.store.portal('900')!;
    sandbox = await startSandbox({ port: 0, app: APP, ecosystems: [ecosystem] });
    // A partner company the program does not know, and two that conflict for one program record.
    const company = (id: string, name: string, domain: string, country = 'United States') => ({
      id,
      properties: {
        name,
        domain,
        country,
        type: 'PARTNER',
        createdate: at,
        hs_lastmodifieddate: at,
      },
      createdAt: at,
      updatedAt: at,
    });
    sandbox.store.putObject(
      portal(),
      'companies',
      company('19000000001', 'Solo Referral Partners', 'soloreferral.com'),
    );
    sandbox.store.putObject(
      portal(),
      'companies',
      company('19000000002', 'Tangent Advisory', 'tangent.com', 'United States'),
    );
    sandbox.store.putObject(
      portal(),
      'companies',
      company('19000000003', 'Tangent Advisory', 'tangentadvisory.co.uk', 'United Kingdom'),
    );
    tenant = await createTenant(database.db, { name: 'Rec Co', hubspotPortalId: '900' });
    other = await createTenant(database.db, { name: 'Other Co' });
    await storeHubSpotRefreshToken(
      database.db,
      box,
      tenant.id,
      sandbox.store.grantRefreshToken('900'),
    );
    // The other tenant lists one of the same partners: reconciling the first must not touch it.
    await upsertProgramPartners(
      database.db,
      other.id,
      programPartnersOf({ partners: ecosystem.partners.slice(0, 1) }),
    );
    const extra: ProgramPartner = {
      externalId: 'P-TANGENT',
      name: 'Tangent Advisory',
      domain: null,
      type: 'referral',
      tier: 'gold',
      status: 'active',
      partnerManager: 'Maya Chen',
      regions: [],
      verticals: [],
      certifications: [],
    };
    await upsertProgramPartners(database.db, tenant.id, [...programPartnersOf(ecosystem), extra]);
    await syncTenant(
      {
        db: database.db,
        crms: hubspotCrms(database.db, box, { ...APP, apiBase: sandbox.url }),
        logger: silentLogger,
      },
      tenant.id,
      { crm: 'hubspot', full: true },
    );
    crmSync = new CrmSyncQueue(settings);
    reconcileQueue = new ReconcileQueue(settings);
    server = await listen(
      createApp({
        db: database.db,
        logger: silentLogger,
        crmSync,
        reconcile: reconcileQueue,
        hubspotClientSecret: APP.clientSecret,
        readiness: {},
      }),
      0,
    );
    key = (await issueApiKey(database.db, tenant.id, 'admin')).key;
    otherKey = (await issueApiKey(database.db, other.id, 'admin')).key;
  });

  afterAll(async () => {
    await server.close();
    await crmSync.queue.obliterate({ force: true });
    await crmSync.close();
    await reconcileQueue.close();
    await sandbox.close();
    await database.drop();
  });

  describe('a full reconcile', () => {
    let first: Awaited<ReturnType<typeof reconcileTenant>>;
    beforeAll(async () => {
      first = await reconcileTenant(database.db, tenant.id);
    });

    it('links each program partner and its HubSpot company to one partner', async () => {
      for (const partner of ecosystem.partners) {
        const viaProgram = await partnerOf('program', partner.id);
        expect(viaProgram).toBeDefined();
        expect(await partnerOf('hubspot', partner.hubspotCompanyId)).toBe(viaProgram);
      }
    });

    it('makes a partner of a CRM partner company the program does not know, unclassified and in the lowest tier', async () => {
      const id = await partnerOf('hubspot', '19000000001');
      const [partner] = await query<{ name: string; type: string | null; tier: string }>(
        'select name, type, tier from partners where id = $1',
        [id],
      );
      expect(partner).toEqual({ name: 'Solo Referral Partners', type: null, tier: 'registered' });
    });

    it('takes tier and type from the program, the rest from the newest record', async () => {
      const partner = ecosystem.partners.find((p) => p.type === 'reseller')!;
      const [golden] = await query<{
        name: string;
        type: string;
        tier: string;
        partner_manager: string;
      }>('select name, type, tier, partner_manager from partners where id = $1', [
        await partnerOf('program', partner.id),
      ]);
      expect(golden).toEqual({
        name: partner.name,
        type: 'reseller',
        tier: partner.tier,
        partner_manager: partner.partnerManager,
      });
    });

    it('attaches partners to the deals their companies are labelled on, although the sync ran first', async () => {
      const labelled = [...ecosystem.dealCompanies.values()]
        .flat()
        .filter((a) => a.associationTypes.some((t) => t.category === 'USER_DEFINED')).length;
      const [{ count }] = (await query<{ count: string }>(
        "select count(*)::text as count from deal_partners where tenant_id = $1 and origin = 'crm'",
        [tenant.id],
      )) as [{ count: string }];
      expect(Number(count)).toBe(labelled);
    });

    it('keeps a program record that matches two conflicting companies apart, as a review item', async () => {
      expect(first.reviewsOpen).toBe(1);
      const left = await partnerOf('hubspot', '19000000002');
      const right = await partnerOf('hubspot', '19000000003');
      const between = await partnerOf('program', 'P-TANGENT');
      expect(new Set([left, right, between]).size).toBe(3);
    });

    it('changes nothing when run again: same partners, same links', async () => {
      const snapshot = () =>
        query(
          'select source, external_id, partner_id from partner_links where tenant_id = $1 order by 1, 2',
          [tenant.id],
        );
      const before = await snapshot();
      const again = await reconcileTenant(database.db, tenant.id);
      expect(await snapshot()).toEqual(before);
      expect(again).toMatchObject({ partnersCreated: 0, partnersRemoved: 0, linksChanged: 0 });
    });
  });

  it("never reads or writes another tenant's records", async () => {
    expect(await query('select 1 from partners where tenant_id = $1', [other.id])).toEqual([]);
    expect(await query('select 1 from partner_links where tenant_id = $1', [other.id])).toEqual([]);
    await reconcileTenant(database.db, other.id);
    const [link] = await query<{ source: string }>(
      'select source from partner_links where tenant_id = $1',
      [other.id],
    );
    expect(link).toEqual({ source: 'program' });
  });

  describe('incrementally, when one record changes', () => {
    it('re-decides that record: a renamed company joins the partner it now matches, and its old partner goes', async () => {
      const target = ecosystem.partners[3]!;
      const solo = await partnerOf('hubspot', '19000000001');
      await query(
        'update accounts set name = $3, domain = $4 where tenant_id = $1 and crm_id = $2',
        [tenant.id, '19000000001', `${target.name} Inc`, target.domain],
      );
      const result = await reconcileTenant(database.db, tenant.id, {
        changedKeys: ['hubspot:19000000001'],
      });
      expect(result.records).toBeLessThan(10);
      expect(await partnerOf('hubspot', '19000000001')).toBe(await partnerOf('program', target.id));
      expect(await query('select 1 from partners where id = $1', [solo])).toEqual([]);
    });
  });

  describe('merge candidates, for partner managers', () => {
    type Candidate = {
      id: string;
      recordKey: string;
      candidates: Array<{
        partnerId: string;
        partnerName: string;
        evidence: Array<{ kind: string }>;
      }>;
    };
    const open = async (apiKey = key) =>
      (
        (await (await api('/partners/merge-candidates', { apiKey })).json()) as {
          items: Candidate[];
        }
      ).items;

    it('lists the record with each candidate partner and the evidence, and audits the look', async () => {
      const [item] = await open();
      expect(item).toMatchObject({ recordKey: 'program:P-TANGENT' });
      expect(item!.candidates.map((c) => c.partnerName).sort()).toEqual([
        'Tangent Advisory',
        'Tangent Advisory',
      ]);
      expect(item!.candidates[0]!.evidence.map((e) => e.kind)).toContain('name');
      expect(
        await query(
          "select action from audit_events where tenant_id = $1 and action = 'merge_candidates.viewed'",
          [tenant.id],
        ),
      ).not.toEqual([]);
    });

    it("are the caller's tenant's only", async () => {
      expect(await open(otherKey)).toEqual([]);
      const [item] = await open();
      const response = await api(`/partners/merge-candidates/${item!.id}/decision`, {
        method: 'POST',
        body: { decision: 'keep_apart' },
        apiKey: otherKey,
      });
      expect(response.status).toBe(404);
    });

    it('reject a decision that is not merge or keep_apart, or a partner that is not a candidate, writing nothing', async () => {
      const [item] = await open();
      for (const body of [
        { decision: 'maybe' },
        { decision: 'merge' },
        { decision: 'merge', partnerId: '00000000-0000-4000-8000-000000000000' },
      ]) {
        expect(
          (await api(`/partners/merge-candidates/${item!.id}/decision`, { method: 'POST', body }))
            .status,
        ).toBe(400);
      }
      expect(
        await query('select 1 from reconcile_decisions where tenant_id = $1', [tenant.id]),
      ).toEqual([]);
    });

    it('merge: the record joins the chosen partner on the next reconcile, audited, and cannot be decided twice', async () => {
      const [item] = await open();
      const [chosen, other] = item!.candidates as Array<
        Candidate['candidates'][number] & { recordKeys: string[] }
      >;
      const decide = (body: unknown) =>
        api(`/partners/merge-candidates/${item!.id}/decision`, { method: 'POST', body });
      const response = await decide({ decision: 'merge', partnerId: chosen!.partnerId });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: item!.id, status: 'merged' });
      expect(await reconcileQueue.queue.getWaitingCount()).toBe(1);

      await reconcileTenant(database.db, tenant.id, { changedKeys: ['program:P-TANGENT'] });
      const partnerOfKey = (recordKey: string) =>
        partnerOf(recordKey.split(':')[0]!, recordKey.split(':')[1]!);
      expect(await partnerOf('program', 'P-TANGENT')).toBe(
        await partnerOfKey(chosen!.recordKeys[0]!),
      );
      expect(await partnerOf('program', 'P-TANGENT')).not.toBe(
        await partnerOfKey(other!.recordKeys[0]!),
      );
      expect(await open()).toEqual([]);
      const audit = await query(
        "select actor, action from audit_events where tenant_id = $1 and subject_type = 'merge_candidate'",
        [tenant.id],
      );
      expect(audit).toEqual([{ actor: 'api_key', action: 'merge_candidate.merged' }]);
      expect((await decide({ decision: 'keep_apart' })).status).toBe(409);
    });
  });
});
