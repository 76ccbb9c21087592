import { storeHubSpotRefreshToken } from './crm/hubspot/credentials';
import { issueApiKey, revokeApiKeys } from './db/api-keys';
import type { Database } from './db/database';
import { createTenant, findTenantByPortalId, type Tenant } from './db/tenants';
import type { CryptoBox } from './lib/crypto-box';
import { upsertProgramPartners } from './partners/program-partners';
import type { HubSpotSandboxStore } from './sandbox/hubspot/store';
import { type Ecosystem, programPartnersOf } from './sandbox/seed/ecosystem';

const DEMO_KEY_NAME = 'demo';

/**
 * The demo tenant for the sandbox portal, as if an admin had installed the app and imported the
 * partner program: a tenant, a HubSpot connection, the program's partners, a fresh API key.
 */
export async function ensureDemoTenant(
  db: Database,
  box: CryptoBox,
  sandbox: HubSpotSandboxStore,
  ecosystem: Ecosystem,
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
    );
    await upsertProgramPartners(tx, tenant.id, programPartnersOf(ecosystem));
    await revokeApiKeys(tx, tenant.id, DEMO_KEY_NAME);
    const { key } = await issueApiKey(tx, tenant.id, DEMO_KEY_NAME);
    return { tenant, apiKey: key };
  });
}
