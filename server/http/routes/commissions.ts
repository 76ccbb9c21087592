import { stringify } from 'csv-stringify';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';

import { isCurrencyCode } from '../../../src/money/currency';
import { formatMinorUnits, toMinorUnits } from '../../../src/money/minor-units';
import { lockTenantLedger } from '../../commissions/ledger-lock';
import {
  approveEntries,
  payPartner,
  type StepFailure,
  type StepResult,
  voidEntry,
} from '../../commissions/ledger-steps';
import { recomputeDeals } from '../../commissions/recompute-deals';
import {
  monthRange,
  type StatementLine,
  statementLines,
  statementTotals,
} from '../../commissions/statement';
import { safeCell } from '../../csv/write-csv';
import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import { actorOf, callerOf } from '../auth/authenticate';
import { type FailureTable, HttpError, httpErrorFor, notFound } from '../errors';

const period = z
  .string()
  .regex(/^2\d{3}-(0[1-9]|1[0-2])$/, 'must be a month from 2000-01 on, YYYY-MM');
/** A caller's own id for a request (a refund in the billing system, a payout batch). */
const requestId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1–100 letters, digits or . _ : -');

const query = z.strictObject({ partnerId: z.uuid().optional(), period: period.optional() });

const refundBody = z
  .strictObject({
    refundId: requestId,
    dealId: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be a CRM deal id'),
    refundedAt: z.iso.datetime({ offset: true }).optional(),
    amount: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a decimal amount like "2500.00"'),
    currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code'),
  })
  .superRefine((body, ctx) => {
    if (!isCurrencyCode(body.currency)) return;
    const minor = toMinorUnits(body.amount, body.currency);
    if (!minor.ok) ctx.addIssue({ code: 'custom', path: ['amount'], message: minor.error.message });
    else if (minor.value <= 0n)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be above 0' });
  });

