import { randomUUID } from 'node:crypto';

import { type Money, moneyOf } from '../../src/money/money';
import { recordAudit } from '../db/audit';
import type { Queryable } from '../db/database';
import { lockTenantLedger } from './ledger-lock';

// Entries move accrued → approved → paid; accrued or approved ones may be voided (DESIGN.md §6).
// Each step is appended to ledger_entry_steps; the database refuses steps out of order.

export type StepFailure =
  | { code: 'ENTRY.NOT_FOUND'; entryIds: string[] }
  | {
      code: 'ENTRY.NOT_APPROVABLE' | 'ENTRY.NOT_VOIDABLE';
      entries: Array<{ id: string; kind?: string; status: string }>;
    }
  | { code: 'PARTNER.NOT_FOUND' }
  | { code: 'PAYOUT.NOTHING_DUE'; balances: Money[] }
  | { code: 'PAYOUT.REQUEST_REUSED' };

export type StepResult<T> = { ok: true; value: T } | { ok: false; failure: StepFailure };

interface StatusRow {
  id: string;
  kind: string;
  status: string;
}

const statusesOf = (db: Queryable, tenantId: string, entryIds: string[]) =>
  db.query<StatusRow>(
    'select id, kind, status from ledger_entries_status where tenant_id = $1 and id = any($2::uuid[])',
    [tenantId, entryIds],
  );

