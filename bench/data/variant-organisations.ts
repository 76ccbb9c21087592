import type { SeededRandom } from '../../server/sandbox/seed/random';
import { COUNTRIES, type Country, INDUSTRIES } from '../../server/sandbox/seed/vocabulary';
import {
  ABBREVIATIONS,
  ACRONYM_WORDS,
  GENERIC_WORDS,
  LEADING_GENERIC_WORDS,
  LOOK_ALIKE_SIBLINGS,
  NUMBER_PAIRS,
} from './business-words';

/** What is hard about an organisation's records (issue 12's variant kinds; `plain` is the rest). */
export type VariantKind = 'plain' | 'abbreviation' | 'generic_word' | 'multi_tld' | 'acronym';

export interface VariantOrganisation {
  id: string;
  /** The name as the organisation writes it in full. */
  name: string;
  /** Its company domains: one, or one per country suffix (multi_tld), or none. */
  domains: string[];
  country: Country;
  kind: VariantKind;
  /** abbreviation: the words of the name that have short forms. */
  abbreviable?: string[];
  /** generic_word: the generic word in the full name. */
  generic?: string;
  /** acronym: the initials the organisation goes by. */
  acronym?: string;
  /** Hard-negative groups the organisation belongs to ("brand:Northwind", "sibling:3"). */
  negatives: string[];
}

/** How one record writes its organisation's name, before the usual CRM noise is added. */
export interface NameForm {
  name: string;
  /** What tells this record's form apart within its kind: two records with different forms exercise the kind. */
  form: string;
  /** The short forms used, as "short>long" (lower case). */
  shortForms: string[];
}

const sectorOf = (random: SeededRandom) =>
  random.pick(INDUSTRIES[random.pick(Object.keys(INDUSTRIES)) as keyof typeof INDUSTRIES]);
const ABBREVIABLE = Object.keys(ABBREVIATIONS);

/** A name with one or two words that have short forms ("Northwind Intl Logistics"). */
export function abbreviationName(random: SeededRandom, stem: string) {
  const words = random.sample(ABBREVIABLE, 2);
  const shape = random.int(0, 3);
  const name =
    shape === 0 || shape === 1
      ? `${stem} ${words[0]}`
      : shape === 2
        ? `${stem} ${words[0]} ${sectorOf(random)}`
        : `${stem} ${words[0]} ${words[1]}`;
  return { name, abbreviable: shape === 3 ? words : [words[0]!] };
}

/** A name with a generic organisation word, most often at the end ("Northwind Capital Group"). */
export function genericName(random: SeededRandom, stem: string) {
  const sector = sectorOf(random);
  if (random.chance(0.1)) {
    const generic = random.pick(LEADING_GENERIC_WORDS);
    return { name: `${generic} ${stem} ${sector}`, generic };
  }
  const generic = random.pick(GENERIC_WORDS);
  return { name: `${stem} ${sector} ${generic}`, generic };
}

/** A name of three words and its initials ("Northwind Business Machines", NBM). */
export function acronymName(random: SeededRandom, stem: string) {
  const [second, third] = random.sample(ACRONYM_WORDS, 2) as [string, string];
  const name = `${stem} ${second} ${third}`;
  const initials = name.split(' ').map((word) => word[0]);
  return { name, acronym: initials.join('').toUpperCase() };
}

export const siblingSectors = (random: SeededRandom) => random.pick(LOOK_ALIKE_SIBLINGS);
export const numberPair = (random: SeededRandom) => random.pick(NUMBER_PAIRS);

/** Another country than `country`, for a second domain suffix or a namesake. */
export function otherCountry(random: SeededRandom, country: Country): Country {
  if (country.tld !== 'com') return COUNTRIES[0];
  let other = random.pick(COUNTRIES);
  while (other === country) other = random.pick(COUNTRIES);
  return other;
}

export const countryOfSuffix = (suffix: string) => COUNTRIES.find((c) => c.tld === suffix);

function shortForm(random: SeededRandom, word: string): string {
  const short = random.pick(ABBREVIATIONS[word]!);
  return random.chance(0.2) && !short.endsWith('.') && !short.includes("'") ? `${short}.` : short;
}

const normal = (text: string) => text.toLowerCase().replace(/[.']/g, '');

/** How a record of this organisation writes the name (each source decides on its own). */
export function nameForm(random: SeededRandom, org: VariantOrganisation): NameForm {
  if (org.kind === 'abbreviation') {
    let name = org.name;
    const shortened: string[] = [];
    const shortForms: string[] = [];
    for (const word of org.abbreviable!) {
      if (!random.chance(0.5)) continue;
      const short = shortForm(random, word);
      name = name.replace(word, short);
      shortened.push(word);
      shortForms.push(`${normal(short)}>${word.toLowerCase()}`);
    }
    return { name, form: shortened.sort().join(','), shortForms };
  }
  if (org.kind === 'generic_word' && random.chance(0.45)) {
    const name = org.name.replace(org.generic!, '').replace(/\s+/g, ' ').trim();
    return { name, form: 'without', shortForms: [] };
  }
  if (org.kind === 'acronym' && random.chance(0.35)) {
    const dotted = random.chance(0.25);
    return {
      name: dotted ? `${[...org.acronym!].join('.')}.` : org.acronym!,
      form: 'acronym',
      shortForms: [],
    };
  }
  if (org.kind === 'plain' && random.chance(0.15)) {
    // Anyone may shorten a word now and then, siblings too ("Northwind Tech" for Technologies).
    const word = org.name.split(' ').find((w) => ABBREVIATIONS[w]);
    if (word)
      return { name: org.name.replace(word, shortForm(random, word)), form: '', shortForms: [] };
  }
  return { name: org.name, form: org.kind === 'plain' ? '' : 'full', shortForms: [] };
}
