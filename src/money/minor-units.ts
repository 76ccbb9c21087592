import { currencyExponent, isCurrencyCode } from './currency';

export type MinorUnitsResult =
  { ok: true; value: bigint } | { ok: false; error: { code: 'MONEY.INVALID'; message: string } };

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * "12500.00" USD → 1250000n; "1250000" JPY → 1250000n. Exact: a value with more decimals than the
 * currency's minor unit is refused, not rounded.
 */
export function toMinorUnits(text: string, currency: string): MinorUnitsResult {
  const match = DECIMAL.exec(text.trim());
  if (!match)
    return {
      ok: false,
      error: { code: 'MONEY.INVALID', message: `"${text}" is not a decimal amount` },
    };
  if (!isCurrencyCode(currency))
    return {
      ok: false,
      error: { code: 'MONEY.INVALID', message: `${currency} is not an ISO 4217 currency` },
    };
  const exponent = currencyExponent(currency);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > exponent) {
    return {
      ok: false,
      error: {
        code: 'MONEY.INVALID',
        message: `"${text}" has more decimals than ${currency} allows (${exponent})`,
      },
    };
  }
  const digits = `${whole}${fraction.padEnd(exponent, '0').slice(0, exponent)}`;
  const value = BigInt(digits);
  return { ok: true, value: sign ? -value : value };
}
