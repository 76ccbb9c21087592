import fc from 'fast-check';

import { abbreviates, abbreviationPair } from '../../../src/matching/abbreviations';
import { isGenericWord } from '../../../src/matching/generic-words';

describe('abbreviates', () => {
  it.each([
    ['labs', 'laboratories'],
    ['tech', 'technologies'],
    ['assoc', 'associates'],
    ['bros', 'brothers'],
    ['pharma', 'pharmaceuticals'],
    ['telecom', 'telecommunications'],
    ['acad', 'academy'],
  ])('finds the cut %s of %s', (short, long) => {
    expect(abbreviates(short, long)).toBe(true);
  });

  it.each([
    ['intl', 'international'],
    ['mfg', 'manufacturing'],
    ['svcs', 'services'],
    ['mgmt', 'management'],
    ['natl', 'national'],
    ['hldgs', 'holdings'],
    ['ctr', 'centre'],
  ])('finds the contraction %s of %s', (short, long) => {
    expect(abbreviates(short, long)).toBe(true);
  });

  it('finds forms no list names, because the rule is not a list', () => {
    expect(abbreviates('envtl', 'environmental')).toBe(true);
    expect(abbreviates('rlty', 'realty')).toBe(true);
    expect(abbreviates('acctg', 'accounting')).toBe(true);
  });

  it('knows the few irregular forms the rule cannot find', () => {
    expect(abbreviates('xpress', 'express')).toBe(true);
    expect(abbreviates('whse', 'warehouse')).toBe(true);
  });

  it('reads both directions', () => {
    expect(abbreviationPair('international', 'intl')).toBe(true);
    expect(abbreviationPair('intl', 'international')).toBe(true);
  });

  describe('does not take look-alike words for abbreviations', () => {
    it.each([
      ['care', 'careers', 'too little is cut'],
      ['media', 'medical', 'too little is cut'],
      ['pharma', 'pharmacy', 'most of the word is kept'],
      ['intl', 'intelligence', 'it does not end on the last consonant'],
      ['tradrs', 'traders', 'one letter fewer is a typo'],
      ['consulting', 'construction', 'neither is shorter by a cut or a contraction'],
    ])('%s / %s: %s', (a, b) => {
      expect(abbreviationPair(a, b)).toBe(false);
    });
  });

  it('never calls a word its own abbreviation; the rule keeps the first letter', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{1,14}$/),
        fc.stringMatching(/^[a-z]{1,14}$/),
        (a, b) => {
          if (a === b) expect(abbreviationPair(a, b)).toBe(false);
          if (abbreviationPair(a, b) && !a.startsWith('x') && !b.startsWith('x'))
            expect(a[0]).toBe(b[0]);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('isGenericWord', () => {
  it('knows the words that say what kind of organisation, spelled out or short', () => {
    for (const word of ['group', 'holdings', 'company', 'partners', 'grp', 'hldgs', 'intl'])
      expect(isGenericWord(word)).toBe(true);
  });

  it('does not count sector words, which tell siblings apart', () => {
    for (const word of ['capital', 'software', 'health', 'consulting'])
      expect(isGenericWord(word)).toBe(false);
  });
});
