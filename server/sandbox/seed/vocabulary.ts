import { PARTNER_TYPES } from '../../../src/program/program';

// Word lists for realistic company and partner names. Legal forms and domains follow the country.

export const NAME_STEMS = [
  'North',
  'Blue',
  'Silver',
  'Red',
  'Iron',
  'Bright',
  'Summit',
  'Harbor',
  'Cedar',
  'Pine',
  'Granite',
  'Atlas',
  'Nova',
  'Apex',
  'Vertex',
  'Lumen',
  'Orbit',
  'Pioneer',
  'Evergreen',
  'Beacon',
  'Crescent',
  'Falcon',
  'Horizon',
  'Keystone',
  'Meridian',
  'Quantum',
  'River',
  'Sterling',
  'Sunrise',
  'Titan',
  'Unity',
  'Vantage',
  'West',
  'Zenith',
  'Clear',
  'Bold',
  'Swift',
  'True',
  'Open',
  'Prime',
  'Oak',
  'Maple',
  'Copper',
  'Cobalt',
  'Aurora',
  'Polar',
];
export const NAME_ROOTS = [
  'wind',
  'peak',
  'bridge',
  'stone',
  'field',
  'wave',
  'gate',
  'point',
  'path',
  'light',
  'ridge',
  'spring',
  'forge',
  'works',
  'line',
  'well',
  'crest',
  'view',
  'port',
  'brook',
  'lake',
  'hill',
  'star',
  'tree',
];

export const INDUSTRIES = {
  COMPUTER_SOFTWARE: ['Software', 'Analytics', 'Cloud', 'Data', 'Systems', 'Labs'],
  FINANCIAL_SERVICES: ['Capital', 'Financial', 'Payments', 'Bank'],
  HOSPITAL_HEALTH_CARE: ['Health', 'Medical', 'Care'],
  RETAIL: ['Retail', 'Stores', 'Brands', 'Outfitters'],
  LOGISTICS_AND_SUPPLY_CHAIN: ['Logistics', 'Freight', 'Supply'],
  TELECOMMUNICATIONS: ['Networks', 'Telecom', 'Communications'],
  EDUCATION_MANAGEMENT: ['Learning', 'Academy', 'Education'],
  INSURANCE: ['Insurance', 'Assurance', 'Mutual'],
  MACHINERY: ['Manufacturing', 'Industries', 'Components', 'Engineering'],
} as const;
export type Industry = keyof typeof INDUSTRIES;

export const COUNTRIES = [
  {
    name: 'United States',
    region: 'NA',
    tld: 'com',
    legalForms: ['Inc', 'Inc.', 'LLC', 'Corp', 'Corporation'],
    weight: 45,
  },
  { name: 'Canada', region: 'NA', tld: 'ca', legalForms: ['Inc', 'Ltd'], weight: 5 },
  {
    name: 'United Kingdom',
    region: 'EMEA',
    tld: 'co.uk',
    legalForms: ['Ltd', 'Limited', 'PLC'],
    weight: 12,
  },
  { name: 'Germany', region: 'EMEA', tld: 'de', legalForms: ['GmbH', 'AG'], weight: 10 },
  { name: 'France', region: 'EMEA', tld: 'fr', legalForms: ['SAS', 'SA', 'SARL'], weight: 7 },
  { name: 'Netherlands', region: 'EMEA', tld: 'nl', legalForms: ['BV', 'B.V.', 'NV'], weight: 5 },
  { name: 'Japan', region: 'APAC', tld: 'co.jp', legalForms: ['KK', 'K.K.'], weight: 6 },
  { name: 'Australia', region: 'APAC', tld: 'com.au', legalForms: ['Pty Ltd'], weight: 6 },
  { name: 'Brazil', region: 'LATAM', tld: 'com.br', legalForms: ['Ltda', 'S.A.'], weight: 4 },
] as const;
export type Country = (typeof COUNTRIES)[number];

export { PARTNER_TYPES };
export type PartnerType = (typeof PARTNER_TYPES)[number];

export const PARTNER_WORDS: Record<PartnerType, readonly string[]> = {
  reseller: ['Solutions', 'IT', 'Technology Group'],
  distributor: ['Distribution', 'Supply'],
  system_integrator: ['Consulting', 'Digital', 'Integrators'],
  isv: ['Software', 'Apps'],
  technology: ['Technologies', 'Tech'],
  msp: ['Managed Services', 'IT Services'],
  referral: ['Advisors', 'Partners'],
};

export const TIERS = ['registered', 'silver', 'gold', 'platinum'] as const;
export type Tier = (typeof TIERS)[number];

export const CERTIFICATIONS = [
  'Certified Implementer',
  'Security Specialist',
  'Advanced Admin',
  'Solution Architect',
  'Data Migration',
];

export const PARTNER_MANAGERS = [
  'Maya Chen',
  'Daniel Okafor',
  'Sofia Lindqvist',
  'Arjun Mehta',
  'Lucía Romero',
  'Tom Becker',
];

export const DEAL_KINDS = [
  'Platform',
  'Expansion',
  'Renewal',
  'Pilot',
  'Enterprise licence',
  'Migration',
];

export const OPEN_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
];
