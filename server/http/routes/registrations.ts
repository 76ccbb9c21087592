import { Router } from 'express';
import { z } from 'zod';

import { normalizeDomain } from '../../../src/matching/domain';
import type { Database } from '../../db/database';
import { loadProgram } from '../../registrations/program-store';
import { registrationSummary } from '../../registrations/registration-summary';
import {
  decideRegistration,
  extendRegistration,
  type Outcome,
  submitRegistration,
} from '../../registrations/registration-use-cases';
import {
  findRegistration,
  REGISTRATION_COLUMNS,
  REGISTRATION_FROM,
  type RegistrationRow,
  viewsOf,
} from '../../registrations/registration-view';
import { allow, boundPartnerOf, READERS } from '../access';
import { actorOf, callerOf } from '../auth/authenticate';
import { HttpError, notFound } from '../errors';
import { moneyInput } from '../money-input';

const submission = z
  .strictObject({
    partnerId: z.uuid('must be a partner id'),
    companyName: z.string().trim().max(500).default(''),
    companyDomain: z
      .string()
      .trim()
      .max(500)
      .refine(
        (text) => text === '' || normalizeDomain(text) !== undefined,
        'must be a domain like acme.com, a URL or an e-mail address',
      )
      .optional(),
    amount: moneyInput.optional(),
  })
  .superRefine((body, ctx) => {
    if (!body.companyName && !body.companyDomain)
      ctx.addIssue({
        code: 'custom',
        path: ['companyName'],
        message: 'a company name or domain is required',
      });
    if (body.amount && body.amount.minor < 0n)
      ctx.addIssue({ code: 'custom', path: ['amount', 'amount'], message: 'must not be negative' });
  });

const listQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected', 'converted', 'expired']).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  partnerId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const cursorSchema = z.object({ s: z.iso.datetime(), i: z.uuid() });
const idParams = z.object({ id: z.uuid('must be a registration id') });
const decisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve') }),
  z.strictObject({
    decision: z.literal('reject'),
    reason: z.string().trim().min(1, 'a reason is required to reject').max(2000),
  }),
]);

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new HttpError(
    outcome.error.status,
    outcome.error.code,
    outcome.error.message,
    outcome.error.details,
  );
}

const encodeCursor = (row: RegistrationRow) =>
  Buffer.from(JSON.stringify({ s: row.submitted_at.toISOString(), i: row.id })).toString(
    'base64url',
  );
function decodeCursor(text: string) {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'REQUEST.INVALID', 'The request is not valid', [
      { path: 'cursor', message: 'is not a cursor this API gave out' },
    ]);
  }
}

/** Deal registrations: submit, triage (oldest first, keyset paged), decide, extend (DESIGN.md §4). */
export function registrationRoutes(db: Database, now: () => number): Router {
  const router = Router();

  router.post('/registrations', allow('partner_manager', 'partner'), async (req, res) => {
    const body = submission.parse(req.body);
    const caller = callerOf(req);
    const bound = boundPartnerOf(req);
    if (bound && body.partnerId !== bound)
      throw new HttpError(
        403,
        'AUTH.OTHER_PARTNER',
        'A partner key registers deals for its own partner only',
      );
    const input = {
      partnerId: body.partnerId,
      companyName: body.companyName,
      // Stored as the registrable domain it names ("https://shop.acme.co.uk/x" → acme.co.uk).
      companyDomain: body.companyDomain
        ? (normalizeDomain(body.companyDomain)?.registrable ?? null)
        : null,
      amount: body.amount?.amount ?? null,
      currency: body.amount?.currency ?? null,
    };
    res
      .status(201)
      .json(unwrap(await submitRegistration(db, caller.tenantId, input, actorOf(caller), now)));
  });

  router.get('/registrations', allow(...READERS, 'partner'), async (req, res) => {
    const query = listQuery.parse(req.query);
    const { tenantId } = callerOf(req);
    const { program } = await loadProgram(db, tenantId);
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const at = now();
    const rows = await db.query<RegistrationRow>(
      `select ${REGISTRATION_COLUMNS} from ${REGISTRATION_FROM}
        where r.tenant_id = $1
          and ($2::text is null or r.status = $2)
          and ($3::uuid is null or r.partner_id = $3)
          and ($4::boolean is null or (r.status = 'pending' and r.submitted_at < $5) = $4)
          and ($6::timestamptz is null or (r.submitted_at, r.id) > ($6, $7::uuid))
          and ($9::uuid is null or r.partner_id = $9)
        order by r.submitted_at, r.id
        limit $8`,
      [
        tenantId,
        query.status ?? null,
        query.partnerId ?? null,
        query.overdue ?? null,
        new Date(at - program.approvalSlaHours * 3_600_000),
        cursor?.s ?? null,
        cursor?.i ?? null,
        query.limit + 1,
        // A partner key lists its own partner's registrations only, whatever the query asks.
        boundPartnerOf(req) ?? null,
      ],
    );
    const page = rows.slice(0, query.limit);
    res.json({
      items: await viewsOf(db, tenantId, page, at, program.approvalSlaHours),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null,
    });
  });

  /** The triage header: pending, overdue against the SLA, decided this week. */
  router.get('/registrations/summary', allow(...READERS), async (req, res) => {
    const { tenantId } = callerOf(req);
    const { program } = await loadProgram(db, tenantId);
    res.json(await registrationSummary(db, tenantId, now(), program.approvalSlaHours));
  });

  router.get('/registrations/:id', allow(...READERS, 'partner'), async (req, res) => {
    const { id } = idParams.parse(req.params);
    const { tenantId } = callerOf(req);
    const row = await findRegistration(db, tenantId, id);
    const bound = boundPartnerOf(req);
    if (!row || (bound && row.partner_id !== bound))
      throw notFound('REGISTRATION.NOT_FOUND', `No registration ${id}`);
    const { program } = await loadProgram(db, tenantId);
    const history = await db.query(
      'select action, actor, reason, at from registration_decisions where tenant_id = $1 and registration_id = $2 order by seq',
      [tenantId, id],
    );
    const [view] = await viewsOf(db, tenantId, [row], now(), program.approvalSlaHours);
    res.json({ ...view, history });
  });

  router.post('/registrations/:id/decision', allow('partner_manager'), async (req, res) => {
    const { id } = idParams.parse(req.params);
    const body = decisionBody.parse(req.body);
    const caller = callerOf(req);
    res.json(unwrap(await decideRegistration(db, caller.tenantId, id, body, actorOf(caller), now)));
  });

  router.post('/registrations/:id/extend', allow('partner_manager'), async (req, res) => {
    const { id } = idParams.parse(req.params);
    const caller = callerOf(req);
    res.json(unwrap(await extendRegistration(db, caller.tenantId, id, actorOf(caller), now)));
  });

  return router;
}
