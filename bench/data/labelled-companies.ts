import { SeededRandom } from '../../server/sandbox/seed/random';
import {
  COUNTRIES,
  type Country,
  INDUSTRIES,
  NAME_ROOTS,
  NAME_STEMS,
} from '../../server/sandbox/seed/vocabulary';

export interface LabelledRecord {
  record_id: string;
  source: string;
  name: string;
  domain: string;
  country: string;
  /** The organisation the record belongs to: the answer key. */
  organisation: string;
}

export const SECOND_WORDS = [
  'Harbour',
  'Valley',
  'Coastal',
  'Metro',
  'Pacific',
  'Atlantic',
  'Alpine',
  'Nordic',
  'Central',
  'Union',
  'Global',
  'Digital',
  'Advanced',
  'Integrated',
  'United',
  'Premier',
  'First',
  'Capital',
  'Royal',
  'Modern',
  'Urban',
  'Rural',
  'Summit',
  'Liberty',
  'Heritage',
  'Pioneer',
  'Frontier',
  'Coast',
  'Mountain',
  'Lake',
  'Prairie',
  'Desert',
  'Island',
  'Bay',
  'Canyon',
  'Delta',
  'Ember',
  'Glacier',
  'Harvest',
  'Ivory',
  'Jade',
  'Kestrel',
  'Lantern',
  'Mosaic',
  'Nimbus',
  'Onyx',
  'Quartz',
  'Raven',
];
const SURNAMES = [
  'Smith',
  'Jones',
  'Becker',
  'Dubois',
  'Rossi',
  'Tanaka',
  'Silva',
  'Nguyen',
  'Kowalski',
  'Jensen',
  'Garcia',
  'Müller',
];
const ACCENTED = [
  'Müller',
  'Société',
  'Nestlé',
  'Café',
  'Ørsted',
  'Crédit',
  'Málaga',
  'Zürich',
  'Göteborg',
  'São',
  'Łódź',
  'Señor',
  'Brasserie Élysée',
];
const FREE_MAIL = ['gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com', 'gmx.de', 'orange.fr'];
const SOURCES = ['hubspot', 'salesforce', 'program'];
const COUNTRY_SPELLINGS: Record<string, string[]> = {
  'United States': ['United States', 'US', 'USA', 'United States of America'],
  'United Kingdom': ['United Kingdom', 'UK', 'GB', 'Great Britain'],
  Germany: ['Germany', 'DE', 'Deutschland'],
};

export const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
const stripAccents = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L');

export interface Organisation {
  id: string;
  name: string;
  domain: string | undefined;
  country: Country;
}

function typo(random: SeededRandom, name: string): string {
  const words = name.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 5);
  if (candidates.length === 0) return name;
  const [word, index] = random.pick(candidates);
  const at = random.int(1, word.length - 2);
  const kind = random.int(0, 3);
  const changed =
    kind === 0
      ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2)
      : kind === 1
        ? word.slice(0, at) + word.slice(at + 1)
        : kind === 2
          ? word.slice(0, at) + word[at] + word.slice(at)
          : word.slice(0, at) + random.pick([...'aeiourstnl']) + word.slice(at + 1);
  words[index] = changed;
  return words.join(' ');
}

export function nameVariant(random: SeededRandom, org: Organisation): string {
  let name = org.name;
  if (random.chance(0.55)) {
    const form = random.pick(org.country.legalForms);
    name = random.chance(0.3) ? `${name}, ${form}` : `${name} ${form}`;
  }
  if (name.includes('&') && random.chance(0.5)) name = name.replace('&', 'and');
  else if (name.includes(' and ') && random.chance(0.5)) name = name.replace(' and ', ' & ');
  if (random.chance(0.3)) name = stripAccents(name);
  if (random.chance(0.12)) name = typo(random, name);
  if (random.chance(0.05)) name = `The ${name}`;
  const casing = random.int(0, 9);
  if (casing === 0) name = name.toUpperCase();
  else if (casing === 1) name = name.toLowerCase();
  if (random.chance(0.05)) name = `  ${name.replace(' ', '  ')} `;
  return name;
}

