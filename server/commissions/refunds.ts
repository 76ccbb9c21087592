import { toMinorUnits } from '../../src/money/minor-units';
import { type Money, moneyOf, moneyWords } from '../../src/money/money';
import { recordAudit } from '../db/audit';
import type { Queryable } from '../db/database';
import { loadProgram } from '../registrations/program-store';
import { lockTenantLedger } from './ledger-lock';
import { recomputeDeals } from './recompute-deals';

export interface RefundRequest {
  refundId: string;
  dealCrmId: string;
  /** When the billing system refunded; absent: now (`now`), and a retry may leave it out too. */
  refundedAt?: number;
  amount: Money & { minor: bigint };
}

export interface RefundRecorded {
  refundId: string;
  dealId: string;
  amount: Money;
  /** What this refund took back from the partners' accruals, in all. */
  clawedBack: Money;
  /** Clawback entries written for this refund. */
  clawbacks: number;
  explanation: string;
  replayed: boolean;
}

export type RefundFailure =
  | { code: 'DEAL.NOT_FOUND' }
  | { code: 'REFUND.DEAL_NOT_WON'; stage: string }
  | { code: 'REFUND.CURRENCY_MISMATCH'; dealCurrency: string | null }
  | { code: 'REFUND.EXCEEDS_DEAL'; refundable: Money }
  | { code: 'REFUND.BEFORE_CLOSE'; closedAt: string }
  | { code: 'REFUND.IN_FUTURE' }
  | { code: 'REFUND.ID_REUSED' };

interface DealRow {
  id: string;
  name: string;
  stage: string;
  amount: string | null;
  currency: string | null;
  closed_at: Date | null;
  refunded_minor: string;
}

/**
 * Records a refund of a won deal and claws back at once, in the caller's transaction (DESIGN.md
 * §6). Only a won deal can be refunded, in its own currency, up to what is left of its amount.
 * The caller's refundId makes a retry answer the first result instead of refunding twice.
 */
