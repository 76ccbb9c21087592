import { Readable } from 'node:stream';

import { Router } from 'express';
import { z } from 'zod';

import { PARTNER_ROLES } from '../../../src/program/program';
import { AccountListError, importAccountList } from '../../cosell/account-lists';
import { type AttachFailure, attachPartner } from '../../cosell/attach';
import { declineSuggestion } from '../../cosell/decline';
import type { CrmRegistry } from '../../crm/port';
import { csvSyntaxError } from '../../csv/read-csv';
import type { Database } from '../../db/database';
import type { CommissionsQueue } from '../../queue/queues';
import { allow } from '../access';
import { actorOf, callerOf } from '../auth/authenticate';
import { type FailureTable, HttpError, httpErrorFor, notFound } from '../errors';

const dealId = z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be a CRM deal id');
const attachBody = z.strictObject({
  partnerId: z.uuid(),
  role: z.enum(PARTNER_ROLES),
  // A number, as the card gives it (sharePct: 50), or its decimal string.
  sharePct: z
    .union([
      z
        .number()
        .finite()
        .transform((n) => String(n)),
      z.string(),
    ])
    .pipe(
      z
        .string()
        .regex(/^\d{1,3}(\.\d{1,2})?$/, 'must be a percentage like 50 or 33.33')
        .refine(
          (text) => Number(text) > 0 && Number(text) <= 100,
          'must be above 0 and at most 100',
        ),
    )
    .optional(),
});
const declineBody = z.strictObject({ reason: z.string().trim().max(500).optional() });
const jsonList = z.strictObject({ csv: z.string().min(1, 'must be the CSV text of the list') });

const ATTACH_ERRORS: FailureTable<AttachFailure['code']> = {
  'DEAL.NOT_FOUND': { status: 404, message: 'No such deal' },
  'PARTNER.NOT_FOUND': { status: 404, message: 'No such partner' },
  'PARTNER.INACTIVE': { status: 409, message: 'The partner is not active' },
  'PARTNER.ALREADY_ON_DEAL': {
    status: 409,
    message: 'The partner is on the deal in that role already',
  },
  'ATTACH.IN_PROGRESS': {
    status: 409,
    message: 'The partner is being put on the deal in that role by another request',
  },
  'SHARES.OVER_100': { status: 409, message: "The role's shares on the deal would pass 100 %" },
  'CRM.WRITE_FAILED': {
    status: 502,
    message: 'The CRM did not take the change; nothing was written',
  },
};

/** Partner account lists, and (on the deal) co-sell attach and decline. */
export function cosellRoutes(
  db: Database,
  deps: { crms?: CrmRegistry; commissions?: CommissionsQueue },
): Router {
  const router = Router();

  /** Puts a partner on a deal (accepting a suggestion): validated, written back to the CRM, audited. */
  router.post('/deals/:dealId/partners', allow('partner_manager'), async (req, res) => {
    const deal = dealId.safeParse(req.params.dealId);
    if (!deal.success) throw notFound('DEAL.NOT_FOUND', 'No such deal');
    const body = attachBody.parse(req.body);
    const caller = callerOf(req);
    const result = await attachPartner(
      db,
      deps.crms,
      caller.tenantId,
      { dealCrmId: deal.data, ...body },
      actorOf(caller),
    );
    if (!result.ok) throw httpErrorFor(ATTACH_ERRORS, result.failure);
    // The deal's commissions and the partners' numbers follow. The attach is committed (and in
    // the CRM) by now: a queue that does not answer is logged, not reported as a failed attach;
    // the next sync's job catches up.
    await deps.commissions
      ?.recompute(caller.tenantId)
      .catch((error: unknown) =>
        req.log.warn({ err: error }, 'commissions job not enqueued after attach'),
      );
    res.status(201).json(result.value);
  });

  /** The account executive does not want this partner suggested for the deal's account again. */
  router.post(
    '/deals/:dealId/suggestions/:partnerId/decline',
    allow('partner_manager'),
    async (req, res) => {
      const deal = dealId.safeParse(req.params.dealId);
      const partnerId = z.uuid().safeParse(req.params.partnerId);
      if (!deal.success) throw notFound('DEAL.NOT_FOUND', 'No such deal');
      if (!partnerId.success) throw notFound('PARTNER.NOT_FOUND', 'No such partner');
      const body = declineBody.parse(req.body ?? {});
      const caller = callerOf(req);
      const result = await declineSuggestion(
        db,
        caller.tenantId,
        { dealCrmId: deal.data, partnerId: partnerId.data, reason: body.reason || null },
        actorOf(caller),
      );
      if (!result.ok)
        throw result.code === 'DEAL.NO_ACCOUNT'
          ? new HttpError(409, result.code, 'The deal has no account to decline partners for')
          : notFound(
              result.code,
              result.code === 'DEAL.NOT_FOUND' ? 'No such deal' : 'No such partner',
            );
      res.status(201).json({ declined: true });
    },
  );

  /**
   * `text/csv` body `name,domain,population`, streamed (or the same text as JSON `{ csv }`, up to
   * the JSON body limit); bad rows are reported, the rest kept.
   */
  router.post(
    '/partners/:partnerId/accounts/import',
    allow('partner_manager'),
    async (req, res) => {
      const partnerId = z.uuid().safeParse(req.params.partnerId);
      if (!partnerId.success) throw notFound('PARTNER.NOT_FOUND', 'No such partner');
      const type = req.get('content-type') ?? '';
      const isCsv = /^text\/csv\b/i.test(type);
      // HubSpot's hubspot.fetch sends JSON only: the settings page sends the file as { csv }.
      const json = isCsv
        ? undefined
        : /^application\/json\b/i.test(type)
          ? jsonList.parse(req.body)
          : undefined;
      if (!isCsv && !json)
        throw new HttpError(
          415,
          'REQUEST.UNSUPPORTED_MEDIA_TYPE',
          'Send the list as text/csv, or as JSON { "csv": "…" }',
        );
      const caller = callerOf(req);
      try {
        const result = await importAccountList(
          db,
          caller.tenantId,
          partnerId.data,
          json ? Readable.from([Buffer.from(json.csv, 'utf8')]) : req,
          actorOf(caller),
        );
        res.status(201).json(result);
      } catch (error) {
        if (error instanceof AccountListError) {
          // Whatever the client still sends is not read; say so and close.
          res.setHeader('connection', 'close');
          throw error.code === 'PARTNER.NOT_FOUND'
            ? notFound(error.code, error.message)
            : new HttpError(
                400,
                error.code,
                error.message,
                error.line === undefined ? undefined : { line: error.line },
              );
        }
        const syntax = csvSyntaxError(error);
        if (syntax)
          throw new HttpError(400, 'CSV.INVALID', `The file is not valid CSV: ${syntax.message}`, {
            line: syntax.line,
            column: syntax.column,
          });
        // The client went away mid-upload: nothing of the import is kept; nobody reads this answer.
        if (
          ['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET'].includes(
            (error as { code?: string }).code ?? '',
          )
        )
          throw new HttpError(400, 'REQUEST.ABORTED', 'The upload stopped before its end');
        throw error;
      }
    },
  );

  return router;
}
