import { Router } from 'express';
import { z } from 'zod';

import { isCurrencyCode } from '../../../src/money/currency';
import { toMinorUnits } from '../../../src/money/minor-units';
import { recomputeDeal } from '../../commissions/recompute-deal';
import { recordAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import { actorOf, callerOf } from '../auth/authenticate';
import { notFound } from '../errors';

const query = z.strictObject({
  partnerId: z.uuid().optional(),
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
    .optional(),
});

const refundBody = z
  .strictObject({
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

interface EntryRow {
  id: string;
  deal_crm_id: string;
  partner_id: string;
  role: string;
  kind: string;
  amount_minor: string;
  currency: string;
  rate_bps: number | null;
  tier: string | null;
  created_at: Date;
}

/** The ledger's entries for a partner and/or a month, with their totals per currency. */
export function commissionRoutes(db: Database, now: () => number): Router {
  const router = Router();

  /** Records a refund and claws back at once (within clawbackDays), in one transaction. */
  router.post('/refunds', async (req, res) => {
    const body = refundBody.parse(req.body);
    const caller = callerOf(req);
    const result = await db.transaction(async (tx) => {
      const [deal] = await tx.query<{ id: string }>(
        'select id from deals where tenant_id = $1 and crm_id = $2',
        [caller.tenantId, body.dealId],
      );
      if (!deal) throw notFound('DEAL.NOT_FOUND', `No deal ${body.dealId}`);
      const amount = toMinorUnits(body.amount, body.currency);
      const [refund] = await tx.query<{ id: string }>(
        'insert into refunds (tenant_id, deal_id, refunded_at, amount_minor, currency, recorded_by) values ($1, $2, $3, $4, $5, $6) returning id',
        [
          caller.tenantId,
          deal.id,
          new Date(body.refundedAt ?? now()),
          amount.ok ? amount.value.toString() : null,
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
        details: { refundId: refund!.id, amount: body.amount, currency: body.currency },
      });
      const recomputed = await recomputeDeal(tx, caller.tenantId, deal.id);
      return { refundId: refund!.id, clawbacks: recomputed.clawedBack, errors: recomputed.errors };
    });
    res.status(201).json(result);
  });

  router.get('/commissions', async (req, res) => {
    const { partnerId, period } = query.parse(req.query);
    const from = period ? new Date(`${period}-01T00:00:00Z`) : null;
    const to = from ? new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) : null;
    const rows = await db.query<EntryRow>(
      `select l.id, d.crm_id as deal_crm_id, l.partner_id, l.role, l.kind, l.amount_minor::text, l.currency, l.rate_bps, l.tier, l.created_at
         from ledger_entries l join deals d on d.tenant_id = l.tenant_id and d.id = l.deal_id
        where l.tenant_id = $1 and ($2::uuid is null or l.partner_id = $2)
          and ($3::timestamptz is null or (l.created_at >= $3 and l.created_at < $4))
        order by l.seq
        limit 10000`,
      [callerOf(req).tenantId, partnerId ?? null, from, to],
    );
    const totals = new Map<string, bigint>();
    for (const row of rows)
      totals.set(row.currency, (totals.get(row.currency) ?? 0n) + BigInt(row.amount_minor));
    res.json({
      entries: rows.map((row) => ({
        id: row.id,
        dealId: row.deal_crm_id,
        partnerId: row.partner_id,
        role: row.role,
        kind: row.kind,
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
  return router;
}
