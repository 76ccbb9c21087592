import { z } from 'zod';

import { type ApiFetcher, type ApiResult, load, request } from '../pages/api.ts';

const tierRecord = z.record(z.string(), z.number());

/** The program as GET /program answers it; the fields this page does not edit pass through. */
export const programSchema = z.looseObject({
  currency: z.string(),
  tiers: z.array(z.string()),
  protectionDays: z.looseObject({ default: z.number(), byTier: tierRecord }),
  approvalSlaHours: z.number(),
  caps: z.looseObject({ activeRegistrationsByTier: tierRecord }),
  conflicts: z.looseObject({
    directOpportunity: z.enum(['block', 'warn']),
    existingCustomer: z.enum(['block', 'warn', 'off']),
  }),
  autoApprove: z.looseObject({
    enabled: z.boolean(),
    minTier: z.string().optional(),
    maxAmount: z.number().optional(),
  }),
  slaTasks: z.looseObject({
    enabled: z.boolean(),
    share: z.number(),
    fallbackOwnerId: z.string().optional(),
  }),
  rates: z.array(
    z.looseObject({
      partnerType: z.string(),
      tier: z.string(),
      role: z.string(),
      rateBps: z.number(),
      capMinor: z.number().optional(),
      bands: z
        .array(z.object({ uptoMinor: z.number().optional(), rateBps: z.number() }))
        .optional(),
    }),
  ),
});

const programAnswer = z.object({ version: z.number(), program: programSchema });

const healthSchema = z.object({
  crms: z.array(
    z.object({
      crm: z.string(),
      externalId: z.string().nullable(),
      status: z.string(),
      statusReason: z.string().nullable(),
      lastFullSyncAt: z.string().nullable(),
      lastSyncAt: z.string().nullable(),
      lastEventAt: z.string().nullable(),
      lagSeconds: z.number().nullable(),
      lastError: z.string().nullable(),
      apiUsage: z.object({ used: z.number(), limit: z.number() }).nullable(),
    }),
  ),
});

export type Program = z.infer<typeof programSchema>;
export type ProgramAnswer = z.infer<typeof programAnswer>;
export type CrmHealth = z.infer<typeof healthSchema>['crms'][number];

export const loadProgram = (fetcher: ApiFetcher) => load(fetcher, '/api/v1/program', programAnswer);

export const loadSyncHealth = (fetcher: ApiFetcher) =>
  load(fetcher, '/api/v1/sync/health', healthSchema).then((health) => health.crms);

export const saveProgram = (
  fetcher: ApiFetcher,
  version: number,
  program: Program,
  confirm = false,
): Promise<ApiResult<ProgramAnswer>> =>
  request(fetcher, 'PUT', '/api/v1/program', programAnswer, {
    version,
    program,
    ...(confirm ? { confirm: true } : {}),
  });

const importSchema = z.object({
  rowsRead: z.number(),
  rowsKept: z.number(),
  rowsRejected: z.number(),
  /** Account lists only: rows matched to CRM companies. */
  rowsMatched: z.number().optional(),
  errors: z.array(
    z.object({ line: z.number(), column: z.string().optional(), message: z.string() }),
  ),
});

export type CsvImportResult = z.infer<typeof importSchema>;

export const loadPartners = (fetcher: ApiFetcher) =>
  load(
    fetcher,
    '/api/v1/partners?limit=200',
    z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }),
  ).then((page) => page.items);

/** A partner's account list (`name,domain,population`), as JSON: hubspot.fetch sends no CSV. */
export const importAccountList = (fetcher: ApiFetcher, partnerId: string, csv: string) =>
  request(
    fetcher,
    'POST',
    `/api/v1/partners/${encodeURIComponent(partnerId)}/accounts/import`,
    importSchema,
    { csv },
  );

/** The partner program's list (`partner_id,name,domain,type,tier,status,…`), as JSON. */
export const importProgramPartners = (fetcher: ApiFetcher, csv: string) =>
  request(fetcher, 'POST', '/api/v1/partners/import', importSchema, { csv });
