import { type Request, Router } from 'express';
import { z } from 'zod';

import { parseProgram } from '../../../src/program/program';
import { confirmationNeeded, programChangeImpact } from '../../commissions/program-change';
import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import type { CommissionsQueue } from '../../queue/queues';
import { loadProgram, saveProgram } from '../../registrations/program-store';
import { allow, READERS } from '../access';
import { actorOf, callerOf } from '../auth/authenticate';
import { HttpError, zodDetails } from '../errors';

/** GET's answer is PUT's body: the version it was read at, and the program. */
const saveBody = z.strictObject({
  version: z.number().int().min(0).optional(),
  program: z.unknown().refine((value) => value !== undefined, 'is required'),
  /** Set after the server asked for it (409 PROGRAM.CONFIRMATION_REQUIRED). */
  confirm: z.boolean().optional(),
});

const etagOf = (version: number) => `"${version}"`;

/** The version the save edits: the body's `version` or an `If-Match` with GET's ETag. */
function editedVersion(req: Request, bodyVersion: number | undefined): number {
  const header = req.get('if-match');
  if (header?.trim() === '*')
    throw new HttpError(
      428,
      'PROGRAM.VERSION_REQUIRED',
      "If-Match must name the version you edit (GET /program's ETag), not *: a save over any version could undo another admin's",
    );
  const fromHeader =
    header === undefined ? undefined : /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (header !== undefined && !fromHeader)
    throw new HttpError(400, 'REQUEST.INVALID', 'If-Match must be the ETag of GET /program');
  const headerVersion = fromHeader ? Number(fromHeader[1]) : undefined;
  if (headerVersion !== undefined && bodyVersion !== undefined && headerVersion !== bodyVersion)
    throw new HttpError(400, 'REQUEST.INVALID', 'If-Match and version name different versions');
  const version = headerVersion ?? bodyVersion;
  if (version === undefined)
    throw new HttpError(
      428,
      'PROGRAM.VERSION_REQUIRED',
      'Say which version you edit: send the version GET /program answered (as "version" or If-Match)',
    );
  return version;
}

/** The tenant's program document (DESIGN.md §7): read with its defaults, replaced whole. */
export function programRoutes(db: Database, commissions?: CommissionsQueue): Router {
  const router = Router();
  router.get('/program', allow(...READERS), async (req, res) => {
    const { program, version } = await loadProgram(db, callerOf(req).tenantId);
    res.setHeader('etag', etagOf(version));
    res.json({ version, program });
  });

  router.put('/program', allow(), async (req, res) => {
    const shape = saveBody.safeParse(req.body);
    if (!shape.success) {
      const keys = req.body && typeof req.body === 'object' ? Object.keys(req.body as object) : [];
      if (!keys.includes('program'))
        throw new HttpError(
          400,
          'PROGRAM.SHAPE',
          'PUT /program takes what GET /program answers: { "version": N, "program": { … } } (the program itself goes under "program")',
          zodDetails(shape.error),
        );
      throw shape.error;
    }
    const body = shape.data;
    const expected = editedVersion(req, body.version);
    const parsed = parseProgram(body.program, { unknownFields: 'reject' });
    if (!parsed.ok)
      throw new HttpError(
        400,
        parsed.error.code,
        'The program is not valid',
        parsed.error.issues.map((issue) => ({ ...issue, path: `program.${issue.path}` })),
      );
    const caller = callerOf(req);
    const version = await db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext('program:' || $1))`, [caller.tenantId]);
      const current = await loadProgram(tx, caller.tenantId);
      if (current.version !== expected)
        throw new HttpError(
          409,
          'PROGRAM.VERSION_CONFLICT',
          `The program was saved since version ${expected}: it is at version ${current.version}. Read it again and redo your change`,
          { currentVersion: current.version },
        );
      const impact = await programChangeImpact(tx, caller.tenantId, current.program, parsed.value);
      const reason = confirmationNeeded(impact);
      if (reason && !body.confirm)
        throw new HttpError(
          409,
          'PROGRAM.CONFIRMATION_REQUIRED',
          `${reason}. Send the same request with "confirm": true to save it anyway`,
          impact,
        );
      const saved = await saveProgram(tx, caller.tenantId, parsed.value, actorOf(caller));
      await recordAudit(tx, {
        tenantId: caller.tenantId,
        actor: actorOf(caller),
        action: 'program.updated',
        subjectType: 'program',
        subjectId: caller.tenantId,
        details: { version: saved, ...(reason ? { confirmed: reason } : {}) },
      });
      return saved;
    });
    // New rates or tiers change what every won deal earns: the ledger follows.
    await commissions?.recompute(caller.tenantId);
    res.setHeader('etag', etagOf(version));
    res.json({ version, program: parsed.value });
  });
  return router;
}
