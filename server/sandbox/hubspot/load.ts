import type { Ecosystem } from '../seed/ecosystem';
import type { HubSpotSandboxStore, SandboxPortal } from './store';

/** Puts a generated ecosystem into the sandbox as one portal. */
export function loadEcosystem(store: HubSpotSandboxStore, ecosystem: Ecosystem): SandboxPortal {
  const portal = store.addPortal(ecosystem.portalId);
  for (const company of ecosystem.companies) portal.objects.companies.set(company.id, company);
  for (const deal of ecosystem.deals) portal.objects.deals.set(deal.id, deal);
  for (const [dealId, associations] of ecosystem.dealCompanies)
    portal.dealCompanies.set(dealId, associations);
  return portal;
}
