import { z } from 'zod';

import { isCurrencyCode } from '../../src/money/currency';

// Extended (2026-03-01T09:30:00.5+01:00) and basic (20260301T093000Z) forms; offsets ±hh, ±hhmm, ±hh:mm.
const EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const BASIC =
  /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** ISO 8601 date or date-time → epoch ms (fractions past the millisecond cut); no offset means UTC; impossible dates fail. */
export function parseTimestamp(text: string): number | undefined {
  const match = EXTENDED.exec(text.trim()) ?? BASIC.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(utc);
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return undefined;
  if (!zone || zone.toUpperCase() === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2)) > 59) return undefined;
  return utc - sign * minutes * 60_000;
}

const required = z.string().min(1, 'must not be empty');

export const csvValue = {
  id: required.max(200, 'is longer than 200 characters'),
  text: z.string().max(500, 'is longer than 500 characters'),
  timestamp: required.transform((text, ctx) => {
    const ms = parseTimestamp(text);
    if (ms === undefined)
      ctx.addIssue({ code: 'custom', message: `"${text}" is not an ISO 8601 timestamp` });
    return ms ?? 0;
  }),
  optionalTimestamp: z.string().transform((text, ctx) => {
    if (text === '') return null;
    const ms = parseTimestamp(text);
    if (ms === undefined)
      ctx.addIssue({ code: 'custom', message: `"${text}" is not an ISO 8601 timestamp` });
    return ms ?? null;
  }),
  /** Decimal string in major units, or empty. */
  optionalAmount: z
    .string()
    .refine(
      (text) => text === '' || /^\d+(\.\d+)?$/.test(text),
      'must be a decimal amount like 12500.00',
    )
    .transform((text) => (text === '' ? null : text)),
  optionalCurrency: z
    .string()
    .transform((text) => text.toUpperCase())
    .refine((code) => code === '' || isCurrencyCode(code), 'must be an ISO 4217 currency code')
    .transform((code) => (code === '' ? null : code)),
  /** A ';'-separated list cell. */
  list: z.string().transform((text) =>
    text
      .split(';')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
  /** Any type a rate card may name (reseller, distributor, system_integrator, …), lower-cased. */
  partnerType: z
    .string()
    .max(100)
    .transform((text) => text.toLowerCase()),
  /** Any role a rate card may name (sourced, influenced, reseller, referral, …), lower-cased; may be empty. */
  optionalRole: z
    .string()
    .max(100)
    .transform((text) => text.toLowerCase()),
  /** "active" (any case) is active; every other status is not (DESIGN.md §4: "partner not active"). */
  status: z
    .string()
    .min(1, 'must not be empty')
    .transform((text): 'active' | 'inactive' =>
      text.toLowerCase() === 'active' ? 'active' : 'inactive',
    ),
  stage: z
    .string()
    .transform((text) => text.toLowerCase())
    .pipe(z.enum(['open', 'won', 'lost'], { error: 'must be open, won or lost' })),
};
