import { z } from 'zod';

import { isCurrencyCode } from '../../src/money/currency';
import { PARTNER_ROLES, PARTNER_TYPES } from '../../src/program/program';

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** ISO 8601 date or date-time → epoch ms; no offset means UTC; impossible dates (30 February) fail. */
export function parseTimestamp(text: string): number | undefined {
  const match = ISO_TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Math.round(Number(`0${fraction || '.0'}`) * 1000),
  );
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
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
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
  partnerType: z
    .string()
    .transform((text) => text.toLowerCase())
    .pipe(z.enum(PARTNER_TYPES, { error: `must be one of ${PARTNER_TYPES.join(', ')}` })),
  optionalRole: z
    .string()
    .transform((text) => text.toLowerCase())
    .pipe(
      z.union([z.enum(PARTNER_ROLES), z.literal('')], {
        error: `must be one of ${PARTNER_ROLES.join(', ')}, or empty`,
      }),
    ),
  status: z
    .string()
    .transform((text) => text.toLowerCase())
    .pipe(z.enum(['active', 'inactive'], { error: 'must be active or inactive' })),
  stage: z
    .string()
    .transform((text) => text.toLowerCase())
    .pipe(z.enum(['open', 'won', 'lost'], { error: 'must be open, won or lost' })),
};
