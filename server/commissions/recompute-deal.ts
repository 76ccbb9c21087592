import { createHash } from 'node:crypto';

import { accrueDeal } from '../../src/commissions/accrue';
import { clawBack } from '../../src/commissions/clawback';
import { type CommissionError, SHARE_SCALE } from '../../src/commissions/types';
import { parseScaled } from '../../src/money/decimal';
import { toMinorUnits } from '../../src/money/minor-units';
import type { Queryable } from '../db/database';
import { loadProgram } from '../registrations/program-store';

interface DealRow {
  id: string;
  stage: 'open' | 'won' | 'lost';
  amount: string | null;
  currency: string | null;
  closed_at: Date | null;
}

interface AttributionRow {
  partner_id: string;
  role: string;
  share_pct: string;
  type: string | null;
  tier: string;
}

interface AccrualRow {
  partner_id: string;
  role: string;
  deal_version: string;
  amount_minor: string;
  currency: string;
}

export interface RecomputeResult {
  version: string;
  reversed: number;
  accrued: number;
  clawedBack: number;
  errors: CommissionError[];
}

/**
 * Brings one deal's ledger in line with the deal as it is now (DESIGN.md §6): accruals of an older
 * version are reversed, the current version is accrued when the deal is won. Entries are keyed by
 * (deal, partner, role, deal version, kind), so running it again adds nothing.
 */
