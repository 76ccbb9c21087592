import { z } from 'zod';

import { type ApiFetcher, type ApiResult, load, request } from './api.ts';

const moneySchema = z.object({ amount: z.string(), currency: z.string() });
const evidenceSchema = z.looseObject({ kind: z.string() });

const conflictSchema = z.looseObject({
  kind: z.string(),
  severity: z.enum(['block', 'warn']),
  explanation: z.string(),
  dealId: z.string().optional(),
  accountId: z.string().optional(),
  dealName: z.string().nullable().optional(),
  holderRegistrationId: z.string().optional(),
  holderPartnerName: z.string().optional(),
});

export const registrationSchema = z.object({
  id: z.string(),
  partner: z.object({ id: z.string(), name: z.string() }),
  company: z.object({ name: z.string(), domain: z.string().nullable() }),
  amount: moneySchema.nullable(),
  submittedAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'converted', 'expired']),
  verdict: z.string(),
  overdue: z.boolean(),
  matchedAccountId: z.string().nullable(),
  accountMatch: z.array(evidenceSchema),
  window: z.object({ start: z.string(), end: z.string() }).nullable(),
  daysLeft: z.number().nullable(),
  extensions: z.number(),
  rejectionReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  conflicts: z.array(conflictSchema),
});

export const registrationDetailSchema = registrationSchema.extend({
  history: z.array(
    z.object({
      action: z.string(),
      actor: z.string(),
      reason: z.string().nullable(),
      at: z.string(),
    }),
  ),
});

export const registrationPageSchema = z.object({
  items: z.array(registrationSchema),
  nextCursor: z.string().nullable(),
});

export const summarySchema = z.object({
  pending: z.number(),
  overdue: z.number(),
  oldestPendingAt: z.string().nullable(),
  decidedThisWeek: z.object({ approved: z.number(), rejected: z.number(), total: z.number() }),
  approvalSlaHours: z.number(),
});

const partnerOptionSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string() })),
});

export type Registration = z.infer<typeof registrationSchema>;
export type RegistrationDetail = z.infer<typeof registrationDetailSchema>;
export type RegistrationPage = z.infer<typeof registrationPageSchema>;
export type Conflict = z.infer<typeof conflictSchema>;
export type Summary = z.infer<typeof summarySchema>;

export interface QueueFilters {
  status: Registration['status'] | 'any';
  overdue: boolean;
  partnerId: string | null;
}

export const PAGE_SIZE = 20;

export const queuePath = (filters: QueueFilters, cursor: string | null) => {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.status !== 'any') query.set('status', filters.status);
  if (filters.overdue) query.set('overdue', 'true');
  if (filters.partnerId) query.set('partnerId', filters.partnerId);
  if (cursor) query.set('cursor', cursor);
  return `/api/v1/registrations?${query.toString()}`;
};

export const loadQueue = (fetcher: ApiFetcher, filters: QueueFilters, cursor: string | null) =>
  load(fetcher, queuePath(filters, cursor), registrationPageSchema);

export const loadSummary = (fetcher: ApiFetcher) =>
  load(fetcher, '/api/v1/registrations/summary', summarySchema);

/** The partners to filter by: the first 200 by name (the API's page limit). */
export const loadPartnerOptions = (fetcher: ApiFetcher) =>
  load(fetcher, '/api/v1/partners?status=active&limit=200', partnerOptionSchema).then(
    (page) => page.items,
  );

export const loadRegistration = (fetcher: ApiFetcher, id: string) =>
  load(fetcher, `/api/v1/registrations/${encodeURIComponent(id)}`, registrationDetailSchema);

export type Decision = { decision: 'approve' } | { decision: 'reject'; reason: string };

export const decide = (
  fetcher: ApiFetcher,
  id: string,
  decision: Decision,
): Promise<ApiResult<Registration>> =>
  request(
    fetcher,
    'POST',
    `/api/v1/registrations/${encodeURIComponent(id)}/decision`,
    registrationSchema,
    decision,
  );

export const extend = (fetcher: ApiFetcher, id: string): Promise<ApiResult<Registration>> =>
  request(
    fetcher,
    'POST',
    `/api/v1/registrations/${encodeURIComponent(id)}/extend`,
    registrationSchema,
    {},
  );