const approveBody = z.strictObject({ entryIds: z.array(z.uuid()).min(1).max(5000) });
const voidBody = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(500) });
const payoutBody = z.strictObject({
  requestId,
  partnerId: z.uuid(),
  throughPeriod: period,
  reference: z.string().trim().min(1).max(200).optional(),
});
const statementParams = z.strictObject({ partnerId: z.uuid(), period });
const statementQuery = z.strictObject({
  format: z.enum(['json', 'csv']).optional(),
  after: z
    .string()
    .regex(/^\d{1,18}$/, 'must be the nextAfter of the previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const STATEMENT_COLUMNS = [
  'entry_id',
  'created_at',
  'deal_id',
  'deal_name',
  'kind',
  'role',
  'status',
  'amount',
  'amount_minor',
  'currency',
  'rate_bps',
  'tier',
  'void_reason',
  'payout_id',
] as const;

interface EntryRow {
  id: string;
  deal_crm_id: string | null;
  partner_id: string;
  role: string | null;
  kind: string;
  status: string;
  amount_minor: string;
  currency: string;
  rate_bps: number | null;
  tier: string | null;
  created_at: Date;
}

const STEP_ERRORS: FailureTable<StepFailure['code']> = {
  'ENTRY.NOT_FOUND': { status: 404, message: 'No such ledger entries' },
  'ENTRY.NOT_APPROVABLE': { status: 409, message: 'Only accrued entries can be approved' },
  'ENTRY.NOT_VOIDABLE': {
    status: 409,
    message:
      'Only accrued or approved accruals can be voided (their reversals and clawbacks follow them); a paid one is clawed back instead',
  },
  'PARTNER.NOT_FOUND': { status: 404, message: 'No such partner' },
  'PAYOUT.NOTHING_DUE': { status: 409, message: 'Nothing is due to this partner through then' },
  'PAYOUT.REQUEST_REUSED': {
    status: 409,
    message: 'This requestId was used for another partner or period',
  },
};

function unwrap<T>(result: StepResult<T>): T {
  if (result.ok) return result.value;
  throw httpErrorFor(STEP_ERRORS, result.failure);
}

const entryJson = (row: StatementLine) => ({
  id: row.id,
  createdAt: row.created_at.toISOString(),
  dealId: row.deal_crm_id,
  dealName: row.deal_name,
  kind: row.kind,
  role: row.role,
  status: row.status,
  amount: formatMinorUnits(BigInt(row.amount_minor), row.currency, { grouping: false }),
  amountMinor: row.amount_minor,
  currency: row.currency,
  rateBps: row.rate_bps,
  tier: row.tier,
  voidReason: row.void_reason,
  payoutId: row.payout_id,
});

/** The ledger (DESIGN.md §6): entries, refunds and their clawbacks, approvals, voids, payouts, statements. */
export function commissionRoutes(db: Database, now: () => number): Router {
  const router = Router();

  /**
   * Records a refund and claws back at once (within clawbackDays), in one transaction. The
   * caller's refundId makes a retry answer the first result instead of refunding twice.
   */
  router.post('/refunds', async (req, res) => {
    const body = refundBody.parse(req.body);
    const caller = callerOf(req);
    const amount = toMinorUnits(body.amount, body.currency);
    const amountMinor = amount.ok ? amount.value.toString() : null;
    const result = await db.transaction(async (tx) => {
      await lockTenantLedger(tx, caller.tenantId);
      const [deal] = await tx.query<{ id: string }>(
        'select id from deals where tenant_id = $1 and crm_id = $2',
        [caller.tenantId, body.dealId],
      );
      if (!deal) throw notFound('DEAL.NOT_FOUND', `No deal ${body.dealId}`);
      const [earlier] = await tx.query<{
        id: string;
        deal_id: string;
        amount_minor: string;
        currency: string;
        refunded_at: Date;
      }>(
        'select id, deal_id, amount_minor::text, currency, refunded_at from refunds where tenant_id = $1 and external_id = $2',
        [caller.tenantId, body.refundId],
      );
      if (earlier) {
        const same =
          earlier.deal_id === deal.id &&
          earlier.amount_minor === amountMinor &&
          earlier.currency === body.currency &&
          (body.refundedAt === undefined ||
            earlier.refunded_at.getTime() === new Date(body.refundedAt).getTime());
        if (!same)
          throw new HttpError(
            409,
            'REFUND.ID_REUSED',
            `Refund ${body.refundId} was recorded with other details`,
          );
        // The first call's answer: what that refund clawed back (errors are not kept).
        const [{ clawbacks }] = (await tx.query<{ clawbacks: number }>(
          `select count(*)::int as clawbacks from ledger_entries
            where tenant_id = $1 and deal_id = $2 and kind = 'clawback' and deal_version like '%:refund:' || $3`,
          [caller.tenantId, deal.id, earlier.id],
        )) as [{ clawbacks: number }];
        return { status: 200, refundId: body.refundId, clawbacks, errors: [], replayed: true };
      }
      await tx.query(
        'insert into refunds (tenant_id, deal_id, external_id, refunded_at, amount_minor, currency, recorded_by) values ($1, $2, $3, $4, $5, $6, $7)',
        [
          caller.tenantId,
          deal.id,
          body.refundId,
          new Date(body.refundedAt ?? now()),
          amountMinor,
          body.currency,
          actorOf(caller),
        ],
      );
      await recordAudit(tx, {
        tenantId: caller.tenantId,
        actor: actorOf(caller),
        action: 'refund.recorded',
        subjectType: 'deal',
        subjectId: body.dealId,
        details: { refundId: body.refundId, amount: body.amount, currency: body.currency },
      });
      const recomputed = await recomputeDeals(tx, caller.tenantId, [deal.id]);
      return {
        status: 201,
        refundId: body.refundId,
        clawbacks: recomputed.clawedBack,
        errors: recomputed.errors,
        replayed: false,
      };
    });
    const { status, ...answer } = result;
    res.status(status).json(answer);
  });

  router.get('/commissions', async (req, res) => {
    const { partnerId, period: month } = query.parse(req.query);
    const range = month ? monthRange(month) : null;
    const rows = await db.query<EntryRow>(
      `select l.id, d.crm_id as deal_crm_id, l.partner_id, l.role, l.kind, l.status, l.amount_minor::text, l.currency, l.rate_bps, l.tier, l.created_at
         from ledger_entries_status l left join deals d on d.tenant_id = l.tenant_id and d.id = l.deal_id
        where l.tenant_id = $1 and ($2::uuid is null or l.partner_id = $2)
          and ($3::timestamptz is null or (l.created_at >= $3 and l.created_at < $4))
        order by l.seq
        limit 10000`,
      [callerOf(req).tenantId, partnerId ?? null, range?.from ?? null, range?.to ?? null],
    );
    const totals = new Map<string, bigint>();
    for (const row of rows)
      if (row.status !== 'void')
        totals.set(row.currency, (totals.get(row.currency) ?? 0n) + BigInt(row.amount_minor));
    res.json({
      entries: rows.map((row) => ({
        id: row.id,
        dealId: row.deal_crm_id,
        partnerId: row.partner_id,
        role: row.role,
        kind: row.kind,
        status: row.status,
        amountMinor: row.amount_minor,
        currency: row.currency,
        rateBps: row.rate_bps,
        tier: row.tier,
        createdAt: row.created_at.toISOString(),
      })),
      totals: Object.fromEntries(
        [...totals].map(([currency, total]) => [currency, total.toString()]),
      ),
    });
  });

  router.post('/commissions/approve', async (req, res) => {
    const body = approveBody.parse(req.body);
    const caller = callerOf(req);
    res.json(
      unwrap(
        await db.transaction((tx) =>
          approveEntries(tx, caller.tenantId, body.entryIds, actorOf(caller)),
        ),
      ),
    );
  });

  router.post('/commissions/:entryId/void', async (req, res) => {
    const entryId = z.uuid().safeParse(req.params.entryId);
    if (!entryId.success) throw notFound('ENTRY.NOT_FOUND', 'No such ledger entry');
    const body = voidBody.parse(req.body);
    const caller = callerOf(req);
    res.json(
      unwrap(
        await db.transaction((tx) =>
          voidEntry(tx, caller.tenantId, entryId.data, body.reason, actorOf(caller)),
        ),
      ),
    );
  });

  /** Approves and pays, per currency, everything due to a partner through a month; audited. */
  router.post('/payouts', async (req, res) => {
    const body = payoutBody.parse(req.body);
    const caller = callerOf(req);
    const result = unwrap(
      await db.transaction((tx) =>
        payPartner(
          tx,
          caller.tenantId,
          { ...body, through: monthRange(body.throughPeriod).to },
          actorOf(caller),
        ),
      ),
    );
    res.status(result.replayed ? 200 : 201).json(result);
  });

  /** A partner's month: its entries with their status, and the totals between the balances owed. */
  router.get('/partners/:partnerId/statements/:period', async (req, res) => {
    const params = statementParams.safeParse(req.params);
    if (!params.success) {
      if (params.error.issues.some((i) => i.path[0] === 'partnerId'))
        throw notFound('PARTNER.NOT_FOUND', 'No such partner');
      throw params.error;
    }
    const { partnerId, period: month } = params.data;
    const options = statementQuery.parse(req.query);
    const tenantId = callerOf(req).tenantId;
    const [partner] = await db.query<{ name: string }>(
      'select name from partners where tenant_id = $1 and id = $2',
      [tenantId, partnerId],
    );
    if (!partner) throw notFound('PARTNER.NOT_FOUND', 'No such partner');
    const range = monthRange(month);
    const wantsCsv =
      options.format === 'csv' ||
      (!options.format && req.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (wantsCsv) return streamStatementCsv(db, tenantId, partnerId, range, req, res, month);

    const lines = await statementLines(db, tenantId, partnerId, range, {
      afterSeq: options.after,
      limit: options.limit + 1,
    });
    const more = lines.length > options.limit;
    const page = more ? lines.slice(0, options.limit) : lines;
    res.json({
      partner: { id: partnerId, name: partner.name },
      period: month,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      totals: await statementTotals(db, tenantId, partnerId, range),
      lines: page.map(entryJson),
      nextAfter: more ? page[page.length - 1]!.seq : null,
    });
  });
  return router;
}

/** The whole month as CSV, read a page at a time (constant memory), every text cell formula-safe. */
async function streamStatementCsv(
  db: Database,
  tenantId: string,
  partnerId: string,
  range: { from: Date; to: Date },
  req: Request,
  res: Response,
  month: string,
): Promise<void> {
  res.type('text/csv; charset=utf-8');
  res.setHeader(
    'content-disposition',
    `attachment; filename="statement-${partnerId}-${month}.csv"`,
  );
  const csv = stringify({ header: true, columns: [...STATEMENT_COLUMNS], record_delimiter: '\n' });
  csv.pipe(res);
  let after: string | undefined;
  for (;;) {
    const lines = await statementLines(db, tenantId, partnerId, range, {
      afterSeq: after,
      limit: 2000,
    });
    for (const line of lines) {
      const entry = entryJson(line);
      const cells = [
        entry.id,
        entry.createdAt,
        entry.dealId ?? '',
        entry.dealName ?? '',
        entry.kind,
        entry.role ?? '',
        entry.status,
        entry.amount,
        entry.amountMinor,
        entry.currency,
        entry.rateBps === null ? '' : String(entry.rateBps),
        entry.tier ?? '',
        entry.voidReason ?? '',
        entry.payoutId ?? '',
      ].map(safeCell);
      if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve));
      if (req.destroyed) break;
    }
    if (lines.length < 2000 || req.destroyed) break;
    after = lines[lines.length - 1]!.seq;
  }
  csv.end();
}
