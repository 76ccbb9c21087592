import { Router } from 'express';
import { z } from 'zod';

import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import type { ReconcileQueue } from '../../queue/queues';
import { allow, READERS } from '../access';
import { actorOf, callerOf } from '../auth/authenticate';
import { HttpError, notFound } from '../errors';

const listQuery = z.object({
  status: z.enum(['open', 'merged', 'kept_apart', 'superseded']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const idParams = z.object({ id: z.uuid('must be a merge candidate id') });
const decisionBody = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('merge'),
    partnerId: z.uuid('must be the id of one of the candidate partners'),
  }),
  z.object({ decision: z.literal('keep_apart') }),
]);

interface CandidateRow {
  id: string;
  record_key: string;
  candidates: Array<{
    partnerId: string;
    recordKeys: string[];
    matchedRecordKey: string;
    evidence: unknown[];
  }>;
  status: string;
  decision: unknown;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
}

/** Partner records that match partners which cannot be merged: listed with their evidence, decided by a person. */
export function mergeCandidateRoutes(db: Database, reconcile: ReconcileQueue): Router {
  const router = Router();

  router.get('/partners/merge-candidates', allow(...READERS), async (req, res) => {
    const { status, limit } = listQuery.parse(req.query);
    const { tenantId } = callerOf(req);
    const rows = await db.query<CandidateRow>(
      `select id, record_key, candidates, status, decision, decided_by, decided_at, created_at
         from merge_candidates where tenant_id = $1 and status = $2 order by created_at, id limit $3`,
      [tenantId, status, limit],
    );
    const partnerIds = [...new Set(rows.flatMap((row) => row.candidates.map((c) => c.partnerId)))];
    const names = new Map(
      (
        await db.query<{ id: string; name: string }>(
          'select id, name from partners where tenant_id = $1 and id = any($2::uuid[])',
          [tenantId, partnerIds],
        )
      ).map((p) => [p.id, p.name]),
    );
    await recordAudit(db, {
      tenantId,
      actor: actorOf(callerOf(req)),
      action: 'merge_candidates.viewed',
      subjectType: 'tenant',
      subjectId: tenantId,
      details: { status, count: rows.length },
    });
    res.json({
      items: rows.map((row) => ({
        id: row.id,
        recordKey: row.record_key,
        status: row.status,
        candidates: row.candidates.map((c) => ({
          ...c,
          partnerName: names.get(c.partnerId) ?? null,
        })),
        decision: row.decision,
        decidedBy: row.decided_by,
        decidedAt: row.decided_at,
        createdAt: row.created_at,
      })),
    });
  });

  router.post(
    '/partners/merge-candidates/:id/decision',
    allow('partner_manager'),
    async (req, res) => {
      const { id } = idParams.parse(req.params);
      const body = decisionBody.parse(req.body);
      const caller = callerOf(req);
      const actor = actorOf(caller);
      const decided = await db.transaction(async (tx) => {
        const [row] = await tx.query<CandidateRow>(
          'select * from merge_candidates where tenant_id = $1 and id = $2 for update',
          [caller.tenantId, id],
        );
        if (!row) throw notFound('MERGE_CANDIDATE.NOT_FOUND', `No merge candidate ${id}`);
        if (row.status !== 'open')
          throw new HttpError(
            409,
            'MERGE_CANDIDATE.DECIDED',
            `Merge candidate ${id} is ${row.status} already`,
          );
        const chosen =
          body.decision === 'merge'
            ? row.candidates.find((c) => c.partnerId === body.partnerId)
            : undefined;
        if (body.decision === 'merge' && !chosen) {
          throw new HttpError(400, 'REQUEST.INVALID', 'The request is not valid', [
            { path: 'partnerId', message: 'is not one of the candidate partners' },
          ]);
        }
        // Must-link to the chosen partner's matching record; cannot-link to every other candidate's.
        for (const candidate of row.candidates) {
          const pair = [row.record_key, candidate.matchedRecordKey].sort() as [string, string];
          await tx.query(
            `insert into reconcile_decisions (tenant_id, left_record, right_record, decision, decided_by) values ($1, $2, $3, $4, $5)
           on conflict (tenant_id, left_record, right_record) do update set decision = excluded.decision, decided_by = excluded.decided_by, decided_at = now()`,
            [
              caller.tenantId,
              pair[0],
              pair[1],
              candidate === chosen ? 'merge' : 'keep_apart',
              actor,
            ],
          );
        }
        const status = body.decision === 'merge' ? 'merged' : 'kept_apart';
        await tx.query(
          'update merge_candidates set status = $3, decision = $4, decided_by = $5, decided_at = now() where tenant_id = $1 and id = $2',
          [caller.tenantId, id, status, JSON.stringify(body), actor],
        );
        await recordAudit(tx, {
          tenantId: caller.tenantId,
          actor,
          action: `merge_candidate.${status}`,
          subjectType: 'merge_candidate',
          subjectId: id,
          details: { recordKey: row.record_key, ...body },
        });
        return { id, status, recordKey: row.record_key };
      });
      await reconcile.reconcile(caller.tenantId, [decided.recordKey]);
      res.json({ id: decided.id, status: decided.status });
    },
  );

  return router;
}