export async function recordRefund(
  tx: Queryable,
  tenantId: string,
  request: RefundRequest,
  actor: string,
  now: number,
): Promise<{ ok: true; value: RefundRecorded } | { ok: false; failure: RefundFailure }> {
  await lockTenantLedger(tx, tenantId);
  const [deal] = await tx.query<DealRow>(
    `select d.id, d.name, d.stage, trim_scale(d.amount)::text as amount, d.currency, d.closed_at,
            (select coalesce(sum(r.amount_minor), 0)::text from refunds r where r.tenant_id = d.tenant_id and r.deal_id = d.id) as refunded_minor
       from deals d
      where d.tenant_id = $1 and d.crm_id = $2 and d.archived_at is null`,
    [tenantId, request.dealCrmId],
  );
  if (!deal) return failed({ code: 'DEAL.NOT_FOUND' });
  const [earlier] = await tx.query<{
    id: string;
    deal_id: string;
    amount_minor: string;
    currency: string;
    refunded_at: Date;
  }>(
    'select id, deal_id, amount_minor::text, currency, refunded_at from refunds where tenant_id = $1 and external_id = $2',
    [tenantId, request.refundId],
  );
  if (earlier) {
    const same =
      earlier.deal_id === deal.id &&
      earlier.amount_minor === request.amount.minor.toString() &&
      earlier.currency === request.amount.currency &&
      (request.refundedAt === undefined || earlier.refunded_at.getTime() === request.refundedAt);
    if (!same) return failed({ code: 'REFUND.ID_REUSED' });
    return {
      ok: true,
      value: await answer(
        tx,
        tenantId,
        deal,
        request,
        earlier.id,
        earlier.refunded_at.getTime(),
        true,
      ),
    };
  }
  if (deal.stage !== 'won') return failed({ code: 'REFUND.DEAL_NOT_WON', stage: deal.stage });
  if (deal.currency !== request.amount.currency)
    return failed({ code: 'REFUND.CURRENCY_MISMATCH', dealCurrency: deal.currency });
  const dealMinor = deal.amount === null ? undefined : toMinorUnits(deal.amount, deal.currency);
  const refundable = (dealMinor?.ok ? dealMinor.value : 0n) - BigInt(deal.refunded_minor);
  const refundedAt = request.refundedAt ?? now;
  // A refund happened: after the deal closed, and not later than now (a minute's clock skew allowed).
  if (deal.closed_at && refundedAt < deal.closed_at.getTime())
    return failed({ code: 'REFUND.BEFORE_CLOSE', closedAt: deal.closed_at.toISOString() });
  if (refundedAt > now + 60_000) return failed({ code: 'REFUND.IN_FUTURE' });
  if (request.amount.minor > refundable)
    return failed({
      code: 'REFUND.EXCEEDS_DEAL',
      refundable: moneyOf(refundable < 0n ? 0n : refundable, deal.currency),
    });
  const [inserted] = await tx.query<{ id: string }>(
    `insert into refunds (tenant_id, deal_id, external_id, refunded_at, amount_minor, currency, recorded_by)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      tenantId,
      deal.id,
      request.refundId,
      new Date(refundedAt),
      request.amount.minor.toString(),
      request.amount.currency,
      actor,
    ],
  );
  await recordAudit(tx, {
    tenantId,
    actor,
    action: 'refund.recorded',
    subjectType: 'deal',
    subjectId: request.dealCrmId,
    details: {
      refundId: request.refundId,
      amount: request.amount.amount,
      currency: request.amount.currency,
    },
  });
  await recomputeDeals(tx, tenantId, [deal.id]);
  return {
    ok: true,
    value: await answer(tx, tenantId, deal, request, inserted!.id, refundedAt, false),
  };
}

const failed = (failure: RefundFailure) => ({ ok: false as const, failure });

/** This refund's clawbacks as the ledger has them now, and why there are none when there are none. */
async function answer(
  tx: Queryable,
  tenantId: string,
  deal: DealRow,
  request: RefundRequest,
  refundRowId: string,
  refundedAt: number,
  replayed: boolean,
): Promise<RefundRecorded> {
  const [taken] = (await tx.query<{ lines: number; total: string }>(
    // The clawbacks standing now: a deal change reverses them and claws back again from new lines.
    `select count(*)::int as lines, coalesce(sum(c.amount_minor), 0)::text as total from ledger_entries c
      where c.tenant_id = $1 and c.deal_id = $2 and c.kind = 'clawback' and c.deal_version like '%:refund:' || $3
        and not exists (select 1 from ledger_entries r
                         where r.tenant_id = c.tenant_id and r.deal_id = c.deal_id and r.partner_id = c.partner_id
                           and r.role = c.role and r.deal_version = c.deal_version and r.kind = 'reversal')`,
    [tenantId, deal.id, refundRowId],
  )) as [{ lines: number; total: string }];
  const currency = request.amount.currency;
  const { program } = await loadProgram(tx, tenantId);
  const windowEnd = (deal.closed_at?.getTime() ?? 0) + program.clawbackDays * 86_400_000;
  const explanation =
    taken.lines > 0
      ? `Refunded ${moneyWords(request.amount.minor, currency)} of "${deal.name}": ${moneyWords(-BigInt(taken.total), currency)} clawed back from its partners' commissions.`
      : refundedAt > windowEnd || refundedAt < (deal.closed_at?.getTime() ?? 0)
        ? `Refunded ${moneyWords(request.amount.minor, currency)} of "${deal.name}" outside the ${program.clawbackDays}-day clawback window after its close: nothing is clawed back.`
        : `Refunded ${moneyWords(request.amount.minor, currency)} of "${deal.name}": no commission had accrued on it, so nothing is clawed back.`;
  return {
    refundId: request.refundId,
    dealId: request.dealCrmId,
    amount: moneyOf(request.amount.minor, currency),
    clawedBack: moneyOf(-BigInt(taken.total), currency),
    clawbacks: taken.lines,
    explanation,
    replayed,
  };
}
