import { compareRecords, DEFAULT_NAME_THRESHOLD } from '../../../src/matching/compare';
import { normalizeName } from '../../../src/matching/name';
import { type MatchInput, prepareRecord } from '../../../src/matching/prepare';
import { nameSimilarity, oneTypoApart } from '../../../src/matching/similarity';

const settings = { nameThreshold: DEFAULT_NAME_THRESHOLD };
let ids = 0;
const record = (fields: Omit<MatchInput, 'id'>) => prepareRecord({ id: `r${++ids}`, ...fields });
const compare = (a: Omit<MatchInput, 'id'>, b: Omit<MatchInput, 'id'>) =>
  compareRecords(record(a), record(b), settings);
const similarity = (a: string, b: string) => nameSimilarity(normalizeName(a)!, normalizeName(b)!);

describe('oneTypoApart', () => {
  it.each([
    ['northwind', 'northwnid', true],
    ['northwind', 'nortwind', true],
    ['northwind', 'northwindd', true],
    ['northwind', 'northwand', true],
    ['northwind', 'northwind', false],
    ['northwind', 'nrothwnid', false],
    ['traders', 'trading', false],
  ])('%s / %s → %s', (a, b, expected) => {
    expect(oneTypoApart(a, b)).toBe(expected);
    expect(oneTypoApart(b, a)).toBe(expected);
  });
});

describe('name similarity', () => {
  it('is 1 for names equal once normalised, in any word order or spacing', () => {
    expect(similarity('ACME, Inc.', 'Acme Incorporated')).toBe(1);
    expect(similarity('North Wind Analytics', 'Northwind Analytics LLC')).toBe(1);
    expect(similarity('Bank of Ohio', 'Ohio Bank of')).toBe(1);
  });

  it('forgives one typo per word of five letters or more', () => {
    expect(similarity('Northwind Analytics', 'Northwnid Analytics')).toBeGreaterThanOrEqual(0.9);
    expect(similarity('Globex', 'Globx')).toBeGreaterThanOrEqual(0.9);
  });

  it('does not forgive typos in short names, nor two typos in one word', () => {
    expect(similarity('Acme', 'Acne')).toBe(0);
    expect(similarity('Cobaltwell Bank', 'Cobalthill Bank')).toBeLessThan(0.9);
  });

  it('keeps hard negatives that share a word below the threshold', () => {
    expect(similarity('Northwind Analytics', 'Northwind Health')).toBeLessThan(0.9);
    expect(similarity('Acme Software', 'Acme')).toBeLessThan(0.9);
  });

  it('never matches names whose numbers differ', () => {
    expect(similarity('Studio 54 Productions', 'Studio 45 Productions')).toBe(0);
  });
});

describe('compareRecords', () => {
  it('matches on the registrable domain whatever the names, and says so', () => {
    const result = compare(
      { name: 'IBM', domain: 'https://www.ibm.com' },
      { name: 'International Business Machines', domain: 'research.ibm.com' },
    );
    expect(result).toEqual({
      match: true,
      score: 1,
      evidence: [{ kind: 'domain', domain: 'ibm.com' }],
    });
  });

  it('matches on the name when there is no domain to compare, with the score as evidence', () => {
    const result = compare(
      { name: 'Acme Corp', domain: '' },
      { name: 'ACME Corporation', domain: 'acme.com' },
    );
    expect(result.match).toBe(true);
    expect(result.evidence).toEqual([{ kind: 'name', score: 1, left: 'acme', right: 'acme' }]);
  });

  it('never matches on a shared free-mail domain', () => {
    expect(
      compare({ name: 'Acme', domain: 'gmail.com' }, { name: 'Globex', domain: 'jane@gmail.com' })
        .match,
    ).toBe(false);
  });

  it('lets a free-mail domain fall back to the name', () => {
    expect(
      compare(
        { name: 'Acme Software', domain: 'gmail.com' },
        { name: 'Acme Software Inc', domain: 'acme.io' },
      ).match,
    ).toBe(true);
  });

  it('needs identical names when the company domains conflict', () => {
    const typo = compare(
      { name: 'Auroraridge Payments', domain: 'auroraridge.com' },
      { name: 'Aurorabridge Payments', domain: 'aurorabridge.com' },
    );
    expect(typo.match).toBe(false);
    expect(typo.evidence).toContainEqual({
      kind: 'domain_conflict',
      left: 'auroraridge.com',
      right: 'aurorabridge.com',
    });
    expect(
      compare({ name: 'Acme Inc', domain: 'acme.com' }, { name: 'Acme', domain: 'acmecorp.com' })
        .match,
    ).toBe(true);
  });

  it('does not see a conflict between one brand under two country suffixes, and says so', () => {
    expect(
      compare(
        { name: 'Acme Inc', domain: 'acme.com' },
        { name: 'Acme GmbH', domain: 'acme.de' },
      ).evidence.map((e) => e.kind),
    ).toEqual(['domain_label', 'name']);
  });

  it('keeps namesakes in different countries apart unless a domain joins them', () => {
    expect(
      compare(
        { name: 'Delta Consulting', country: 'USA' },
        { name: 'Delta Consulting', country: 'Germany' },
      ).match,
    ).toBe(false);
    expect(
      compare(
        { name: 'Delta Consulting', country: 'United States' },
        { name: 'Delta Consulting Inc', country: 'US' },
      ).match,
    ).toBe(true);
    expect(
      compare(
        { name: 'Delta', domain: 'delta.com', country: 'US' },
        { name: 'Delta', domain: 'delta.com', country: 'DE' },
      ).match,
    ).toBe(true);
  });

  it("uses the tenant's threshold", () => {
    const a = record({ name: 'Northwind Analytics' });
    const b = record({ name: 'Northwnid Analytics' });
    expect(compareRecords(a, b, { nameThreshold: 0.9 }).match).toBe(true);
    expect(compareRecords(a, b, { nameThreshold: 0.99 }).match).toBe(false);
  });
});

