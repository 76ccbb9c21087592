import { CandidateIndex } from '../../../src/matching/candidate-index';
import { prepareRecord } from '../../../src/matching/prepare';

const records = [
  { id: 'a', name: 'Sunrisepoint Insurance', domain: '' },
  { id: 'b', name: 'Sunrsiepoint Insurance KK', domain: '' },
  { id: 'c', name: 'Globex', domain: 'globex.com' },
  { id: 'd', name: 'Something else', domain: 'https://www.globex.com' },
  { id: 'e', name: 'Unrelated Widgets', domain: '' },
].map(prepareRecord);

describe('CandidateIndex', () => {
  const index = new CandidateIndex(records);
  const candidatesOf = (i: number) =>
    index
      .candidates(i)
      .map((j) => records[j]!.id)
      .sort();

  it('finds records that share a domain', () => {
    expect(candidatesOf(2)).toContain('d');
  });

  it('finds a typo in the distinctive word', () => {
    expect(candidatesOf(0)).toContain('b');
  });

  it('does not propose unrelated records, nor the record itself', () => {
    expect(candidatesOf(4)).toEqual([]);
    expect(candidatesOf(0)).not.toContain('a');
  });

  it('answers for a record that is not in the index', () => {
    const outside = prepareRecord({ id: 'x', name: 'Sunrisepoint Insurance Ltd' });
    expect(
      index
        .candidates(-1, outside)
        .map((j) => records[j]!.id)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('skips blocks too common to mean anything, without an all-pairs scan', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      prepareRecord({ id: `s${i}`, name: `Company${i} Solutions` }),
    );
    const big = new CandidateIndex(many);
    expect(big.candidates(0).length).toBeLessThan(60);
  });

  describe('for the variants of issue 12', () => {
    const variants = [
      { id: 'full', name: 'Northwind International Manufacturing', domain: '' },
      { id: 'short', name: 'Northwind Intl Mfg', domain: '' },
      { id: 'group', name: 'Keystone Capital Group', domain: '' },
      { id: 'nogroup', name: 'Keystone Capital', domain: '' },
      { id: 'de', name: 'Acme GmbH', domain: 'acme.de' },
      { id: 'com', name: 'Acme Inc', domain: 'acme.com' },
      { id: 'acronym', name: 'IBM', domain: '' },
      { id: 'expanded', name: 'International Business Machines', domain: 'ibm.com' },
      { id: 'own-domain', name: 'NBM', domain: 'nbm.com' },
      { id: 'no-domain', name: 'Northwind Business Machines', domain: '' },
    ].map(prepareRecord);
    const variantIndex = new CandidateIndex(variants);
    const meets = (a: string, b: string) =>
      variantIndex
        .candidates(variants.findIndex((r) => r.id === a))
        .map((j) => variants[j]!.id)
        .includes(b);

    it('finds a name with its words abbreviated', () => expect(meets('short', 'full')).toBe(true));
    it('finds a name without its generic word', () => expect(meets('nogroup', 'group')).toBe(true));
    it('finds one brand under another suffix', () => expect(meets('de', 'com')).toBe(true));
    it('finds an acronym by the domain label it is', () =>
      expect(meets('acronym', 'expanded')).toBe(true));
    it('finds a spelled-out name without a domain by the domain label its initials are', () =>
      expect(meets('no-domain', 'own-domain')).toBe(true));
  });
});
