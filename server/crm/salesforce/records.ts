import { z } from 'zod';

import { PARTNER_TYPES } from '../../../src/program/program';
import type { AccountRecord, DealPartnerLink, DealRecord } from '../port';

// What PartnerLens relies on in Salesforce's records, from the REST API (JSON) or a Bulk API 2.0
// result (CSV: every value a string, an empty one for null). Anything else is ignored.

const id = z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/);
const blankToNull = (value: unknown) => (value === '' || value === undefined ? null : value);
const text = z.preprocess(blankToNull, z.string().nullable());
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : blankToNull(value)),
  z.boolean().nullable(),
);
const when = z.preprocess(
  blankToNull,
  z
    .string()
    .nullable()
    .transform((value, ctx) => {
      if (value === null) return null;
      const at = new Date(value.replace(/\+0000$/, 'Z'));
      if (Number.isNaN(at.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'not a date' });
        return z.NEVER;
      }
      return at;
    }),
);
const amount = z.preprocess(
  (value) => (typeof value === 'number' ? String(value) : blankToNull(value)),
  z
    .string()
    .regex(/^-?\d{1,15}(\.\d+)?$/)
    .nullable(),
);

export const accountRow = z.object({
  Id: id,
  Name: z.string().min(1),
  Website: text.optional(),
  BillingCountry: text.optional(),
  Industry: text.optional(),
  Type: text.optional(),
  IsPartner: flag.optional(),
  Partner_Type__c: text.optional(),
  IsDeleted: flag.optional(),
  SystemModstamp: when,
});
export const opportunityRow = z.object({
  Id: id,
  Name: z.string().min(1),
  AccountId: z.preprocess(blankToNull, id.nullable()),
  StageName: z.string().min(1),
  IsClosed: flag.pipe(z.boolean()),
  IsWon: flag.pipe(z.boolean()),
  CloseDate: when,
  Amount: amount.optional(),
  CurrencyIsoCode: text.optional(),
  CreatedDate: when,
  IsDeleted: flag.optional(),
  SystemModstamp: when,
});
export const partnerLinkRow = z.object({
  Id: id,
  OpportunityId: id,
  AccountToId: id,
  Role: text,
  IsPrimary: flag.pipe(z.boolean()),
  IsDeleted: flag.optional(),
  SystemModstamp: when,
});

export type AccountRow = z.infer<typeof accountRow>;
export type OpportunityRow = z.infer<typeof opportunityRow>;
export type PartnerLinkRow = z.infer<typeof partnerLinkRow>;

export const ACCOUNT_FIELDS = [
  'Id',
  'Name',
  'Website',
  'BillingCountry',
  'Industry',
  'Type',
  'IsPartner',
  'SystemModstamp',
];
/** Not every org has them: read when describe says the field exists. */
export const OPTIONAL_ACCOUNT_FIELDS = ['Partner_Type__c'];
export const OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'AccountId',
  'StageName',
  'IsClosed',
  'IsWon',
  'CloseDate',
  'Amount',
  'CreatedDate',
  'SystemModstamp',
];
/** Only in multi-currency orgs. */
export const OPTIONAL_OPPORTUNITY_FIELDS = ['CurrencyIsoCode'];
export const PARTNER_LINK_FIELDS = [
  'Id',
  'OpportunityId',
  'AccountToId',
  'Role',
  'IsPrimary',
  'SystemModstamp',
];

/** Account.Type values that mark a partner's account, and the partner type they mean (if any). */
export type PartnerAccountTypes = ReadonlyMap<string, string | null>;

const PARTNER_TYPE_SET = new Set<string>(PARTNER_TYPES);
/** "System Integrator" → system_integrator, when PartnerLens knows the type. */
const partnerTypeOf = (label: string | null | undefined) => {
  const key = label
    ?.trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  return key && PARTNER_TYPE_SET.has(key) ? key : null;
};

const domainOf = (website: string | null | undefined) => {
  if (!website) return null;
  try {
    const host = new URL(/^https?:\/\//i.test(website) ? website : `https://${website}`).hostname;
    return host.replace(/^www\./, '').toLowerCase() || null;
  } catch {
    return null;
  }
};

export function toAccount(row: AccountRow, partnerTypes: PartnerAccountTypes): AccountRecord {
  const typeKey = row.Type?.trim().toLowerCase();
  const mapped = typeKey !== undefined && partnerTypes.has(typeKey);
  const isPartner = row.IsPartner === true || mapped;
  return {
    crmId: row.Id,
    name: row.Name.trim(),
    domain: domainOf(row.Website),
    country: row.BillingCountry?.trim() || null,
    industry: row.Industry ?? null,
    companyType: row.Type ?? null,
    isPartner,
    partnerType: isPartner
      ? (partnerTypeOf(row.Partner_Type__c) ?? (mapped ? partnerTypes.get(typeKey!)! : null))
      : null,
    updatedAt: row.SystemModstamp,
  };
}

export function toDeal(row: OpportunityRow): DealRecord {
  const stage = row.IsWon ? 'won' : row.IsClosed ? 'lost' : 'open';
  return {
    crmId: row.Id,
    name: row.Name.trim(),
    amount: row.Amount ?? null,
    currency: row.CurrencyIsoCode?.toUpperCase() ?? null,
    stage,
    crmStage: row.StageName,
    pipeline: null,
    createdAt: row.CreatedDate,
    // On an open opportunity CloseDate is the expected close, not a close.
    closedAt: stage === 'open' ? null : row.CloseDate,
    updatedAt: row.SystemModstamp,
  };
}

export const toLink = (row: PartnerLinkRow): DealPartnerLink => ({
  companyCrmId: row.AccountToId,
  label: row.Role ?? '',
  primary: row.IsPrimary,
});