/** Approves accrued entries; approved ones stay as they are. All or nothing: one that cannot be approved refuses the lot. */
export async function approveEntries(
  db: Queryable,
  tenantId: string,
  entryIds: string[],
  actor: string,
): Promise<StepResult<{ approved: number }>> {
  await lockTenantLedger(db, tenantId);
  const ids = [...new Set(entryIds)];
  const rows = await statusesOf(db, tenantId, ids);
  const found = new Set(rows.map((row) => row.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0)
    return { ok: false, failure: { code: 'ENTRY.NOT_FOUND', entryIds: missing } };
  const refused = rows.filter(
    (row) => row.kind === 'payout' || !['accrued', 'approved'].includes(row.status),
  );
  if (refused.length > 0)
    return {
      ok: false,
      failure: {
        code: 'ENTRY.NOT_APPROVABLE',
        entries: refused.map((row) => ({ id: row.id, status: row.status })),
      },
    };
  const accrued = rows.filter((row) => row.status === 'accrued').map((row) => row.id);
  await appendSteps(db, tenantId, accrued, 'approved', actor);
  if (accrued.length > 0)
    await recordAudit(db, {
      tenantId,
      actor,
      action: 'commissions.approved',
      subjectType: 'ledger',
      subjectId: tenantId,
      details: { entryIds: accrued },
    });
  return { ok: true, value: { approved: accrued.length } };
}

/**
 * Voids an accrued or approved accrual, with the reason; a paid one can only be clawed back. What
 * follows from it (its reversal, clawbacks on it, the accrual that replaces it when the deal
 * changes) is void with it.
 */
export async function voidEntry(
  db: Queryable,
  tenantId: string,
  entryId: string,
  reason: string,
  actor: string,
): Promise<StepResult<{ entryId: string }>> {
  await lockTenantLedger(db, tenantId);
  const [row] = await statusesOf(db, tenantId, [entryId]);
  if (!row) return { ok: false, failure: { code: 'ENTRY.NOT_FOUND', entryIds: [entryId] } };
  // Reversals and clawbacks follow their accrual: voiding one alone would pay a deal twice.
  if (row.kind !== 'accrual' || !['accrued', 'approved'].includes(row.status))
    return {
      ok: false,
      failure: {
        code: 'ENTRY.NOT_VOIDABLE',
        entries: [{ id: row.id, kind: row.kind, status: row.status }],
      },
    };
  await appendSteps(db, tenantId, [entryId], 'void', actor, { reason });
  await recordAudit(db, {
    tenantId,
    actor,
    action: 'commissions.voided',
    subjectType: 'ledger_entry',
    subjectId: entryId,
    details: { reason },
  });
  return { ok: true, value: { entryId } };
}

export interface Payout {
  id: string;
  partnerId: string;
  throughPeriod: string;
  amount: Money;
  entries: number;
  reference: string | null;
  createdAt: string;
}

/**
 * Pays a partner everything due through the end of a month: every accrued or approved entry up to
 * then is approved (where it was not) and paid, and a payout entry settles the total, per currency.
 * A currency whose total is not above zero is carried forward. The caller's requestId makes a
 * retry answer the same payouts instead of paying twice.
 */
export async function payPartner(
  db: Queryable,
  tenantId: string,
  request: {
    requestId: string;
    partnerId: string;
    throughPeriod: string;
    /** The end of throughPeriod (exclusive), as statements count months. */
    through: Date;
    reference?: string;
  },
  actor: string,
): Promise<StepResult<{ payouts: Payout[]; replayed: boolean }>> {
  await lockTenantLedger(db, tenantId);
  const earlier = await payoutsOf(db, tenantId, request.requestId);
  if (earlier.length > 0) {
    const same = earlier.every(
      (p) =>
        p.partnerId === request.partnerId &&
        p.throughPeriod === request.throughPeriod &&
        p.reference === (request.reference ?? null),
    );
    return same
      ? { ok: true, value: { payouts: earlier, replayed: true } }
      : { ok: false, failure: { code: 'PAYOUT.REQUEST_REUSED' } };
  }
  const [partner] = await db.query('select 1 from partners where tenant_id = $1 and id = $2', [
    tenantId,
    request.partnerId,
  ]);
  if (!partner) return { ok: false, failure: { code: 'PARTNER.NOT_FOUND' } };

  const due = await db.query<{
    id: string;
    status: string;
    amount_minor: string;
    currency: string;
  }>(
    `select id, status, amount_minor::text, currency from ledger_entries_status
      where tenant_id = $1 and partner_id = $2 and kind <> 'payout' and status in ('accrued', 'approved')
        and created_at < $3
      order by seq`,
    [tenantId, request.partnerId, request.through],
  );
  const byCurrency = new Map<string, typeof due>();
  for (const entry of due) {
    const list = byCurrency.get(entry.currency);
    if (list) list.push(entry);
    else byCurrency.set(entry.currency, [entry]);
  }
  const balances = new Map(
    [...byCurrency].map(([currency, entries]) => [
      currency,
      entries.reduce((sum, e) => sum + BigInt(e.amount_minor), 0n),
    ]),
  );
  const payable = [...byCurrency].filter(([currency]) => balances.get(currency)! > 0n);
  if (payable.length === 0)
    return {
      ok: false,
      failure: {
        code: 'PAYOUT.NOTHING_DUE',
        balances: [...balances].map(([currency, value]) => moneyOf(value, currency)),
      },
    };

  for (const [currency, entries] of payable) {
    const id = randomUUID();
    const total = balances.get(currency)!;
    await appendSteps(
      db,
      tenantId,
      entries.filter((e) => e.status === 'accrued').map((e) => e.id),
      'approved',
      actor,
    );
    await appendSteps(
      db,
      tenantId,
      entries.map((e) => e.id),
      'paid',
      actor,
      { payoutId: id },
    );
    await db.query(
      `insert into ledger_entries (tenant_id, deal_id, partner_id, role, deal_version, kind, amount_minor, currency)
       values ($1, null, $2, null, $3, 'payout', $4, $5)`,
      [tenantId, request.partnerId, id, (-total).toString(), currency],
    );
    await db.query(
      `insert into payouts (tenant_id, id, request_id, partner_id, through_period, currency, amount_minor, entries, reference, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        tenantId,
        id,
        request.requestId,
        request.partnerId,
        request.throughPeriod,
        currency,
        total.toString(),
        entries.length,
        request.reference ?? null,
        actor,
      ],
    );
  }
  const payouts = await payoutsOf(db, tenantId, request.requestId);
  await recordAudit(db, {
    tenantId,
    actor,
    action: 'payout.paid',
    subjectType: 'partner',
    subjectId: request.partnerId,
    details: {
      requestId: request.requestId,
      payouts: payouts.map((p) => ({
        id: p.id,
        amount: p.amount.amount,
        currency: p.amount.currency,
        entries: p.entries,
      })),
    },
  });
  return { ok: true, value: { payouts, replayed: false } };
}

async function payoutsOf(db: Queryable, tenantId: string, requestId: string): Promise<Payout[]> {
  const rows = await db.query<{
    id: string;
    partner_id: string;
    through_period: string;
    currency: string;
    amount_minor: string;
    entries: number;
    reference: string | null;
    created_at: Date;
  }>(
    `select id, partner_id, through_period, currency, amount_minor::text, entries, reference, created_at
       from payouts where tenant_id = $1 and request_id = $2 order by currency`,
    [tenantId, requestId],
  );
  return rows.map((row) => ({
    id: row.id,
    partnerId: row.partner_id,
    throughPeriod: row.through_period,
    amount: moneyOf(row.amount_minor, row.currency),
    entries: row.entries,
    reference: row.reference,
    createdAt: row.created_at.toISOString(),
  }));
}

async function appendSteps(
  db: Queryable,
  tenantId: string,
  entryIds: string[],
  status: 'approved' | 'paid' | 'void',
  actor: string,
  extra: { reason?: string; payoutId?: string } = {},
): Promise<void> {
  if (entryIds.length === 0) return;
  await db.query(
    `insert into ledger_entry_steps (tenant_id, entry_id, status, reason, payout_id, actor)
     select $1, t.entry_id, $3, $4, $5, $6 from unnest($2::uuid[]) as t (entry_id)`,
    [tenantId, entryIds, status, extra.reason ?? null, extra.payoutId ?? null, actor],
  );
}