export function domainVariant(random: SeededRandom, org: Organisation): string {
  const roll = random.int(0, 99);
  if (!org.domain || roll < 12) return '';
  if (roll < 20)
    return random.chance(0.5)
      ? random.pick(FREE_MAIL)
      : `${slug(org.name).slice(0, 6)}@${random.pick(FREE_MAIL)}`;
  if (roll < 30) return `www.${org.domain}`;
  if (roll < 38) return `https://www.${org.domain}/${random.pick(['', 'about', 'contact-us'])}`;
  if (roll < 44) return `${random.pick(['shop', 'eu', 'portal', 'partners'])}.${org.domain}`;
  if (roll < 50) return `${random.pick(['info', 'sales', 'j.doe'])}@${org.domain}`;
  if (roll < 55) return org.domain.toUpperCase();
  return org.domain;
}

/**
 * A labelled set of partner records: organisations (hard negatives share a word, or a name in another
 * country) and 1–4 records each from several sources, varied as real CRM data is (legal forms,
 * punctuation, case, &/and, diacritics, typos, www/sub-domains/URLs/e-mails, free-mail, blanks).
 */
export function labelledCompanies(options: {
  seed: number;
  organisations: number;
}): LabelledRecord[] {
  const random = new SeededRandom(options.seed);
  const organisations: Organisation[] = [];
  const usedNames = new Set<string>();
  const usedDomains = new Set<string>();
  const stems: string[] = [];
  for (let i = 0; organisations.length < options.organisations; i++) {
    const industry = random.pick(Object.keys(INDUSTRIES)) as keyof typeof INDUSTRIES;
    const sector = random.pick(INDUSTRIES[industry]);
    // A third of organisations reuse an earlier stem with another sector word: the hard negatives.
    // Big sets take a second word more often, so that the name space grows with the set instead of
    // filling up with accidental namesakes.
    const twoWords = Math.round(15 + 70 * Math.min(1, options.organisations / 60_000));
    const stem =
      stems.length > 0 && random.chance(0.33)
        ? random.pick(stems)
        : random.weighted([
            [`${random.pick(NAME_STEMS)}${random.pick(NAME_ROOTS)}`, 85 - twoWords],
            [
              `${random.pick(NAME_STEMS)}${random.pick(NAME_ROOTS)} ${random.pick(SECOND_WORDS)}`,
              twoWords,
            ],
            [`${random.pick(SURNAMES)} & ${random.pick(SURNAMES)}`, 7],
            [`${random.pick(ACCENTED)} ${random.pick(SECOND_WORDS)}`, 8],
          ] as const);
    stems.push(stem);
    const name = `${stem} ${sector}`;
    let country = random.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    // A few are namesakes: the same name as another organisation, in another country, under another domain.
    const namesake = usedNames.has(name) && random.chance(0.2);
    if (usedNames.has(name) && !namesake) continue;
    usedNames.add(name);
    const earlier = namesake ? organisations.find((o) => o.name === name) : undefined;
    while (earlier && country === earlier.country) country = random.pick(COUNTRIES);
    let domain: string | undefined =
      `${slug(name)}${namesake ? random.pick(['group', 'global', 'intl']) : ''}.${country.tld}`;
    if (usedDomains.has(domain) || random.chance(0.05)) domain = undefined;
    if (domain) usedDomains.add(domain);
    organisations.push({ id: `org-${i}`, name, domain, country });
  }

  const records: LabelledRecord[] = [];
  for (const org of organisations) {
    const count = random.weighted([
      [1, 40],
      [2, 30],
      [3, 20],
      [4, 10],
    ] as const);
    for (let k = 0; k < count; k++) {
      const spellings = COUNTRY_SPELLINGS[org.country.name] ?? [org.country.name];
      records.push({
        record_id: `rec-${records.length + 1}`,
        source: SOURCES[k % SOURCES.length]!,
        name: nameVariant(random, org),
        domain: domainVariant(random, org),
        country: random.chance(0.2) ? '' : random.pick(spellings),
        organisation: org.id,
      });
    }
  }
  // Shuffled, so that file order says nothing about the answer.
  return random.sample(records, records.length);
}
