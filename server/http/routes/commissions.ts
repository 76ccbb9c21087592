import { type Request, type Response, Router } from 'express';
import { z } from 'zod';

import { moneyOf } from '../../../src/money/money';
import {
  approveEntries,
  payPartner,
  type StepFailure,
  type StepResult,
  voidEntry,
} from '../../commissions/ledger-steps';
import { recordRefund, type RefundFailure } from '../../commissions/refunds';
import {
  monthRange,
  type StatementLine,
  statementLines,
  statementTotals,
} from '../../commissions/statement';
import { csvStream } from '../../csv/write-csv';
import type { Database } from '../../db/database';
import { allow, ownPartnerOnly, READERS } from '../access';
import { actorOf, callerOf } from '../auth/authenticate';
import { type FailureTable, HttpError, httpErrorFor, notFound } from '../errors';
import { positiveMoneyInput } from '../money-input';

const period = z
  .string()
  .regex(/^2\d{3}-(0[1-9]|1[0-2])$/, 'must be a month from 2000-01 on, YYYY-MM');
/** A caller's own id for a request (a refund in the billing system, a payout batch). */
const requestId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1–100 letters, digits or . _ : -');

const query = z.strictObject({
  partnerId: z.uuid().optional(),
  period: period.optional(),
  after: z
    .string()
    .regex(/^\d{1,18}$/, 'must be the nextAfter of the previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const refundBody = z.strictObject({
  refundId: requestId,
  dealId: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be a CRM deal id'),
  refundedAt: z.iso.datetime({ offset: true }).optional(),
  amount: positiveMoneyInput,
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

function refundError(failure: RefundFailure, dealId: string, refundId: string): HttpError {
  switch (failure.code) {
    case 'DEAL.NOT_FOUND':
      return notFound('DEAL.NOT_FOUND', `No deal ${dealId}`);
    case 'REFUND.ID_REUSED':
      return new HttpError(409, failure.code, `Refund ${refundId} was recorded with other details`);
    case 'REFUND.DEAL_NOT_WON':
      return new HttpError(
        409,
        failure.code,
        `Deal ${dealId} is ${failure.stage}: only a won deal can be refunded`,
      );
    case 'REFUND.CURRENCY_MISMATCH':
      return new HttpError(
        400,
        failure.code,
        `Deal ${dealId} is in ${failure.dealCurrency ?? 'no currency'}: refund it in that currency`,
        [
          {
            path: 'amount.currency',
            message: `must be the deal's currency (${failure.dealCurrency})`,
          },
        ],
      );
    case 'REFUND.BEFORE_CLOSE':
      return new HttpError(400, failure.code, 'The request is not valid', [
        { path: 'refundedAt', message: `must not be before the deal closed (${failure.closedAt})` },
      ]);
    case 'REFUND.IN_FUTURE':
      return new HttpError(400, failure.code, 'The request is not valid', [
        { path: 'refundedAt', message: 'must not be in the future' },
      ]);
    case 'REFUND.EXCEEDS_DEAL':
      return new HttpError(
        409,
        failure.code,
        `The refund is more than is left to refund of deal ${dealId} (${failure.refundable.amount} ${failure.refundable.currency})`,
        { refundable: failure.refundable },
      );
  }
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
  'PAYOUT.NOTHING_DUE': {
    status: 409,
    message:
      'Nothing is due to this partner through that month: no accrued or approved entry sums above zero in any currency (see balances)',
  },
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
  amount: moneyOf(row.amount_minor, row.currency),
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
  router.post('/refunds', allow(), async (req, res) => {
    const body = refundBody.parse(req.body);
    const caller = callerOf(req);
    const result = await db.transaction((tx) =>
      recordRefund(
        tx,
        caller.tenantId,
        {
          refundId: body.refundId,
          dealCrmId: body.dealId,
          refundedAt: body.refundedAt === undefined ? undefined : Date.parse(body.refundedAt),
          amount: body.amount,
        },
        actorOf(caller),
        now(),
      ),
    );
    if (!result.ok) throw refundError(result.failure, body.dealId, body.refundId);
    res.status(result.value.replayed ? 200 : 201).json(result.value);
  });

  /** The ledger's entries, oldest first, a page at a time, with the partner and deal they belong to. */
  router.get('/commissions', allow(...READERS), async (req, res) => {
    const options = query.parse(req.query);
    const range = options.period ? monthRange(options.period) : null;
    const filter = [
      callerOf(req).tenantId,
      options.partnerId ?? null,
      range?.from ?? null,
      range?.to ?? null,
    ];
    const where = `l.tenant_id = $1 and ($2::uuid is null or l.partner_id = $2)
      and ($3::timestamptz is null or (l.created_at >= $3 and l.created_at < $4))`;
    const rows = await db.query<
      EntryRow & { seq: string; partner_name: string; deal_name: string | null }
    >(
      `select l.seq::text, l.id, d.crm_id as deal_crm_id, d.name as deal_name, l.partner_id, p.name as partner_name,
              l.role, l.kind, l.status, l.amount_minor::text, l.currency, l.rate_bps, l.tier, l.created_at
         from ledger_entries_status l
         join partners p on p.tenant_id = l.tenant_id and p.id = l.partner_id
         left join deals d on d.tenant_id = l.tenant_id and d.id = l.deal_id
        where ${where} and ($5::bigint is null or l.seq > $5)
        order by l.seq
        limit $6`,
      [...filter, options.after ?? null, options.limit + 1],
    );
    const totals = await db.query<{ currency: string; total: string; entries: number }>(
      `select l.currency, coalesce(sum(l.amount_minor) filter (where l.status <> 'void'), 0)::text as total, count(*)::int as entries
         from ledger_entries_status l where ${where} group by l.currency order by l.currency`,
      filter,
    );
    const page = rows.slice(0, options.limit);
    res.json({
      entries: page.map((row) => ({
        id: row.id,
        dealId: row.deal_crm_id,
        dealName: row.deal_name,
        partner: { id: row.partner_id, name: row.partner_name },
        role: row.role,
        kind: row.kind,
        status: row.status,
        amount: moneyOf(row.amount_minor, row.currency),
        rateBps: row.rate_bps,
        tier: row.tier,
        createdAt: row.created_at.toISOString(),
      })),
      /** Over every page of the filter: entries counted, amounts summed without the void ones. */
      totals: totals.map((t) => ({ ...moneyOf(t.total, t.currency), entries: t.entries })),
      nextAfter: rows.length > options.limit ? page[page.length - 1]!.seq : null,
    });
  });

  router.post('/commissions/approve', allow(), async (req, res) => {
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

  router.post('/commissions/:entryId/void', allow(), async (req, res) => {
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
  router.post('/payouts', allow(), async (req, res) => {
    const body = payoutBody.parse(req.body);
    const caller = callerOf(req);
    const thisMonth = new Date(now()).toISOString().slice(0, 7);
    if (body.throughPeriod > thisMonth)
      throw new HttpError(400, 'REQUEST.INVALID', 'The request is not valid', [
        {
          path: 'throughPeriod',
          message: `must not be after this month (${thisMonth}): a payout pays what is due, not what may come`,
        },
      ]);
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
  router.get(
    '/partners/:partnerId/statements/:period',
    allow(...READERS, 'partner'),
    async (req, res) => {
      const params = statementParams.safeParse(req.params);
      if (!params.success) {
        if (params.error.issues.some((i) => i.path[0] === 'partnerId'))
          throw notFound('PARTNER.NOT_FOUND', 'No such partner');
        throw params.error;
      }
      const { partnerId, period: month } = params.data;
      ownPartnerOnly(req, partnerId, 'PARTNER');
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
    },
  );
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
  const { csv, write } = csvStream(STATEMENT_COLUMNS);
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
        entry.amount.amount,
        line.amount_minor,
        entry.amount.currency,
        entry.rateBps === null ? '' : String(entry.rateBps),
        entry.tier ?? '',
        entry.voidReason ?? '',
        entry.payoutId ?? '',
      ];
      await write(cells);
      if (req.destroyed) break;
    }
    if (lines.length < 2000 || req.destroyed) break;
    after = lines[lines.length - 1]!.seq;
  }
  csv.end();
}
