/**
 * The scopes the app asks for at install, as extensions/hubspot/src/app/app-hsmeta.json declares
 * them (a test holds the two together): read deals and companies, write deals (a co-sell attach).
 */
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.companies.read',
] as const;
