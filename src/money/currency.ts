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

export const isCurrencyCode = (code: string) =>
  /^[A-Z]{3}$/.test(code) && !NOT_MONEY.has(code) && currencyCodes.code(code) !== undefined;

/** Digits after the decimal point in the currency's minor unit (ISO 4217): USD 2, JPY 0, KWD 3. */
export function currencyExponent(code: string): number {
  const currency = isCurrencyCode(code) ? currencyCodes.code(code) : undefined;
  if (!currency) throw new RangeError(`${code} is not an ISO 4217 currency`);
  return currency.digits;
}
