import type { PartnerLabel } from '../../crm/hubspot/partner-roles';
import type { ProgramPartner } from '../../partners/program-partners';
import {
  HUBSPOT_PRIMARY_COMPANY,
  PARTNER_LABEL_TYPE_IDS,
  type SandboxAssociation,
  type SandboxObject,
} from '../hubspot/store';
import { SeededRandom } from './random';
import {
  CERTIFICATIONS,
  COUNTRIES,
  type Country,
  DEAL_KINDS,
  INDUSTRIES,
  type Industry,
  NAME_ROOTS,
  NAME_STEMS,
  OPEN_STAGES,
  PARTNER_MANAGERS,
  PARTNER_TYPES,
  PARTNER_WORDS,
  type PartnerType,
  type Tier,
} from './vocabulary';

export interface EcosystemSize {
  partners: number;
  companies: number;
  deals: number;
}

export const DEMO_SIZE: EcosystemSize = { partners: 50, companies: 500, deals: 1000 };
export const DEMO_PORTAL_ID = '4000001';
/** A second demo portal, not installed at start: an admin can try the install with it. */
export const INSTALL_PORTAL_ID = '4000002';

export interface SeedPartner {
  id: string;
  name: string;
  domain: string;
  type: PartnerType;
  tier: Tier;
  status: 'active' | 'inactive';
  regions: string[];
  verticals: string[];
  certifications: string[];
  partnerManager: string;
  hubspotCompanyId: string;
}

export interface Ecosystem {
  portalId: string;
  partners: SeedPartner[];
  companies: SandboxObject[];
  deals: SandboxObject[];
  dealCompanies: Map<string, SandboxAssociation[]>;
}

const DAY = 86_400_000;

export const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * A demo partner ecosystem as a HubSpot portal would hold it: partner companies, customer companies,
 * deals in every stage, partners attached with association labels. Same seed and `now` ⇒ same data.
 */
