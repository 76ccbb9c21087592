import type { Ecosystem } from '../seed/ecosystem';
import type { HubSpotSandboxStore, SandboxPortal } from './store';

/** Puts a generated ecosystem into the sandbox as one portal. */
export function loadEcosystem(store: HubSpotSandboxStore, ecosystem: Ecosystem): SandboxPortal {
  const portal = store.addPortal(ecosystem.portalId);
  for (const company of ecosystem.companies) store.putObject(portal, 'companies', company);
  for (const deal of ecosystem.deals) store.putObject(portal, 'deals', deal);
  for (const [dealId, associations] of ecosystem.dealCompanies)
    portal.dealCompanies.set(dealId, associations);
  return portal;
}
