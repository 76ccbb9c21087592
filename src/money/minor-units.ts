import { currencyExponent, isCurrencyCode } from './currency';
import { parseScaled } from './decimal';

export type MinorUnitsResult =
  { ok: true; value: bigint } | { ok: false; error: { code: 'MONEY.INVALID'; message: string } };

/**
 * "12500.00" USD → 1250000n; "1250000" JPY → 1250000n. Exact: a value with more decimals than the
 * currency's minor unit is refused, not rounded.
 */
export function toMinorUnits(text: string, currency: string): MinorUnitsResult {
  if (!isCurrencyCode(currency))
    return {
      ok: false,
      error: { code: 'MONEY.INVALID', message: `${currency} is not an ISO 4217 currency` },
    };
  const exponent = currencyExponent(currency);
  if (!/^-?\d+(\.\d+)?$/.test(text.trim()))
    return {
      ok: false,
      error: { code: 'MONEY.INVALID', message: `"${text}" is not a decimal amount` },
    };
  const value = parseScaled(text, exponent);
  if (value === undefined)
    return {
      ok: false,
      error: {
        code: 'MONEY.INVALID',
        message: `"${text}" has more decimals than ${currency} allows (${exponent})`,
      },
    };
  return { ok: true, value };
}

/** 1250000n USD → "12,500.00" ("12500.00" without grouping, for files); 375002n JPY → "375,002". */
export function formatMinorUnits(
  value: bigint,
  currency: string,
  { grouping = true }: { grouping?: boolean } = {},
): string {
  const exponent = currencyExponent(currency);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const integer = digits.slice(0, digits.length - exponent);
  const whole = grouping ? integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : integer;
  const fraction = exponent > 0 ? `.${digits.slice(-exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
