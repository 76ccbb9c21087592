import type { PartnerRole } from '../port';

/**
 * How Salesforce's partner roles (PartnerRole's values: the standard ones, and those PartnerLens
 * suggests adding) read as PartnerLens roles when the tenant has not said otherwise. Lower-case
 * keys: roles are compared without case. Null: a partner in that role earns nothing here.
 */
export const DEFAULT_SALESFORCE_ROLES: Readonly<Record<string, PartnerRole | null>> = {
  'sourced partner': 'sourced',
  sourced: 'sourced',
  'influencing partner': 'influenced',
  influencer: 'influenced',
  'referral partner': 'referral',
  referral: 'referral',
  reseller: 'reseller',
  'var/reseller': 'reseller',
  distributor: 'reseller',
  dealer: 'reseller',
  'system integrator': 'influenced',
  consultant: 'influenced',
  developer: 'influenced',
  contractor: 'influenced',
  agency: 'referral',
  broker: 'referral',
  advertiser: null,
  lender: null,
  supplier: null,
  institution: null,
};

/** The role name PartnerLens writes for a role when it puts a partner on an opportunity. */
export const SALESFORCE_ROLE_FOR: Readonly<Record<PartnerRole, string>> = {
  sourced: 'Sourced Partner',
  influenced: 'Influencing Partner',
  reseller: 'Reseller',
  referral: 'Referral Partner',
};
