import { IdFactory, salesforceId } from '../salesforce/ids';
import type { OrgOptions } from '../salesforce/org';
import type { SfRecord } from '../salesforce/schema';
import {
  OPPORTUNITY_STAGES,
  PARTNER_ROLES,
  PARTNER_TIER_VALUES,
  PARTNER_TYPE_VALUES,
} from '../salesforce/sobjects';
import { slug } from './ecosystem';
import { SeededRandom } from './random';
import { partnerTwins } from './salesforce-twins';
import { salesforceUsers } from './salesforce-users';
import {
  COUNTRIES,
  type Country,
  DEAL_KINDS,
  INDUSTRIES,
  type Industry,
  NAME_ROOTS,
  NAME_STEMS,
  PARTNER_TYPES,
  PARTNER_WORDS,
  type PartnerType,
  type Tier,
  TIERS,
} from './vocabulary';

export interface SalesforceOrgSize {
  partners: number;
  customers: number;
  opportunities: number;
  /** Partners that also exist in the HubSpot demo, under other spellings. */
  hubspotTwins: number;
}

export const SALESFORCE_DEMO_SIZE: SalesforceOrgSize = {
  partners: 64,
  customers: 700,
  opportunities: 3_000,
  hubspotTwins: 16,
};
/** For the bench: 100,000 opportunities, still built in a couple of seconds. */
export const SALESFORCE_LARGE_SIZE: SalesforceOrgSize = {
  partners: 700,
  customers: 25_000,
  opportunities: 100_000,
  hubspotTwins: 16,
};
export const SALESFORCE_DEMO_ORG_ID = salesforceId('00D', '5g', 4_000_001);

export interface SeedSalesforcePartner {
  accountId: string;
  name: string;
  type: PartnerType;
  tier: Tier;
  /** The HubSpot demo partner this one is, if any (its id in the HubSpot ecosystem). */
  hubspotPartnerId?: string;
}

export interface SalesforceOrgSeed {
  options: OrgOptions;
  defaultUserId: string;
  records: Record<string, SfRecord[]>;
  partners: SeedSalesforcePartner[];
}

const DAY = 86_400_000;
/** Where PartnerLens's vocabulary meets the org's picklists. */
export const SALESFORCE_INDUSTRY: Record<Industry, string> = {
  COMPUTER_SOFTWARE: 'Technology',
  FINANCIAL_SERVICES: 'Finance',
  HOSPITAL_HEALTH_CARE: 'Healthcare',
  RETAIL: 'Retail',
  LOGISTICS_AND_SUPPLY_CHAIN: 'Transportation',
  TELECOMMUNICATIONS: 'Telecommunications',
  EDUCATION_MANAGEMENT: 'Education',
  INSURANCE: 'Insurance',
  MACHINERY: 'Machinery',
};
export const PARTNER_TYPE_LABEL = Object.fromEntries(
  PARTNER_TYPES.map((t, i) => [t, PARTNER_TYPE_VALUES[i]!]),
) as Record<PartnerType, (typeof PARTNER_TYPE_VALUES)[number]>;
const TIER_LABEL = Object.fromEntries(TIERS.map((t, i) => [t, PARTNER_TIER_VALUES[i]!])) as Record<
  Tier,
  string
>;
const ACCOUNT_TYPE_OF: Record<PartnerType, string> = {
  reseller: 'Channel Partner / Reseller',
  distributor: 'Channel Partner / Reseller',
  msp: 'Channel Partner / Reseller',
  system_integrator: 'Installation Partner',
  isv: 'Technology Partner',
  technology: 'Technology Partner',
  referral: 'Other',
};
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

/**
 * A Salesforce org with a partner program, built from a seed: users, partner roles, partner
 * accounts of every type and tier (Partner_Type__c, Partner_Tier__c, IsPartner), customer accounts,
 * opportunities in every stage and currency, partner links (Partner + OpportunityPartner) and tasks.
 * Same seed and `now` ⇒ same org.
 */
