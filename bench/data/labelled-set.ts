import { SeededRandom } from '../../server/sandbox/seed/random';
import {
  COUNTRIES,
  type Country,
  INDUSTRIES,
  NAME_ROOTS,
  NAME_STEMS,
} from '../../server/sandbox/seed/vocabulary';
import {
  ACCENTED,
  COUNTRY_SPELLINGS,
  domainVariant,
  FREE_MAIL,
  nameVariant,
  SECOND_WORDS,
  slug,
  SOURCES,
  SURNAMES,
} from './labelled-companies';
import {
  abbreviationName,
  acronymName,
  countryOfSuffix,
  genericName,
  nameForm,
  numberPair,
  otherCountry,
  siblingSectors,
  type VariantKind,
  type VariantOrganisation,
} from './variant-organisations';

export interface LabelledRecord {
  record_id: string;
  source: string;
  name: string;
  domain: string;
  country: string;
  /** The organisation the record belongs to: the answer key. */
  organisation: string;
  /** The rest is for the bench's figures per kind, not CSV columns. */
  kind: VariantKind;
  form: string;
  shortForms: string[];
  /** The public suffix of the record's company domain, when it shows one. */
  suffix: string | undefined;
  /** The country meant before it was spelled; '' when the record has none. */
  countryMeant: string;
  negatives: string[];
}

const sectorOf = (random: SeededRandom) =>
  random.pick(INDUSTRIES[random.pick(Object.keys(INDUSTRIES)) as keyof typeof INDUSTRIES]);

/**
 * A labelled set of partner records: organisations and 1–4 records each from several sources,
 * varied as real CRM data is (legal forms, punctuation, case, &/and, diacritics, typos,
 * www/sub-domains/URLs/e-mails, free-mail, blanks). Of the organisations, in these shares:
 * abbreviated words 15 %, a generic word one source drops 10 %, one brand on two country suffixes
 * 7 %, known by an acronym 3 %; hard negatives: one brand in other industries (a third reuse a
 * stem), the same domain label under another suffix for another business 3 % (pairs), look-alike
 * siblings 4 %, names apart by a number 2 %, namesakes in another country, shared free-mail.
 */
export function labelledCompanies(options: {
  seed: number;
  organisations: number;
}): LabelledRecord[] {
  const random = new SeededRandom(options.seed);
  const organisations = generateOrganisations(random, options.organisations);
  const records: LabelledRecord[] = [];
  for (const org of organisations) {
    const count = random.weighted([
      [1, 40],
      [2, 30],
      [3, 20],
      [4, 10],
    ] as const);
    for (let k = 0; k < count; k++) records.push(record(random, org, k, records.length + 1));
  }
  // Shuffled, so that file order says nothing about the answer.
  return random.sample(records, records.length);
}

function record(
  random: SeededRandom,
  org: VariantOrganisation,
  k: number,
  n: number,
): LabelledRecord {
  const form = nameForm(random, org);
  const domain = org.domains.length > 0 ? random.pick(org.domains) : undefined;
  const suffix = domain?.slice(domain.indexOf('.') + 1);
  let country: Country | undefined = org.country;
  if (org.kind === 'multi_tld' && suffix) {
    const roll = random.int(0, 99);
    country =
      roll < 60 ? (countryOfSuffix(suffix) ?? org.country) : roll < 85 ? org.country : undefined;
  } else if (random.chance(0.2)) country = undefined;
  const base = { id: org.id, name: form.name, domain, country: country ?? org.country };
  const domainText = domainVariant(random, base);
  const freeMail = FREE_MAIL.find((mail) => domainText.toLowerCase().endsWith(mail));
  const spellings = country ? (COUNTRY_SPELLINGS[country.name] ?? [country.name]) : [''];
  return {
    record_id: `rec-${n}`,
    source: SOURCES[k % SOURCES.length]!,
    name: nameVariant(random, base),
    domain: domainText,
    country: random.pick(spellings),
    organisation: org.id,
    kind: org.kind,
    form: form.form,
    shortForms: form.shortForms,
    suffix: domain && domainText.toLowerCase().includes(domain) ? suffix : undefined,
    countryMeant: country?.name ?? '',
    negatives: freeMail ? [...org.negatives, `freemail:${freeMail}`] : org.negatives,
  };
}

