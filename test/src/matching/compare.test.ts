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