export function generateSalesforceOrg(options: {
  seed: number;
  now: Date;
  size?: SalesforceOrgSize;
  orgId?: string;
  name?: string;
}): SalesforceOrgSeed {
  const size = options.size ?? SALESFORCE_DEMO_SIZE;
  const random = new SeededRandom(options.seed);
  const ids = new IdFactory('5g');
  const now = options.now.getTime();
  const orgId = options.orgId ?? SALESFORCE_DEMO_ORG_ID;
  const users = salesforceUsers(ids, now, 'partnerlens-demo.example');
  const reps = users.slice(1).map((u) => String(u.Id));
  const audit = (created: number, modified = created): SfRecord => {
    const owner = random.pick(reps);
    return {
      CreatedDate: created,
      CreatedById: owner,
      LastModifiedDate: modified,
      LastModifiedById: owner,
      SystemModstamp: modified,
    };
  };
  const usedDomains = new Set<string>();
  const domainFor = (base: string, country: Country) => {
    let candidate = `${base}.${country.tld}`;
    for (let n = 2; usedDomains.has(candidate); n++) candidate = `${base}${n}.${country.tld}`;
    usedDomains.add(candidate);
    return candidate;
  };
  const pickCountry = () => random.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
  // A different alphabet from the HubSpot demo's: root first, then stem (Wind North, not North Wind).
  const stem = () =>
    `${random.pick(NAME_ROOTS).replace(/^./, (c) => c.toUpperCase())}${random.pick(NAME_STEMS).toLowerCase()}`;

  const partnerRoles: SfRecord[] = PARTNER_ROLES.map((role, i) => ({
    Id: ids.next('0D1'),
    MasterLabel: role.label,
    ApiName: role.label.replace(/\W+/g, ''),
    ReverseRole: role.reverse,
    SortOrder: i + 1,
    ...audit(now - 900 * DAY),
  }));

  const accounts: SfRecord[] = [];
  const partners: SeedSalesforcePartner[] = [];
  const account = (fields: SfRecord, created: number): SfRecord => {
    const record: SfRecord = {
      Id: ids.next('001'),
      IsDeleted: false,
      Description: null,
      CurrencyIsoCode: 'USD',
      ...fields,
      ...audit(created, created + random.int(0, 30) * DAY),
    };
    record.OwnerId = record.CreatedById!;
    accounts.push(record);
    return record;
  };
  const addPartner = (
    name: string,
    website: string,
    country: Country,
    type: PartnerType,
    tier: Tier,
    hubspotPartnerId?: string,
  ) => {
    const record = account(
      {
        Name: name,
        Website: website,
        BillingCountry: country.name,
        Industry: 'Technology',
        Type: ACCOUNT_TYPE_OF[type],
        IsPartner: true,
        Partner_Type__c: PARTNER_TYPE_LABEL[type],
        Partner_Tier__c: TIER_LABEL[tier],
      },
      now - random.int(300, 1600) * DAY,
    );
    partners.push({
      accountId: String(record.Id),
      name,
      type,
      tier,
      ...(hubspotPartnerId ? { hubspotPartnerId } : {}),
    });
  };
  for (const twin of partnerTwins(random, size.hubspotTwins, options.now)) {
    const country = COUNTRIES.find((c) => c.name === 'United States')!;
    addPartner(
      twin.name,
      twin.website,
      country,
      twin.hubspot.type,
      twin.hubspot.tier,
      twin.hubspot.id,
    );
  }
  for (let i = 0; i < size.partners - size.hubspotTwins; i++) {
    const type = PARTNER_TYPES[i % PARTNER_TYPES.length]!;
    // The first 28 cover every type × tier pair; the rest are mostly registered and silver.
    const tier =
      i < 28
        ? TIERS[Math.floor(i / 7) % 4]!
        : random.weighted([
            ['registered', 40],
            ['silver', 30],
            ['gold', 20],
            ['platinum', 10],
          ] as const);
    const country = pickCountry();
    const name = `${stem()} ${random.pick(PARTNER_WORDS[type])}`;
    addPartner(name, `https://www.${domainFor(slug(name), country)}`, country, type, tier);
  }

  const customers: SfRecord[] = [];
  for (let i = 0; i < size.customers; i++) {
    const country = pickCountry();
    const industry = random.pick(Object.keys(INDUSTRIES)) as Industry;
    const base = `${stem()} ${random.pick(INDUSTRIES[industry])}`;
    const domain = domainFor(slug(base), country);
    customers.push(
      account(
        {
          Name: random.chance(0.6) ? `${base} ${random.pick(country.legalForms)}` : base,
          Website: random.chance(0.5)
            ? `https://www.${domain}`
            : random.chance(0.8)
              ? domain
              : null,
          BillingCountry: country.name,
          Industry: SALESFORCE_INDUSTRY[industry],
          Type: random.weighted([
            ['Prospect', 35],
            ['Customer - Direct', 45],
            ['Customer - Channel', 20],
          ] as const),
          IsPartner: false,
          Partner_Type__c: null,
          Partner_Tier__c: null,
        },
        now - random.int(60, 1800) * DAY,
      ),
    );
  }

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
  for (let i = 0; i < size.opportunities; i++) {
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
  return {
    options: {
      orgId,
      name: options.name ?? 'PartnerLens Demo',
      pod: '5g',
      multiCurrency: true,
      currencies: ['USD', 'EUR', 'GBP', 'JPY'],
      corporateCurrency: 'USD',
    },
    defaultUserId: String(users[0]!.Id),
    records: {
      User: users,
      PartnerRole: partnerRoles,
      Account: accounts,
      Opportunity: opportunities,
      Partner: links,
      OpportunityPartner: links.map(({ AccountFromId: _, ...l }) => l),
      Task: tasks,
    },
    partners,
  };
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
