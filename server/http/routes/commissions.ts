import { Router } from 'express';
import { z } from 'zod';

import type { Queryable } from '../../db/database';
import { callerOf } from '../auth/authenticate';

const query = z.strictObject({
  partnerId: z.uuid().optional(),
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
    .optional(),
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
export function commissionRoutes(db: Queryable): Router {
  const router = Router();
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