function generateOrganisations(random: SeededRandom, total: number): VariantOrganisation[] {
  const organisations: VariantOrganisation[] = [];
  const usedNames = new Set<string>();
  const usedLabels = new Set<string>();
  const stems: string[] = [];
  // Big sets take a second word more often, so that the name space grows with the set instead of
  // filling up with accidental namesakes.
  const twoWords = Math.round(15 + 70 * Math.min(1, total / 60_000));
  const nextStem = () => {
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
    return stem;
  };
  const claim = (label: string) => !usedLabels.has(label) && Boolean(usedLabels.add(label));
  const fresh = (...names: string[]) => {
    if (names.some((name) => usedNames.has(name))) return false;
    names.forEach((name) => usedNames.add(name));
    return true;
  };
  const add = (org: Omit<VariantOrganisation, 'negatives'>, ...negatives: string[]) =>
    organisations.push({ ...org, negatives });

  for (let i = 0; organisations.length < total; i++) {
    const id = `org-${i}`;
    const roll = random.int(0, 99);
    const stem = nextStem();
    const brand = `brand:${stem}`;
    const country = random.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    const ownDomain = (name: string, c: Country) =>
      !random.chance(0.05) && claim(slug(name)) ? [`${slug(name)}.${c.tld}`] : [];

    if (roll < 15) {
      const { name, abbreviable } = abbreviationName(random, stem);
      if (!fresh(name)) continue;
      add(
        { id, name, domains: ownDomain(name, country), country, kind: 'abbreviation', abbreviable },
        brand,
      );
    } else if (roll < 25) {
      const { name, generic } = genericName(random, stem);
      // Without its generic word it is the same name: no other organisation may have that one.
      if (!fresh(name, name.replace(generic, '').replace(/\s+/g, ' ').trim())) continue;
      add(
        { id, name, domains: ownDomain(name, country), country, kind: 'generic_word', generic },
        brand,
      );
    } else if (roll < 32) {
      const name = `${stem} ${sectorOf(random)}`;
      const label = random.chance(0.5) && !usedLabels.has(slug(stem)) ? slug(stem) : slug(name);
      if (!fresh(name) || !claim(label)) continue;
      const second = otherCountry(random, country);
      const domains = [`${label}.${country.tld}`, `${label}.${second.tld}`];
      add({ id, name, domains, country, kind: 'multi_tld' }, brand);
    } else if (roll < 35) {
      const { name, acronym } = acronymName(random, stem);
      const label = acronym.toLowerCase();
      if (!fresh(name) || !claim(label)) continue;
      const suffixes = random.chance(0.3) ? [country, otherCountry(random, country)] : [country];
      const domains = suffixes.map((c) => `${label}.${c.tld}`);
      add({ id, name, domains, country, kind: 'acronym', acronym }, brand);
    } else if (roll < 38) {
      // Another business of the brand under the same label and another suffix (acme.de / acme.com).
      const names = [`${stem} ${sectorOf(random)}`, `${stem} ${sectorOf(random)}`] as const;
      if (names[0] === names[1] || !fresh(...names) || !claim(slug(stem))) continue;
      const second = otherCountry(random, country);
      add(
        { id, name: names[0], domains: [`${slug(stem)}.${country.tld}`], country, kind: 'plain' },
        brand,
        `label:${i}`,
      );
      add(
        {
          id: `${id}b`,
          name: names[1],
          domains: [`${slug(stem)}.${second.tld}`],
          country: second,
          kind: 'plain',
        },
        brand,
        `label:${i}`,
      );
    } else if (roll < 44) {
      const [x, y] = roll < 42 ? siblingSectors(random) : numberPair(random);
      const sector = sectorOf(random);
      const names =
        roll < 42
          ? [`${stem} ${x}`, `${stem} ${y}`]
          : [`${stem} ${x} ${sector}`, `${stem} ${y} ${sector}`];
      if (!fresh(...names)) continue;
      const group = roll < 42 ? `sibling:${i}` : `number:${i}`;
      names.forEach((name, k) =>
        add(
          {
            id: k === 0 ? id : `${id}b`,
            name,
            domains: ownDomain(name, country),
            country,
            kind: 'plain',
          },
          brand,
          group,
        ),
      );
    } else {
      addPlain(random, { id, stem, country, brand, organisations, usedNames, claim });
    }
  }
  return organisations.slice(0, total);
}

/** The original set's organisations: a stem and a sector; a few are namesakes in another country. */
function addPlain(
  random: SeededRandom,
  context: {
    id: string;
    stem: string;
    country: Country;
    brand: string;
    organisations: VariantOrganisation[];
    usedNames: Set<string>;
    claim: (label: string) => boolean;
  },
) {
  const { id, stem, brand, organisations, usedNames, claim } = context;
  let country = context.country;
  const name = `${stem} ${sectorOf(random)}`;
  const namesake = usedNames.has(name) && random.chance(0.2);
  if (usedNames.has(name) && !namesake) return;
  usedNames.add(name);
  const earlier = namesake ? organisations.find((o) => o.name === name) : undefined;
  if (namesake && !earlier) return;
  while (earlier && country === earlier.country) country = random.pick(COUNTRIES);
  const label = `${slug(name)}${namesake ? random.pick(['group', 'global', 'intl']) : ''}`;
  const domains = !random.chance(0.05) && claim(label) ? [`${label}.${country.tld}`] : [];
  const negatives = [brand];
  if (earlier) {
    earlier.negatives = [...earlier.negatives, `namesake:${name}`];
    negatives.push(`namesake:${name}`);
  }
  organisations.push({ id, name, domains, country, kind: 'plain', negatives });
}
