/**
 * The scopes the app asks for at install, as extensions/hubspot/src/app/app-hsmeta.json declares
 * them (a test holds the two together): read deals and companies, write deals (a co-sell attach),
 * and the contacts scopes HubSpot's tasks API asks for (the SLA tasks: create, search, complete).
 */
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.companies.read',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
] as const;
