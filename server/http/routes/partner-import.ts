import { Router } from 'express';
import { z } from 'zod';

import { csvSyntaxError } from '../../csv/read-csv';
import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import { importProgramPartners, ProgramImportError } from '../../partners/program-import';
import type { ReconcileQueue } from '../../queue/queues';
import { loadProgram } from '../../registrations/program-store';
import { allow } from '../access';
import { actorOf, callerOf } from '../auth/authenticate';
import { HttpError } from '../errors';

const body = z.strictObject({ csv: z.string().min(1, 'must be the CSV text of the list') });

/** The partner program's list as JSON `{ csv }` (what hubspot.fetch can send); reconciled after. */
export function partnerImportRoutes(db: Database, reconcile: ReconcileQueue): Router {
  const router = Router();
  router.post('/partners/import', allow(), async (req, res) => {
    const { csv } = body.parse(req.body);
    const caller = callerOf(req);
    const { program } = await loadProgram(db, caller.tenantId);
    let result;
    try {
      result = await importProgramPartners(db, caller.tenantId, csv, program);
    } catch (error) {
      if (error instanceof ProgramImportError) throw new HttpError(400, error.code, error.message);
      // Not every csv-parse code starts CSV_ (INVALID_OPENING_QUOTE): csvSyntaxError knows them.
      const syntax = csvSyntaxError(error);
      if (syntax)
        throw new HttpError(400, 'CSV.INVALID', `The file is not valid CSV: ${syntax.message}`, {
          line: syntax.line,
          column: syntax.column,
        });
      throw error;
    }
    const { recordKeys, ...report } = result;
    await recordAudit(db, {
      tenantId: caller.tenantId,
      actor: actorOf(caller),
      action: 'program_partners.imported',
      subjectType: 'tenant',
      subjectId: caller.tenantId,
      details: { rowsKept: report.rowsKept, rowsRejected: report.rowsRejected },
    });
    if (recordKeys.length > 0) await reconcile.reconcile(caller.tenantId, recordKeys);
    res.status(201).json(report);
  });
  return router;
}