export async function recomputeDeal(
  db: Queryable,
  tenantId: string,
  dealId: string,
): Promise<RecomputeResult> {
  await db.query(`select pg_advisory_xact_lock(hashtext('commissions:' || $1 || ':' || $2))`, [
    tenantId,
    dealId,
  ]);
  const [deal] = await db.query<DealRow>(
    'select id, stage, trim_scale(amount)::text as amount, currency, closed_at from deals where tenant_id = $1 and id = $2',
    [tenantId, dealId],
  );
  if (!deal) return { version: '', reversed: 0, accrued: 0, clawedBack: 0, errors: [] };
  const { program, version: programVersion } = await loadProgram(db, tenantId);
  const attributions = await db.query<AttributionRow>(
    `select dp.partner_id, dp.role, dp.share_pct::text as share_pct, p.type, p.tier
       from deal_partners dp join partners p on p.tenant_id = dp.tenant_id and p.id = dp.partner_id
      where dp.tenant_id = $1 and dp.deal_id = $2
      order by dp.role, dp.partner_id`,
    [tenantId, dealId],
  );
  // The version is everything the lines depend on (any change reverses and re-accrues), and how
  // often that state was reversed before: a deal changed back to an earlier state accrues anew.
  const state = createHash('sha256')
    .update(
      JSON.stringify([
        deal.stage,
        deal.amount,
        deal.currency,
        deal.closed_at?.toISOString() ?? null,
        attributions,
        programVersion,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
  const [{ times }] = (await db.query<{ times: number }>(
    `select count(distinct deal_version)::int as times from ledger_entries
      where tenant_id = $1 and deal_id = $2 and kind = 'reversal' and deal_version like $3 || '.%'`,
    [tenantId, dealId, state],
  )) as [{ times: number }];
  const version = `${state}.${times}`;

  // Entries of an older version — accruals and the clawbacks made on them — are reversed.
  const previous = await db.query<AccrualRow>(
    `select a.partner_id, a.role, a.deal_version, a.amount_minor::text, a.currency from ledger_entries a
      where a.tenant_id = $1 and a.deal_id = $2 and a.kind in ('accrual', 'clawback')
        and split_part(a.deal_version, ':refund:', 1) <> $3
        and not exists (select 1 from ledger_entries r where r.tenant_id = a.tenant_id and r.deal_id = a.deal_id and r.partner_id = a.partner_id
                        and r.role = a.role and r.deal_version = a.deal_version and r.kind = 'reversal')`,
    [tenantId, dealId, version],
  );
  for (const line of previous) {
    await appendEntry(db, tenantId, dealId, {
      partnerId: line.partner_id,
      role: line.role,
      dealVersion: line.deal_version,
      kind: 'reversal',
      amountMinor: -BigInt(line.amount_minor),
      currency: line.currency,
    });
  }

  const amount =
    deal.amount !== null && deal.currency !== null
      ? toMinorUnits(deal.amount, deal.currency)
      : undefined;
  const partners = new Map(
    attributions.map((a) => [a.partner_id, { id: a.partner_id, type: a.type, tier: a.tier }]),
  );
  const dealFacts = {
    id: dealId,
    stage: deal.stage,
    amountMinor: amount?.ok ? amount.value : null,
    currency: deal.currency,
    closedAt: deal.closed_at?.getTime() ?? null,
  };
  const { lines, errors } = accrueDeal(
    program,
    dealFacts,
    attributions.map((a) => ({
      dealId,
      partnerId: a.partner_id,
      role: a.role,
      shareScaled: parseScaled(a.share_pct, SHARE_SCALE)!,
    })),
    partners,
  );
  let accrued = 0;
  const frozen = (line: (typeof lines)[number]) => ({
    rateBps: line.rateBps,
    tier: line.tier,
    programVersion,
    rateRow: line.rateRow,
  });
  for (const line of lines) {
    const written = await appendEntry(db, tenantId, dealId, {
      partnerId: line.partnerId,
      role: line.role,
      dealVersion: version,
      kind: 'accrual',
      amountMinor: line.amountMinor,
      currency: line.currency,
      frozen: frozen(line),
    });
    accrued += Number(written);
  }
  // Refunds claw back from the current version's lines, each refund under a key of its own.
  const refunds = await db.query<{
    id: string;
    refunded_at: Date;
    amount_minor: string;
    currency: string;
  }>(
    'select id, refunded_at, amount_minor::text, currency from refunds where tenant_id = $1 and deal_id = $2 order by refunded_at, seq',
    [tenantId, dealId],
  );
  const clawed = clawBack(
    program,
    dealFacts,
    lines,
    refunds.map((r) => ({
      dealId,
      refundedAt: r.refunded_at.getTime(),
      amountMinor: BigInt(r.amount_minor),
      currency: r.currency,
    })),
  );
  let clawbacks = 0;
  for (const line of clawed.lines) {
    const dealVersion = `${version}:refund:${refunds[line.refund]!.id}`;
    const written = await appendEntry(db, tenantId, dealId, {
      partnerId: line.partnerId,
      role: line.role,
      dealVersion,
      kind: 'clawback',
      amountMinor: line.amountMinor,
      currency: line.currency,
      frozen: frozen(line),
    });
    clawbacks += Number(written);
  }
  return {
    version,
    reversed: previous.length,
    accrued,
    clawedBack: clawbacks,
    errors: [...errors, ...clawed.errors],
  };
}

interface EntryInput {
  partnerId: string;
  role: string;
  dealVersion: string;
  kind: 'accrual' | 'reversal' | 'clawback';
  amountMinor: bigint;
  currency: string;
  frozen?: { rateBps: number; tier: string; programVersion: number; rateRow: number };
}

/** Appends one entry unless its (deal, partner, role, version, kind) is there already; true when written. */
async function appendEntry(
  db: Queryable,
  tenantId: string,
  dealId: string,
  entry: EntryInput,
): Promise<boolean> {
  const rows = await db.query(
    `insert into ledger_entries (tenant_id, deal_id, partner_id, role, deal_version, kind, amount_minor, currency, rate_bps, tier, program_version, rate_row)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict do nothing returning 1`,
    [
      tenantId,
      dealId,
      entry.partnerId,
      entry.role,
      entry.dealVersion,
      entry.kind,
      entry.amountMinor.toString(),
      entry.currency,
      entry.frozen?.rateBps ?? null,
      entry.frozen?.tier ?? null,
      entry.frozen?.programVersion ?? null,
      entry.frozen?.rateRow ?? null,
    ],
  );
  return rows.length > 0;
}
