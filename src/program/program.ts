import { z } from 'zod';

import { isCurrencyCode } from '../money/currency';

export const PARTNER_TYPES = [
  'reseller',
  'distributor',
  'system_integrator',
  'isv',
  'technology',
  'msp',
  'referral',
] as const;
export const PARTNER_ROLES = ['sourced', 'influenced', 'reseller', 'referral'] as const;

const tier = z.string().trim().min(1, 'must not be empty').max(40);
const days = z.number().int('must be whole days').min(1).max(3650);
const bps = z
  .number()
  .int('must be whole basis points')
  .min(0)
  .max(10_000, 'must be at most 10000 (100 %)');
const minor = z.number().int('must be whole minor units').min(0);
// A User's id as Salesforce writes it: key prefix 005, 15 or 18 characters.
const salesforceUserId = z
  .string()
  .trim()
  .regex(/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'must be a Salesforce User id (005…)');

/**
 * The schema, built twice: the API refuses fields it does not know (a misspelt one would silently
 * fall back to its default), while the CLI reads files written for other tools too and ignores them.
 */
function buildSchema(object: typeof z.object) {
  const band = object({ uptoMinor: minor.optional(), rateBps: bps });

  const rateRow = object({
    // Open strings: a rate card may name types and roles beyond the usual ones (PARTNER_TYPES, PARTNER_ROLES).
    partnerType: z.string().trim().min(1).max(100),
    tier: z.union([tier, z.literal('*')]),
    role: z.string().trim().min(1).max(100),
    rateBps: bps,
    capMinor: minor.optional(),
    bands: z.array(band).min(1).optional(),
  }).superRefine((row, ctx) => {
    const bands = row.bands ?? [];
    bands.forEach((b, i) => {
      const last = i === bands.length - 1;
      if (last && b.uptoMinor !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'uptoMinor'],
          message: 'the last band has no upper limit',
        });
      if (!last && b.uptoMinor === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'uptoMinor'],
          message: 'is required on every band but the last',
        });
      const previous = bands[i - 1]?.uptoMinor;
      if (i > 0 && b.uptoMinor !== undefined && previous !== undefined && b.uptoMinor <= previous) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'uptoMinor'],
          message: 'must be above the previous band',
        });
      }
    });
  });

  return object({
    currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code').default('USD'),
    tiers: z
      .array(tier)
      .min(1)
      .refine((tiers) => new Set(tiers).size === tiers.length, 'must not repeat a tier')
      .default(['registered', 'silver', 'gold', 'platinum']),
    protectionDays: object({
      default: days.default(90),
      byTier: z.record(tier, days).default({}),
    }).default({ default: 90, byTier: {} }),
    extension: object({
      days: days.default(30),
      max: z.number().int().min(0).max(10).default(1),
    }).default({ days: 30, max: 1 }),
    approvalSlaHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(48),
    caps: object({
      activeRegistrationsByTier: z.record(tier, z.number().int().min(0)).default({}),
    }).default({ activeRegistrationsByTier: {} }),
    conflicts: object({
      directOpportunity: z.enum(['block', 'warn']).default('warn'),
      existingCustomer: z.enum(['block', 'warn', 'off']).default('warn'),
      existingCustomerMonths: z.number().int().min(0).max(120).default(12),
    }).default({ directOpportunity: 'warn', existingCustomer: 'warn', existingCustomerMonths: 12 }),
    matching: object({ nameThreshold: z.number().gt(0).max(1).default(0.9) }).default({
      nameThreshold: 0.9,
    }),
    autoApprove: object({
      enabled: z.boolean().default(false),
      minTier: tier.optional(),
      maxAmount: z.number().min(0).optional(),
    }).default({ enabled: false }),
    /**
     * A CRM task for a pending registration once it has waited `share` of its SLA: owned by the
     * CRM owner of the partner's manager (by the manager's name), else the fallback owner. The
     * top-level owners are HubSpot owner ids; `salesforce` holds the same for Salesforce Users.
     */
    slaTasks: object({
      enabled: z.boolean().default(true),
      share: z.number().gt(0).max(1).default(0.75),
      fallbackOwnerId: z
        .string()
        .trim()
        .regex(/^\d{1,20}$/, 'must be a CRM owner id')
        .optional(),
      ownersByManager: z
        .record(
          z.string().trim().min(1).max(200),
          z.string().regex(/^\d{1,20}$/, 'must be a CRM owner id'),
        )
        .default({}),
      salesforce: object({
        fallbackOwnerId: salesforceUserId.optional(),
        ownersByManager: z.record(z.string().trim().min(1).max(200), salesforceUserId).default({}),
      }).default({ ownersByManager: {} }),
    }).default({
      enabled: true,
      share: 0.75,
      ownersByManager: {},
      salesforce: { ownersByManager: {} },
    }),
    rates: z.array(rateRow).default([]),
    clawbackDays: z.number().int().min(0).max(3650).default(90),
  }).superRefine((program, ctx) => {
    const known = (value: string, path: (string | number)[]) => {
      if (!program.tiers.includes(value))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${value}" is not one of the tiers (${program.tiers.join(', ')})`,
        });
    };
    Object.keys(program.protectionDays.byTier).forEach((t) =>
      known(t, ['protectionDays', 'byTier', t]),
    );
    Object.keys(program.caps.activeRegistrationsByTier).forEach((t) =>
      known(t, ['caps', 'activeRegistrationsByTier', t]),
    );
    if (program.autoApprove.minTier !== undefined)
      known(program.autoApprove.minTier, ['autoApprove', 'minTier']);
    program.rates.forEach((row, i) => row.tier !== '*' && known(row.tier, ['rates', i, 'tier']));
  });
}

/** The program JSON of DESIGN.md §7: one document per tenant, the same for the API and the CLI. */
export const programSchema = buildSchema(z.object);
const strictProgramSchema = buildSchema(z.strictObject as unknown as typeof z.object);

export type Program = z.infer<typeof programSchema>;
export type RateRow = Program['rates'][number];

export interface ProgramIssue {
  path: string;
  message: string;
}

export type ProgramResult =
  | { ok: true; value: Program }
  | { ok: false; error: { code: 'PROGRAM.INVALID'; message: string; issues: ProgramIssue[] } };

/**
 * Validates a program document and fills in the defaults; a bad one comes back with every bad
 * field's path. `unknownFields: 'reject'` makes each field the schema does not know an issue too.
 */
export function parseProgram(
  input: unknown,
  options: { unknownFields?: 'ignore' | 'reject' } = {},
): ProgramResult {
  const schema = options.unknownFields === 'reject' ? strictProgramSchema : programSchema;
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [...issue.path, key].join('.'),
          message: 'is not a field of the program',
        }))
      : [{ path: issue.path.join('.') || '(document)', message: issue.message }],
  );
  return {
    ok: false,
    error: {
      code: 'PROGRAM.INVALID',
      message: `The program is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    },
  };
}

/** The tier's protection window in days. */
export const protectionDaysOf = (program: Program, tierName: string) =>
  program.protectionDays.byTier[tierName] ?? program.protectionDays.default;

/** The tier's cap on active registrations; undefined: no cap. */
export const capOf = (program: Program, tierName: string): number | undefined =>
  program.caps.activeRegistrationsByTier[tierName];

/** Position in the program's tier order (higher is better); -1 for a tier the program does not list. */
export const tierRank = (program: Program, tierName: string) => program.tiers.indexOf(tierName);
