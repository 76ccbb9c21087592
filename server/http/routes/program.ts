import { Router } from 'express';

import { parseProgram } from '../../../src/program/program';
import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import type { CommissionsQueue } from '../../queue/queues';
import { loadProgram, saveProgram } from '../../registrations/program-store';
import { actorOf, callerOf } from '../auth/authenticate';
import { HttpError } from '../errors';

/** The tenant's program document (DESIGN.md §7): read with its defaults, replaced whole. */
export function programRoutes(db: Database, commissions?: CommissionsQueue): Router {
  const router = Router();
  router.get('/program', async (req, res) => {
    const { program, version } = await loadProgram(db, callerOf(req).tenantId);
    res.json({ version, program });
  });
  router.put('/program', async (req, res) => {
    const parsed = parseProgram(req.body);
    if (!parsed.ok)
      throw new HttpError(400, parsed.error.code, 'The program is not valid', parsed.error.issues);
    const caller = callerOf(req);
    const version = await db.transaction(async (tx) => {
      const saved = await saveProgram(tx, caller.tenantId, parsed.value, actorOf(caller));
      await recordAudit(tx, {
        tenantId: caller.tenantId,
        actor: actorOf(caller),
        action: 'program.updated',
        subjectType: 'program',
        subjectId: caller.tenantId,
        details: { version: saved },
      });
      return saved;
    });
    // New rates or tiers change what every won deal earns: the ledger follows.
    await commissions?.recompute(caller.tenantId);
    res.json({ version, program: parsed.value });
  });
  return router;
}
