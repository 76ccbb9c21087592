import type { PartnerRole } from '../port';

/**
 * Partners sit on a HubSpot deal as associated companies; the association label says the role.
 * These are the labels PartnerLens creates on install (user-defined deal→company labels).
 */
export const PARTNER_ROLE_BY_LABEL = {
  'Sourced partner': 'sourced',
  'Influencing partner': 'influenced',
  Reseller: 'reseller',
  'Referral partner': 'referral',
} as const;

export type PartnerLabel = keyof typeof PARTNER_ROLE_BY_LABEL;

export const roleForLabel = (label: string): PartnerRole | undefined =>
  PARTNER_ROLE_BY_LABEL[label as PartnerLabel];

/** HubSpot's own deal→company types: 5 is "Primary", 341 the unlabelled default. */
export const PRIMARY_COMPANY_TYPE_ID = 5;
