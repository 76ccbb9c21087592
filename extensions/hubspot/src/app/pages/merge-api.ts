import { z } from 'zod';

import { type ApiFetcher, type ApiResult, load, request } from './api.ts';

const candidateSchema = z.object({
  id: z.string(),
  recordKey: z.string(),
  status: z.string(),
  createdAt: z.string(),
  candidates: z.array(
    z.object({
      partnerId: z.string(),
      partnerName: z.string().nullable(),
      matchedRecordKey: z.string(),
      recordKeys: z.array(z.string()),
      evidence: z.array(z.looseObject({ kind: z.string() })),
    }),
  ),
});

const candidatesSchema = z.object({ items: z.array(candidateSchema) });
const decidedSchema = z.object({ id: z.string(), status: z.string() });

export type MergeCandidate = z.infer<typeof candidateSchema>;

export const loadMergeCandidates = (fetcher: ApiFetcher) =>
  load(fetcher, '/api/v1/partners/merge-candidates?status=open', candidatesSchema).then(
    (page) => page.items,
  );

export type MergeDecision = { decision: 'merge'; partnerId: string } | { decision: 'keep_apart' };

export const decideMerge = (
  fetcher: ApiFetcher,
  id: string,
  decision: MergeDecision,
): Promise<ApiResult<z.infer<typeof decidedSchema>>> =>
  request(
    fetcher,
    'POST',
    `/api/v1/partners/merge-candidates/${encodeURIComponent(id)}/decision`,
    decidedSchema,
    decision,
  );
