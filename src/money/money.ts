import { formatMinorUnits } from './minor-units';

/**
 * Money as every API answer and request carries it: a decimal string in the currency's major
 * unit with exactly its minor digits ("271250.00" USD, "1250000" JPY), and the ISO 4217 code.
 * A string, not a JSON number, so no client rounds it through a float.
 */
export interface Money {
  amount: string;
  currency: string;
}

export const moneyOf = (minor: bigint | string, currency: string): Money => ({
  amount: formatMinorUnits(BigInt(minor), currency, { grouping: false }),
  currency,
});

/** Sums kept per currency (minor units) as a list of Money, in currency order. */
export const moneyList = (byCurrency: Readonly<Record<string, string | bigint>>): Money[] =>
  Object.entries(byCurrency)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, minor]) => moneyOf(minor, currency));

/** "12,500.00 USD", for sentences. */
export const moneyWords = (minor: bigint | string, currency: string) =>
  `${formatMinorUnits(BigInt(minor), currency)} ${currency}`;
