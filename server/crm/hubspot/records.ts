import { z } from 'zod';

import type { AccountRecord, DealRecord } from '../port';

// What PartnerLens relies on in HubSpot's answers; anything else in them is ignored.
const properties = z.record(z.string(), z.string().nullable().optional());
export const crmObjectSchema = z.object({ id: z.string().regex(/^\d+$/), properties });

export const COMPANY_PROPERTIES = ['name', 'domain', 'country', 'industry', 'type'];
export const DEAL_PROPERTIES = [
  'dealname',
  'amount',
  'deal_currency_code',
  'dealstage',
  'pipeline',
  'createdate',
  'closedate',
  'hs_is_closed',
  'hs_is_closed_won',
];

// HubSpot's company types that mark a partner's own company.
const PARTNER_COMPANY_TYPES = new Set(['PARTNER', 'RESELLER']);

type CrmObject = z.infer<typeof crmObjectSchema>;

const text = (value: string | null | undefined) =>
  value === undefined || value === null || value.trim() === '' ? null : value.trim();
const date = (value: string | null | undefined) => {
  const parsed = text(value) ? new Date(value!) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
};
const decimal = (value: string | null | undefined) =>
  text(value) && /^-?\d{1,15}(\.\d{1,4})?$/.test(value!.trim()) ? value!.trim() : null;

export function toAccount(object: CrmObject, updatedAt?: Date): AccountRecord {
  const p = object.properties;
  return {
    crmId: object.id,
    name: text(p.name) ?? `Company ${object.id}`,
    domain: text(p.domain)?.toLowerCase() ?? null,
    country: text(p.country),
    industry: text(p.industry),
    companyType: text(p.type),
    isPartner: PARTNER_COMPANY_TYPES.has(text(p.type)?.toUpperCase() ?? ''),
    partnerType: text(p.type)?.toUpperCase() === 'RESELLER' ? 'reseller' : null,
    updatedAt: updatedAt ?? date(p.hs_lastmodifieddate),
  };
}

export function toDeal(object: CrmObject, updatedAt?: Date): DealRecord {
  const p = object.properties;
  const stage = dealOutcome(p.hs_is_closed_won, p.hs_is_closed, text(p.dealstage));
  return {
    crmId: object.id,
    name: text(p.dealname) ?? `Deal ${object.id}`,
    amount: decimal(p.amount),
    currency: text(p.deal_currency_code)?.toUpperCase() ?? null,
    stage,
    crmStage: text(p.dealstage),
    pipeline: text(p.pipeline),
    createdAt: date(p.createdate),
    // On an open deal closedate is the expected close, not a close.
    closedAt: stage === 'open' ? null : date(p.closedate),
    updatedAt: updatedAt ?? date(p.hs_lastmodifieddate),
  };
}

// hs_is_closed(_won) follow the pipeline's own stage settings; the stage ids are the default pipeline's fallback.
function dealOutcome(
  closedWon: string | null | undefined,
  closed: string | null | undefined,
  stage: string | null,
): DealRecord['stage'] {
  if (closedWon === 'true') return 'won';
  if (closed === 'true') return 'lost';
  if (closed === 'false') return 'open';
  return stage === 'closedwon' ? 'won' : stage === 'closedlost' ? 'lost' : 'open';
}
