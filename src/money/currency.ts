import currencyCodes from 'currency-codes';

// Codes for no currency, gold, test and the like have no minor unit to count in.
const NOT_MONEY = new Set([
  'XXX',
  'XTS',
  'XAU',
  'XAG',
  'XPD',
  'XPT',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XSU',
  'XUA',
]);

// currency-codes looks codes up by scanning its list; a map keeps money parsing off that path.
const EXPONENTS = new Map(
  currencyCodes.data.filter((c) => !NOT_MONEY.has(c.code)).map((c) => [c.code, c.digits]),
);

export const isCurrencyCode = (code: string) => EXPONENTS.has(code);

/** Digits after the decimal point in the currency's minor unit (ISO 4217): USD 2, JPY 0, KWD 3. */
export function currencyExponent(code: string): number {
  const exponent = EXPONENTS.get(code);
  if (exponent === undefined) throw new RangeError(`${code} is not an ISO 4217 currency`);
  return exponent;
}
