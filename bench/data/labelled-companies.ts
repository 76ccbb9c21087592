import { SeededRandom } from '../../server/sandbox/seed/random';
import type { Country } from '../../server/sandbox/seed/vocabulary';

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
export const SURNAMES = [
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
export const ACCENTED = [
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
export const FREE_MAIL = [
  'gmail.com',
  'hotmail.com',
  'outlook.com',
  'yahoo.com',
  'gmx.de',
  'orange.fr',
];
export const SOURCES = ['hubspot', 'salesforce', 'program'];
export const COUNTRY_SPELLINGS: Record<string, string[]> = {
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
