import fc from 'fast-check';

import { normalizeName } from '../../../src/matching/name';

const text = (raw: string) => normalizeName(raw)?.text;

describe('normalizeName', () => {
  it('lower-cases, folds diacritics and letters decomposition leaves whole', () => {
    expect(text('Société Générale')).toBe('societe generale');
    expect(text('Ørsted Wind Power')).toBe('orsted wind power');
    expect(text('Straße Łódź Þór')).toBe('strasse lodz thor');
    expect(text('ＡＣＭＥ Ｔｒａｄｉｎｇ')).toBe('acme trading');
  });

  it('reads & and + as "and"', () => {
    expect(text('Smith & Jones Consulting')).toBe('smith and jones consulting');
    expect(text('Smith+Jones Consulting')).toBe('smith and jones consulting');
  });

  it('drops punctuation, joining dotted abbreviations and apostrophes', () => {
    expect(text("O'Reilly Media, Inc.")).toBe('oreilly media');
    expect(text('A.B.C. Consulting (Europe)')).toBe('abc consulting europe');
    expect(text('Rolls-Royce')).toBe('rolls royce');
  });

  it('drops a leading "The" and collapses spaces', () => {
    expect(text('  The   Northwind   Group ')).toBe('northwind group');
    expect(text('The')).toBe('the');
  });

  it.each([
    [
      'US',
      'Acme Incorporated',
      'Acme, Inc.',
      'Acme Corp.',
      'Acme LLC',
      'Acme L.L.C.',
      'Acme Co.',
      'Acme Company',
    ],
    ['UK', 'Acme Ltd', 'Acme Limited', 'Acme PLC', 'Acme LLP'],
    [
      'DE/AT/CH',
      'Acme GmbH',
      'Acme AG',
      'Acme GmbH & Co. KG',
      'Acme UG (haftungsbeschränkt)',
      'Acme SE',
    ],
    ['FR', 'Acme SAS', 'Acme S.A.R.L.', 'Acme SA', 'Acme EURL'],
    ['ES', 'Acme S.L.', 'Acme S.A.U.', 'Acme SLU'],
    ['IT', 'Acme S.p.A.', 'Acme S.r.l.', 'Acme Srls'],
    ['NL/BE', 'Acme B.V.', 'Acme N.V.', 'Acme BVBA', 'Acme VOF'],
    [
      'Nordics',
      'Acme AB',
      'Acme AB (publ)',
      'Acme Oy',
      'Acme Oyj',
      'Acme AS',
      'Acme ASA',
      'Acme A/S',
      'Acme ApS',
    ],
    [
      'JP',
      'Acme K.K.',
      'Acme Kabushiki Kaisha',
      'Acme Co., Ltd.',
      'Acme GK',
      'Kabushiki Kaisha Acme',
    ],
    ['AU', 'Acme Pty Ltd', 'Acme Pty. Limited', 'Acme Proprietary Limited'],
    ['IN', 'Acme Pvt. Ltd.', 'Acme Private Limited', 'Acme LLP'],
    ['BR', 'Acme Ltda', 'Acme S/A', 'Acme S.A.', 'Acme EIRELI', 'Acme ME'],
  ])('drops the legal forms of %s', (_jurisdiction, ...names) => {
    for (const name of names) expect(text(name)).toBe('acme');
  });

  it('drops legal forms only at the end (or the Japanese leading form), and never the whole name', () => {
    expect(text('Company Solutions')).toBe('company solutions');
    expect(text('Limited Brands Inc')).toBe('limited brands');
    expect(text('GmbH')).toBe('gmbh');
    expect(text('Smith & Co')).toBe('smith');
  });

  it('has nothing to compare for a blank or all-punctuation name', () => {
    expect(normalizeName('  ')).toBeUndefined();
    expect(normalizeName('---')).toBeUndefined();
    expect(normalizeName(null)).toBeUndefined();
  });

  it('is idempotent: normalising a normalised name changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const once = normalizeName(raw);
        if (!once) return;
        expect(normalizeName(once.text)?.text).toBe(once.text);
      }),
      { numRuns: 2000 },
    );
  });
});
