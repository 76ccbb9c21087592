import type { IdFactory } from '../salesforce/ids';
import type { SfRecord } from '../salesforce/schema';
import { OPPORTUNITY_STAGES } from '../salesforce/sobjects';
import type { SeededRandom } from './random';
import type { SeedSalesforcePartner } from './salesforce-org';
import { DEAL_KINDS, type PartnerType } from './vocabulary';

const DAY = 86_400_000;

/** The role a partner of each type most often plays on an opportunity. */
export const ROLE_OF: Record<PartnerType, string> = {
  reseller: 'Reseller',
  distributor: 'Distributor',
  system_integrator: 'System Integrator',
  isv: 'Influencer',
  technology: 'Influencer',
  msp: 'Reseller',
  referral: 'Referral',
};
const CURRENCIES = [
  ['USD', 70],
  ['EUR', 15],
  ['GBP', 10],
  ['JPY', 5],
] as const;
const RATE: Record<string, number> = { USD: 1, EUR: 1, GBP: 1, JPY: 150 };

/** What the org's generators share: the seeded random, the org's ids, the clock, the audit fields. */
export interface SeedContext {
  random: SeededRandom;
  ids: IdFactory;
  now: number;
  audit(created: number, modified?: number): SfRecord;
}

/**
 * Opportunities in every stage and currency on the customer accounts; 55 % with a primary partner
 * in its type's usual role (a quarter of those with an influencer or consultant too) as Partner
 * rows, and a task on a fifth of them.
 */
export function generateOpportunities(
  ctx: SeedContext,
  customers: SfRecord[],
  partners: SeedSalesforcePartner[],
  count: number,
): { opportunities: SfRecord[]; links: SfRecord[]; tasks: SfRecord[] } {
  const { random, ids, now, audit } = ctx;
  const opportunities: SfRecord[] = [];
  const links: SfRecord[] = [];
  const tasks: SfRecord[] = [];
  const openStages = OPPORTUNITY_STAGES.filter((s) => !s.closed);
  const influencers = partners.filter((p) =>
    ['system_integrator', 'isv', 'technology'].includes(p.type),
  );
  const link = (
    opportunity: SfRecord,
    partner: SeedSalesforcePartner,
    role: string,
    primary: boolean,
  ) => {
    const id = ids.next('00I');
    const fields = {
      OpportunityId: opportunity.Id!,
      AccountFromId: null,
      AccountToId: partner.accountId,
      Role: role,
      IsPrimary: primary,
      ReversePartnerId: ids.next('00I'),
    };
    const at = audit(
      Math.min(now - 1000, Number(opportunity.CreatedDate) + random.int(0, 20) * DAY),
    );
    links.push({ Id: id, IsDeleted: false, ...fields, ...at });
  };
  for (let i = 0; i < count; i++) {
    const customer = random.pick(customers);
    const created = now - random.int(1, 720) * DAY - random.int(0, DAY - 1);
    const outcome = random.weighted([
      ['open', 45],
      ['won', 35],
      ['lost', 20],
    ] as const);
    const stage =
      outcome === 'open'
        ? random.pick(openStages)
        : OPPORTUNITY_STAGES.find((s) => s.won === (outcome === 'won') && s.closed)!;
    const closeAt =
      outcome === 'open'
        ? now + random.int(7, 150) * DAY
        : Math.min(now - DAY, created + random.int(10, 200) * DAY);
    const currency = random.weighted(CURRENCIES);
    const modified = Math.min(
      now - 1000,
      Math.max(created, outcome === 'open' ? created + random.int(0, 60) * DAY : closeAt),
    );
    const opportunity: SfRecord = {
      Id: ids.next('006'),
      IsDeleted: false,
      Name: `${String(customer.Name)} - ${random.pick(DEAL_KINDS)}`,
      AccountId: customer.Id!,
      StageName: stage.name,
      Amount: (random.int(4, 500) * 1000 + random.pick([0, 0, 250, 500])) * RATE[currency]!,
      Probability: stage.probability,
      CloseDate: new Date(closeAt).toISOString().slice(0, 10),
      Type: random.chance(0.7) ? 'New Business' : 'Existing Business',
      IsClosed: stage.closed,
      IsWon: stage.won,
      Description: null,
      CurrencyIsoCode: currency,
      ...audit(created, modified),
    };
    opportunity.OwnerId = opportunity.CreatedById!;
    opportunities.push(opportunity);
    if (random.chance(0.55)) {
      const partner = random.pick(partners);
      link(opportunity, partner, ROLE_OF[partner.type], true);
      const second = random.chance(0.25) ? random.pick(influencers) : undefined;
      if (second && second !== partner)
        link(
          opportunity,
          second,
          random.pick(['Influencer', 'Consultant', 'System Integrator']),
          false,
        );
    }
    if (random.chance(0.2))
      tasks.push(
        task(
          ids,
          opportunity,
          random.pick([
            'Partner sync call',
            'Send co-sell plan',
            'Joint demo with partner',
            'Confirm deal registration',
          ]),
          random.chance(0.5),
          audit(Math.min(now - 1000, created + DAY)),
        ),
      );
  }
  return { opportunities, links, tasks };
}

function task(
  ids: IdFactory,
  opportunity: SfRecord,
  subject: string,
  done: boolean,
  audit: SfRecord,
): SfRecord {
  return {
    Id: ids.next('00T'),
    IsDeleted: false,
    Subject: subject,
    Description: null,
    OwnerId: opportunity.OwnerId!,
    WhatId: opportunity.Id!,
    ActivityDate: new Date(Number(audit.CreatedDate) + 7 * DAY).toISOString().slice(0, 10),
    Status: done ? 'Completed' : 'Not Started',
    Priority: 'Normal',
    IsClosed: done,
    ...audit,
  };
}
