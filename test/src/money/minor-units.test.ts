import { currencyExponent, isCurrencyCode } from '../../../src/money/currency';
import { toMinorUnits } from '../../../src/money/minor-units';

describe('money in minor units', () => {
  it('knows the ISO 4217 exponents', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([
      2, 0, 3,
    ]);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('XXX')).toBe(false);
    expect(isCurrencyCode('usd')).toBe(false);
  });

  it.each([
    ['12500.00', 'USD', 1250000n],
    ['12500', 'USD', 1250000n],
    ['0.5', 'USD', 50n],
    ['1250000', 'JPY', 1250000n],
    ['1.234', 'KWD', 1234n],
    ['100.50', 'JPY', undefined],
    ['-3.10', 'EUR', -310n],
  ])('reads %s %s exactly', (text, currency, expected) => {
    const result = toMinorUnits(text, currency);
    expect(result.ok ? result.value : undefined).toBe(expected);
  });

  it('refuses what is not a decimal, or too precise, or not a currency, without throwing', () => {
    expect(toMinorUnits('12,50', 'USD')).toMatchObject({
      ok: false,
      error: { code: 'MONEY.INVALID' },
    });
    expect(toMinorUnits('1.005', 'USD')).toMatchObject({
      ok: false,
      error: { message: '"1.005" has more decimals than USD allows (2)' },
    });
    expect(toMinorUnits('1', 'XYZ')).toMatchObject({ ok: false });
  });

  it('accepts trailing zeros beyond the exponent', () => {
    expect(toMinorUnits('1.2500', 'USD')).toEqual({ ok: true, value: 125n });
  });
});
