import { z } from 'zod';

import { isCurrencyCode } from '../../src/money/currency';
import { toMinorUnits } from '../../src/money/minor-units';
import { moneyOf } from '../../src/money/money';

/**
 * Money in a request, as answers carry it: `{ "amount": "2500.00", "currency": "USD" }`; the
 * amount may be a JSON number too. Exact: more decimals than the currency has is refused, not
 * rounded. Gives the amount back normalised ("2500" USD → "2500.00") with its minor units.
 */
export const moneyInput = z
  .strictObject({
    amount: z.union([
      z
        .string()
        .trim()
        .regex(/^-?\d{1,15}(\.\d{1,4})?$/, 'must be a decimal amount like "2500.00"'),
      z
        .number()
        .finite()
        .transform((n) => String(n)),
    ]),
    currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code'),
  })
  .transform((money, ctx) => {
    const minor = toMinorUnits(money.amount, money.currency);
    if (!minor.ok) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: minor.error.message });
      return z.NEVER;
    }
    return { ...moneyOf(minor.value, money.currency), minor: minor.value };
  });

export type MoneyInput = z.output<typeof moneyInput>;

/** A positive amount of money. */
export const positiveMoneyInput = moneyInput.refine((money) => money.minor > 0n, {
  path: ['amount'],
  message: 'must be above 0',
});
