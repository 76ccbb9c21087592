import type { SalesforceOrgSeed } from '../seed/salesforce-org';
import type { SalesforceOrg } from './org';
import type { SalesforceSandboxStore } from './store';

/** Puts a generated org into the sandbox, users and records as they are. */
export function loadSalesforceOrg(
  store: SalesforceSandboxStore,
  seed: SalesforceOrgSeed,
): SalesforceOrg {
  const org = store.addOrg(seed.options);
  for (const [type, records] of Object.entries(seed.records))
    for (const record of records) org.put(type, record);
  org.defaultUserId = seed.defaultUserId;
  return org;
}