export function generateEcosystem(options: {
  seed: number;
  now: Date;
  size?: EcosystemSize;
  portalId?: string;
}): Ecosystem {
  const random = new SeededRandom(options.seed);
  const size = options.size ?? DEMO_SIZE;
  const usedDomains = new Set<string>();
  const uniqueDomain = (base: string, country: Country) => {
    let candidate = `${base}.${country.tld}`;
    for (let n = 2; usedDomains.has(candidate); n++) candidate = `${base}${n}.${country.tld}`;
    usedDomains.add(candidate);
    return candidate;
  };
  const pickCountry = () => random.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
  const stem = () => `${random.pick(NAME_STEMS)}${random.pick(NAME_ROOTS)}`;
  const at = (ms: number) => new Date(ms).toISOString();
  const now = options.now.getTime();

  const partners: SeedPartner[] = [];
  const companies: SandboxObject[] = [];
  for (let i = 0; i < size.partners; i++) {
    const type = PARTNER_TYPES[i % PARTNER_TYPES.length]!;
    const country = pickCountry();
    const base = `${stem()} ${random.pick(PARTNER_WORDS[type])}`;
    const domain = uniqueDomain(slug(base), country);
    const hubspotCompanyId = String(10_000_000_001 + i);
    const partner: SeedPartner = {
      id: random.uuid(),
      name: base,
      domain,
      type,
      tier: random.weighted([
        ['registered', 40],
        ['silver', 30],
        ['gold', 20],
        ['platinum', 10],
      ] as const),
      status: random.chance(0.92) ? 'active' : 'inactive',
      regions: [
        country.region,
        ...(random.chance(0.3) ? [random.pick(['NA', 'EMEA', 'APAC', 'LATAM'])] : []),
      ].filter((r, k, all) => all.indexOf(r) === k),
      verticals: random.sample(Object.keys(INDUSTRIES), random.int(1, 3)),
      certifications: random.sample(CERTIFICATIONS, random.int(0, 3)),
      partnerManager: random.pick(PARTNER_MANAGERS),
      hubspotCompanyId,
    };
    partners.push(partner);
    const created = now - random.int(200, 1500) * DAY;
    companies.push({
      id: hubspotCompanyId,
      properties: {
        name: partner.name,
        domain,
        country: country.name,
        industry: random.pick(Object.keys(INDUSTRIES)),
        type: type === 'reseller' || type === 'distributor' ? 'RESELLER' : 'PARTNER',
        createdate: at(created),
        hs_lastmodifieddate: at(created),
        hs_object_id: hubspotCompanyId,
      },
      createdAt: at(created),
      updatedAt: at(created),
    });
  }

  const customers: SandboxObject[] = [];
  for (let i = 0; i < size.companies; i++) {
    const country = pickCountry();
    const industry = random.pick(Object.keys(INDUSTRIES)) as Industry;
    const base = `${stem()} ${random.pick(INDUSTRIES[industry])}`;
    const name = random.chance(0.7) ? `${base} ${random.pick(country.legalForms)}` : base;
    const id = String(20_000_000_001 + i);
    const created = now - random.int(30, 1500) * DAY;
    const company: SandboxObject = {
      id,
      properties: {
        name,
        domain: uniqueDomain(slug(base), country),
        country: country.name,
        industry,
        type: 'PROSPECT',
        createdate: at(created),
        hs_lastmodifieddate: at(created),
        hs_object_id: id,
      },
      createdAt: at(created),
      updatedAt: at(created),
    };
    customers.push(company);
    companies.push(company);
  }

  const activePartners = partners.filter((p) => p.status === 'active');
  const influencers = activePartners.filter((p) =>
    ['system_integrator', 'technology', 'isv'].includes(p.type),
  );
  const labelFor = (partner: SeedPartner): PartnerLabel =>
    partner.type === 'reseller' || partner.type === 'distributor'
      ? 'Reseller'
      : partner.type === 'referral'
        ? 'Referral partner'
        : 'Sourced partner';
  const partnerAssociation = (partner: SeedPartner, label: PartnerLabel): SandboxAssociation => ({
    toObjectId: partner.hubspotCompanyId,
    associationTypes: [{ category: 'USER_DEFINED', typeId: PARTNER_LABEL_TYPE_IDS[label], label }],
  });

  const deals: SandboxObject[] = [];
  const dealCompanies = new Map<string, SandboxAssociation[]>();
  for (let i = 0; i < size.deals; i++) {
    const account = random.pick(customers);
    const id = String(30_000_000_001 + i);
    const created = now - random.int(1, 540) * DAY - random.int(0, DAY - 1);
    const outcome = random.weighted([
      ['open', 45],
      ['won', 35],
      ['lost', 20],
    ] as const);
    const closeAt =
      outcome === 'open'
        ? now + random.int(7, 120) * DAY
        : Math.min(now - 1000, created + random.int(7, 180) * DAY);
    const currency = random.weighted([
      ['USD', 85],
      ['EUR', 10],
      ['GBP', 5],
    ] as const);
    deals.push({
      id,
      properties: {
        dealname: `${account.properties.name} - ${random.pick(DEAL_KINDS)}`,
        amount: `${random.int(5, 400) * 1000 + random.pick([0, 0, 500, 250])}.00`,
        deal_currency_code: currency,
        pipeline: 'default',
        dealstage:
          outcome === 'open'
            ? random.pick(OPEN_STAGES)
            : outcome === 'won'
              ? 'closedwon'
              : 'closedlost',
        hs_is_closed: String(outcome !== 'open'),
        hs_is_closed_won: String(outcome === 'won'),
        createdate: at(created),
        closedate: at(closeAt),
        hs_lastmodifieddate: at(Math.min(now, Math.max(created, closeAt))),
        hs_object_id: id,
      },
      createdAt: at(created),
      updatedAt: at(Math.min(now, Math.max(created, closeAt))),
    });
    const associations: SandboxAssociation[] = [
      { toObjectId: account.id, associationTypes: HUBSPOT_PRIMARY_COMPANY },
    ];
    if (random.chance(0.6)) {
      const partner = random.pick(activePartners);
      associations.push(partnerAssociation(partner, labelFor(partner)));
      const influencer = random.chance(0.2) ? random.pick(influencers) : undefined;
      if (influencer && influencer !== partner)
        associations.push(partnerAssociation(influencer, 'Influencing partner'));
    }
    dealCompanies.set(id, associations);
  }

  return {
    portalId: options.portalId ?? DEMO_PORTAL_ID,
    partners,
    companies,
    deals,
    dealCompanies,
  };
}

/** The ecosystem's partners as the partner program lists them (its own ids, no CRM ids). */
export const programPartnersOf = (ecosystem: Pick<Ecosystem, 'partners'>): ProgramPartner[] =>
  ecosystem.partners.map((p) => ({
    externalId: p.id,
    name: p.name,
    domain: p.domain,
    type: p.type,
    tier: p.tier,
    status: p.status,
    partnerManager: p.partnerManager,
    regions: p.regions,
    verticals: p.verticals,
    certifications: p.certifications,
  }));
