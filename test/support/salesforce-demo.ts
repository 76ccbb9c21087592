import { randomBytes } from 'node:crypto';

import { recomputeStaleDeals } from '../../server/commissions/recompute-deals';
import { SANDBOX_HUBSPOT_APP } from '../../server/config';
import { syncTenant } from '../../server/crm/sync';
import type { Database } from '../../server/db/database';
import { ensureDemoTenant } from '../../server/demo';
import { CryptoBox } from '../../server/lib/crypto-box';
import { refreshPartnerPerformance } from '../../server/partners/performance';
import { upsertProgramPartners } from '../../server/partners/program-partners';
import { reconcileTenant } from '../../server/partners/reconcile-tenant';
import { generateEcosystem, programPartnersOf } from '../../server/sandbox/seed/ecosystem';
import { type RunningSandbox, startSandbox } from '../../server/sandbox/server';
import { startTestApi, type TestApi } from './api';
import { hubspotCrms } from './crms';
import { silentLogger } from './services';

const PORTAL = '4000001';
const AT = '2026-11-01T00:00:00.000Z';

export interface SalesforceDemo {
  api: TestApi;
  apiKey: string;
  tenantId: string;
  /** An open deal with partners, suggestions and a registration holding its account. */
  dealId: string;
  close(): Promise<void>;
}

/**
 * The demo tenant as `npm start` makes it (the sandbox's ecosystem synced, reconciled, its
 * ledger and performance counted), smaller, plus what a partner manager meets in triage: a
 * record that matches two partners which cannot be merged, and registrations with conflicts.
 */
export async function startSalesforceDemo(db: Database): Promise<SalesforceDemo> {
  const box = new CryptoBox(randomBytes(32));
  const ecosystem = generateEcosystem({
    seed: 42,
    now: new Date(AT),
    size: { partners: 20, companies: 80, deals: 240 },
    portalId: PORTAL,
  });
  const sandbox: RunningSandbox = await startSandbox({
    port: 0,
    app: SANDBOX_HUBSPOT_APP,
    ecosystems: [ecosystem],
  });
  const portal = sandbox.store.portal(PORTAL)!;
  for (const [id, domain, country] of [
    ['19000000002', 'tangent.com', 'United States'],
    ['19000000003', 'tangentadvisory.co.uk', 'United Kingdom'],
  ] as const)
    sandbox.store.putObject(portal, 'companies', {
      id,
      properties: {
        name: 'Tangent Advisory',
        domain,
        country,
        type: 'PARTNER',
        createdate: AT,
        hs_lastmodifieddate: AT,
      },
      createdAt: AT,
      updatedAt: AT,
    });
  const { tenant, apiKey } = await ensureDemoTenant(db, box, sandbox.store, ecosystem);
  await upsertProgramPartners(db, tenant.id, [
    ...programPartnersOf(ecosystem),
    {
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
    },
  ]);
  const hubspot = { ...SANDBOX_HUBSPOT_APP, apiBase: sandbox.url };
  const crms = hubspotCrms(db, box, hubspot);
  await syncTenant({ db, crms, logger: silentLogger }, tenant.id, { crm: 'hubspot', full: true });
  await reconcileTenant(db, tenant.id);
  await recomputeStaleDeals(db, tenant.id);
  await refreshPartnerPerformance(db, tenant.id, Date.now());
  const api = await startTestApi(db, {
    box,
    crms,
  });
  const dealId = await registerOnADeal(db, api, apiKey, tenant.id);
  return {
    api,
    apiKey,
    tenantId: tenant.id,
    dealId,
    async close() {
      await api.close();
      await sandbox.close();
    },
  };
}

/**
 * Picks an open deal with partners on an account with a domain, and has partners that are not on
 * it register the account: the first waits for review, the second competes with it.
 */
async function registerOnADeal(db: Database, api: TestApi, apiKey: string, tenantId: string) {
  const [deal] = await db.query<{ crm_id: string; name: string; domain: string }>(
    `select d.crm_id, a.name, a.domain from deals d
       join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
      where d.tenant_id = $1 and d.stage = 'open' and a.domain is not null and d.amount is not null
        and exists (select 1 from deal_partners dp where dp.tenant_id = d.tenant_id and dp.deal_id = d.id)
      order by (select count(*) from deal_partners dp where dp.tenant_id = d.tenant_id and dp.deal_id = d.id) desc, d.crm_id
      limit 1`,
    [tenantId],
  );
  if (!deal) throw new Error('the demo has no open deal with partners');
  const card = await api.call<{ suggestions: Array<{ partnerId: string }> }>(
    'GET',
    `/api/v1/deals/${deal.crm_id}/card`,
    apiKey,
  );
  const outsiders = await db.query<{ id: string }>(
    `select p.id from partners p
      where p.tenant_id = $1 and p.status = 'active' and p.type is not null
        and not (p.id = any($2::uuid[]))
        and not exists (select 1 from deal_partners dp join deals d on d.tenant_id = dp.tenant_id and d.id = dp.deal_id
                         where dp.tenant_id = p.tenant_id and dp.partner_id = p.id and d.crm_id = $3)
      order by p.name limit 3`,
    [tenantId, card.body.suggestions.map((s) => s.partnerId), deal.crm_id],
  );
  const submit = (partnerId: string, company: { name: string; domain: string }, amount: string) =>
    api.call('POST', '/api/v1/registrations', apiKey, {
      partnerId,
      companyName: company.name,
      companyDomain: company.domain,
      amount: { amount, currency: 'USD' },
    });
  for (const [index, partner] of outsiders.slice(0, 2).entries()) {
    const answer = await submit(partner.id, deal, index === 0 ? '64000.00' : '30000.00');
    if (answer.status !== 201) throw new Error(`registration refused: ${answer.text}`);
  }
  if (outsiders[2])
    await submit(
      outsiders[2].id,
      { name: 'Brightwave Robotics', domain: 'brightwave.io' },
      '72000',
    );
  return deal.crm_id;
}
