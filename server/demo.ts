import { parseProgram } from '../src/program/program';
import { storeHubSpotRefreshToken } from './crm/hubspot/credentials';
import { storeSalesforceTokens } from './crm/salesforce/credentials';
import { issueApiKey, revokeApiKeys, tenantForApiKey } from './db/api-keys';
import type { Database } from './db/database';
import { createTenant, findTenantByPortalId, linkSalesforceOrg, type Tenant } from './db/tenants';
import type { CryptoBox } from './lib/crypto-box';
import { upsertProgramPartners } from './partners/program-partners';
import { loadProgram, saveProgram } from './registrations/program-store';
import type { HubSpotSandboxStore } from './sandbox/hubspot/store';
import type { SalesforceSandboxStore } from './sandbox/salesforce/store';
import { type Ecosystem, programPartnersOf } from './sandbox/seed/ecosystem';

const DEMO_KEY_NAME = 'demo';

// DESIGN.md §7's example program, with a catch-all rate so every demo partner shows a preview.
const DEMO_PROGRAM = {
  tiers: ['registered', 'silver', 'gold', 'platinum'],
  protectionDays: { default: 90, byTier: { platinum: 120 } },
  caps: { activeRegistrationsByTier: { registered: 5, silver: 25 } },
  autoApprove: { enabled: true, minTier: 'gold', maxAmount: 50000 },
  rates: [
    { partnerType: 'reseller', tier: 'gold', role: 'sourced', rateBps: 3000 },
    { partnerType: 'referral', tier: '*', role: 'sourced', rateBps: 1500 },
    { partnerType: '*', tier: '*', role: 'influenced', rateBps: 500, capMinor: 500000 },
    { partnerType: '*', tier: '*', role: '*', rateBps: 1000 },
  ],
  clawbackDays: 90,
};

/**
 * The demo tenant for the sandbox portal, as if an admin had installed the app and imported the
 * partner program: a tenant, a HubSpot connection, the program's partners and rules, and an API
 * key: the one an earlier start gave out (`keepKey`) while it is still the demo's, else a new one.
 */
export async function ensureDemoTenant(
  db: Database,
  box: CryptoBox,
  sandbox: HubSpotSandboxStore,
  ecosystem: Ecosystem,
  keepKey?: string,
  /** The local Salesforce's demo org, connected to the same tenant (sales in Salesforce). */
  salesforce?: { store: SalesforceSandboxStore; orgId: string },
): Promise<{ tenant: Tenant; apiKey: string }> {
  return db.transaction(async (tx) => {
    const tenant =
      (await findTenantByPortalId(tx, ecosystem.portalId)) ??
      (await createTenant(tx, { name: 'Demo Co', hubspotPortalId: ecosystem.portalId }));
    // The sandbox keeps its tokens in memory, so each start is a fresh install.
    await storeHubSpotRefreshToken(
      tx,
      box,
      tenant.id,
      sandbox.grantRefreshToken(ecosystem.portalId),
      ecosystem.portalId,
    );
    if (salesforce) {
      await linkSalesforceOrg(tx, tenant.id, salesforce.orgId);
      await storeSalesforceTokens(tx, box, tenant.id, {
        ...salesforce.store.grantTokens(salesforce.orgId),
        instanceUrl: salesforce.store.baseUrl,
        orgId: salesforce.orgId,
      });
    }
    await upsertProgramPartners(tx, tenant.id, programPartnersOf(ecosystem));
    if ((await loadProgram(tx, tenant.id)).version === 0) {
      const program = parseProgram(DEMO_PROGRAM);
      if (!program.ok) throw new Error(program.error.message);
      await saveProgram(tx, tenant.id, program.value, 'demo');
    }
    if (keepKey && (await tenantForApiKey(tx, keepKey)) === tenant.id)
      return { tenant, apiKey: keepKey };
    await revokeApiKeys(tx, tenant.id, DEMO_KEY_NAME);
    const { key } = await issueApiKey(tx, tenant.id, DEMO_KEY_NAME);
    return { tenant, apiKey: key };
  });
}