describe('abbreviations and generic words (issue 12)', () => {
  it('matches a name with its words abbreviated, in either record', () => {
    expect(similarity('Northwind Intl Labs', 'Northwind International Laboratories')).toBe(1);
    expect(similarity('Bluepeak Manufacturing Svcs', 'Bluepeak Mfg Services Inc')).toBe(1);
  });

  it('lowers the score a little for a generic word present in one name only, and never blocks', () => {
    const score = similarity('Northwind Capital Group', 'Northwind Capital');
    expect(score).toBeLessThan(1);
    expect(score).toBeGreaterThanOrEqual(DEFAULT_NAME_THRESHOLD);
    expect(similarity('Northwind Holdings', 'Northwind')).toBeGreaterThanOrEqual(
      DEFAULT_NAME_THRESHOLD,
    );
    expect(similarity('Northwind Intl', 'Northwind Group')).toBeLessThan(1);
  });

  it('does not let a generic word stand in for a sector word', () => {
    expect(similarity('Northwind Group', 'Northwind Health')).toBeLessThan(DEFAULT_NAME_THRESHOLD);
  });
});

describe('acronyms (issue 12)', () => {
  it('matches "IBM" with "International Business Machines" when the domain label agrees', () => {
    const result = compare(
      { name: 'IBM', domain: 'ibm.de', country: 'US' },
      { name: 'International Business Machines Corp', domain: 'ibm.com', country: 'US' },
    );
    expect(result.match).toBe(true);
    expect(result.evidence).toContainEqual({
      kind: 'acronym',
      acronym: 'ibm',
      expansion: 'international business machines',
      support: 'domain_label',
    });
    expect(
      compare(
        { name: 'I.B.M.', domain: '' },
        { name: 'International Business Machines', domain: 'www.ibm.com' },
      ).match,
    ).toBe(true);
  });

  it('never matches on the acronym alone, nor against other evidence', () => {
    const full = { name: 'International Business Machines', domain: 'ibm.com', country: 'US' };
    expect(compare({ name: 'IBM' }, { name: 'International Business Machines' }).match).toBe(false);
    expect(compare({ name: 'IBM', country: 'DE' }, full).match).toBe(false);
    expect(compare({ name: 'IBM', domain: 'ibm-partners.com' }, full).match).toBe(false);
  });

  it('matches "NBM" on nbm.com with "Northwind Business Machines" without a domain in the same country', () => {
    const result = compare(
      { name: 'NBM LLC', domain: 'www.nbm.com', country: 'United States' },
      { name: 'Northwind Business Machines', domain: 'jane.doe@gmail.com', country: 'USA' },
    );
    expect(result.match).toBe(true);
    expect(result.evidence).toContainEqual({
      kind: 'acronym',
      acronym: 'nbm',
      expansion: 'northwind business machines',
      support: 'country',
    });
  });

  it('needs, for a match by country, the acronym as its own domain, the same country, no other domain and three letters', () => {
    const full = { name: 'Northwind Business Machines', domain: '', country: 'US' };
    // No country on one side, or two countries.
    expect(compare({ name: 'NBM', domain: 'nbm.com' }, { ...full, country: '' }).match).toBe(false);
    expect(compare({ name: 'NBM', domain: 'nbm.com', country: 'DE' }, full).match).toBe(false);
    // The acronym's record has no domain, or one that is not the acronym.
    expect(compare({ name: 'NBM', domain: '', country: 'US' }, full).match).toBe(false);
    expect(compare({ name: 'NBM', domain: 'nbm-tools.com', country: 'US' }, full).match).toBe(
      false,
    );
    // A private suffix: a shop called nbm on a platform.
    expect(compare({ name: 'NBM', domain: 'nbm.myshopify.com', country: 'US' }, full).match).toBe(
      false,
    );
    // The spelled-out record has a company domain of another brand.
    expect(
      compare(
        { name: 'NBM', domain: 'nbm.com', country: 'US' },
        { ...full, domain: 'northwind.com' },
      ).match,
    ).toBe(false);
    // Two letters stand for too many names.
    expect(
      compare(
        { name: 'NB', domain: 'nb.com', country: 'US' },
        { name: 'Northwind Bank', domain: '', country: 'US' },
      ).match,
    ).toBe(false);
  });
});

