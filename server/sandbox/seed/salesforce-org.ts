import { IdFactory, salesforceId } from '../salesforce/ids';
import type { OrgOptions } from '../salesforce/org';
import type { SfRecord } from '../salesforce/schema';
import {
  PARTNER_ROLES,
  PARTNER_TIER_VALUES,
  PARTNER_TYPE_VALUES,
  TASK_PRIORITIES,
  TASK_STATUSES,
} from '../salesforce/sobjects';
import { slug } from './ecosystem';
import { SeededRandom } from './random';
import { generateOpportunities } from './salesforce-opportunities';
import { partnerTwins } from './salesforce-twins';
import { salesforceUsers } from './salesforce-users';
import {
  COUNTRIES,
  type Country,
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

  // The Task picklists as their value objects (Setup → Task Fields): no random draws, so the rest
  // of a seeded org stays what it was.
  const admin = String(users[0]!.Id);
  const fixedAudit = (): SfRecord => {
    const at = now - 900 * DAY;
    const by = admin;
    return {
      CreatedDate: at,
      CreatedById: by,
      LastModifiedDate: at,
      LastModifiedById: by,
      SystemModstamp: at,
    };
  };
  const taskStatuses: SfRecord[] = TASK_STATUSES.map((label, i) => ({
    Id: ids.next('01J'),
    IsDeleted: false,
    MasterLabel: label,
    ApiName: label,
    IsClosed: label === 'Completed',
    IsDefault: label === 'Not Started',
    SortOrder: i + 1,
    ...fixedAudit(),
  }));
  const taskPriorities: SfRecord[] = TASK_PRIORITIES.map((label, i) => ({
    Id: ids.next('01K'),
    IsDeleted: false,
    MasterLabel: label,
    ApiName: label,
    IsHighPriority: label === 'High',
    IsDefault: label === 'Normal',
    SortOrder: i + 1,
    ...fixedAudit(),
  }));

  const { opportunities, links, tasks } = generateOpportunities(
    { random, ids, now, audit },
    customers,
    partners,
    size.opportunities,
  );
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
      TaskStatus: taskStatuses,
      TaskPriority: taskPriorities,
    },
    partners,
  };
}