describe('one brand on several country suffixes (issue 12)', () => {
  it('matches acme.de and acme.com when the names agree, whatever the countries', () => {
    const result = compare(
      { name: 'Acme GmbH', domain: 'acme.de', country: 'Germany' },
      { name: 'Acme Inc', domain: 'https://www.acme.com', country: 'US' },
    );
    expect(result.match).toBe(true);
    expect(result.evidence).toContainEqual({
      kind: 'domain_label',
      label: 'acme',
      left: 'acme.de',
      right: 'acme.com',
    });
  });

  it('keeps them apart when the names differ', () => {
    expect(
      compare(
        { name: 'Acme Analytics', domain: 'acme.de', country: 'DE' },
        { name: 'Acme Robotics', domain: 'acme.com', country: 'US' },
      ).match,
    ).toBe(false);
  });

  it('does not read one label under two private suffixes as one brand', () => {
    expect(
      compare(
        { name: 'Acme', domain: 'acme.myshopify.com', country: 'DE' },
        { name: 'Acme', domain: 'acme.com', country: 'US' },
      ).match,
    ).toBe(false);
  });

  it('still reads e-mail addresses and mailto: in the domain column', () => {
    expect(
      compare(
        { name: 'Acme GmbH', domain: 'mailto:j.doe@acme.de', country: 'DE' },
        { name: 'Acme Inc', domain: 'sales@acme.com', country: 'US' },
      ).match,
    ).toBe(true);
  });
});

describe('the precision guards stay (issue 12)', () => {
  it('keeps one brand in another industry apart', () => {
    expect(compare({ name: 'Northwind Analytics' }, { name: 'Northwind Robotics' }).match).toBe(
      false,
    );
  });

  it('keeps look-alike siblings apart, and says they clearly differ', () => {
    const result = compare({ name: 'Acme Consulting' }, { name: 'Acme Construction' });
    expect(result.match).toBe(false);
    expect(result.evidence).toContainEqual({
      kind: 'word_conflict',
      left: 'consulting',
      right: 'construction',
    });
    expect(compare({ name: 'Acme Care' }, { name: 'Acme Careers' }).match).toBe(false);
    expect(compare({ name: 'Acme Pharma' }, { name: 'Acme Pharmacy' }).match).toBe(false);
  });

  it('keeps names that differ only by a number apart, abbreviated or not', () => {
    expect(compare({ name: 'Studio 54 Intl' }, { name: 'Studio 45 International' }).match).toBe(
      false,
    );
  });

  it('never merges on a shared free-mail domain, however the names are abbreviated', () => {
    expect(
      compare(
        { name: 'Northwind Intl', domain: 'gmail.com' },
        { name: 'Southgate International', domain: 'gmail.com' },
      ).match,
    ).toBe(false);
  });
});
