import { createHash } from 'node:crypto';

import { accrueDeal } from '../../src/commissions/accrue';
import { clawBack } from '../../src/commissions/clawback';
import {
  type CommissionDeal,
  type CommissionError,
  type LedgerLine,
  SHARE_SCALE,
} from '../../src/commissions/types';
import { parseScaled } from '../../src/money/decimal';
import { toMinorUnits } from '../../src/money/minor-units';
import type { Program } from '../../src/program/program';
import type { Queryable } from '../db/database';
import { loadProgram } from '../registrations/program-store';
import { lockTenantLedger } from './ledger-lock';

interface DealRow {
  id: string;
  stage: 'open' | 'won' | 'lost';
  amount: string | null;
  currency: string | null;
  closed_at: Date | null;
}

interface AttributionRow {
  deal_id: string;
  partner_id: string;
  role: string;
  share_pct: string;
  type: string | null;
  tier: string;
}

interface EntryRow {
  deal_id: string;
  partner_id: string;
  role: string;
  deal_version: string;
  kind: 'accrual' | 'clawback' | 'reversal';
  amount_minor: string;
  currency: string;
}

interface RefundRow {
  deal_id: string;
  id: string;
  refunded_at: Date;
  amount_minor: string;
  currency: string;
}

export interface RecomputeResult {
  deals: number;
  reversed: number;
  accrued: number;
  clawedBack: number;
  errors: CommissionError[];
}

interface NewEntry {
  dealId: string;
  partnerId: string;
  role: string;
  dealVersion: string;
  kind: 'accrual' | 'reversal' | 'clawback';
  amountMinor: bigint;
  currency: string;
  frozen?: { rateBps: number; tier: string; rateRow: number };
}

/**
 * A deal's fingerprint: everything its ledger depends on (the deal, its attributions and their
 * partners' type and tier, its refunds, the program version), hashed in SQL so a whole tenant is
 * checked in one query. Only deals that are won or have entries have commissions to keep in line.
 */
const FINGERPRINTS = `
  select d.id, md5(concat_ws('|', d.stage, trim_scale(d.amount)::text, d.currency, extract(epoch from d.closed_at)::text,
           (select version from programs where tenant_id = d.tenant_id)::text,
           (select string_agg(concat_ws(',', dp.partner_id, dp.role, dp.share_pct, p.type, p.tier), ';' order by dp.partner_id, dp.role)
              from deal_partners dp join partners p on p.tenant_id = dp.tenant_id and p.id = dp.partner_id
             where dp.tenant_id = d.tenant_id and dp.deal_id = d.id),
           (select string_agg(r.id::text, ',' order by r.id) from refunds r where r.tenant_id = d.tenant_id and r.deal_id = d.id)
         )) as fingerprint
    from deals d
   where d.tenant_id = $1 and ($2::uuid[] is null or d.id = any($2::uuid[]))
     and (d.stage = 'won' or exists (select 1 from ledger_entries l where l.tenant_id = d.tenant_id and l.deal_id = d.id))`;

/** Deals whose ledger may be out of line with them: their fingerprint changed since last computed. */
export async function staleDeals(db: Queryable, tenantId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select f.id from (${FINGERPRINTS}) f
       left join commission_states s on s.tenant_id = $1 and s.deal_id = f.id
      where s.fingerprint is distinct from f.fingerprint
      order by f.id`,
    [tenantId, null],
  );
  return rows.map((row) => row.id);
}

/**
 * Brings these deals' ledger in line with the deals as they are now (DESIGN.md §6): entries of an
 * older version — accruals and the clawbacks made on them — are reversed, the current version is
 * accrued when the deal is won and refunds claw back from it. Entries are keyed by (deal, partner,
 * role, deal version, kind), so running it again adds nothing. Run it inside a transaction: the
 * deals' new fingerprints are recorded with their entries, all or nothing.
 */
export async function recomputeDeals(
  db: Queryable,
  tenantId: string,
  dealIds: readonly string[],
): Promise<RecomputeResult> {
  const result: RecomputeResult = { deals: 0, reversed: 0, accrued: 0, clawedBack: 0, errors: [] };
  if (dealIds.length === 0) return result;
  await lockTenantLedger(db, tenantId);
  const ids = [...dealIds];
  // The fingerprints are read first: a change made while the batch reads the rest leaves the
  // recorded fingerprint older than what was computed, so the deal is simply computed again.
  const fingerprints = await db.query<{ id: string; fingerprint: string }>(FINGERPRINTS, [
    tenantId,
    ids,
  ]);
  // One query at a time: a transaction's client runs them in order anyway.
  const deals = await db.query<DealRow>(
    'select id, stage, trim_scale(amount)::text as amount, currency, closed_at from deals where tenant_id = $1 and id = any($2::uuid[])',
    [tenantId, ids],
  );
  const attributions = await db.query<AttributionRow>(
    // The batch's rows first, whatever the planner thinks of the tables' sizes.
    `with dp as materialized (select * from deal_partners where tenant_id = $1 and deal_id = any($2::uuid[]))
     select dp.deal_id, dp.partner_id, dp.role, dp.share_pct::text as share_pct, p.type, p.tier
       from dp join partners p on p.tenant_id = dp.tenant_id and p.id = dp.partner_id
      order by dp.role, dp.partner_id`,
    [tenantId, ids],
  );
  const entries = await db.query<EntryRow>(
    `select deal_id, partner_id, role, deal_version, kind, amount_minor::text, currency from ledger_entries
      where tenant_id = $1 and deal_id = any($2::uuid[]) and kind in ('accrual', 'clawback', 'reversal')`,
    [tenantId, ids],
  );
  const refunds = await db.query<RefundRow>(
    `select deal_id, id, refunded_at, amount_minor::text, currency from refunds
      where tenant_id = $1 and deal_id = any($2::uuid[]) order by seq`,
    [tenantId, ids],
  );
  // The latest accrual of each (deal, partner, role), and whether it was voided: a void carries
  // over to the accrual that replaces it.
  const latestAccruals = await db.query<{
    deal_id: string;
    partner_id: string;
    role: string;
    id: string;
    reason: string | null;
  }>(
    `select distinct on (e.deal_id, e.partner_id, e.role) e.deal_id, e.partner_id, e.role, e.id, s.reason
       from ledger_entries e
       left join ledger_entry_steps s on s.tenant_id = e.tenant_id and s.entry_id = e.id and s.status = 'void'
      where e.tenant_id = $1 and e.deal_id = any($2::uuid[]) and e.kind = 'accrual'
      order by e.deal_id, e.partner_id, e.role, e.seq desc`,
    [tenantId, ids],
  );
  const { program, version } = await loadProgram(db, tenantId);
  const byDeal = <Row extends { deal_id: string }>(rows: Row[]) => {
    const map = new Map<string, Row[]>();
    for (const row of rows) {
      const list = map.get(row.deal_id);
      if (list) list.push(row);
      else map.set(row.deal_id, [row]);
    }
    return map;
  };
  const [attributionsOf, entriesOf, refundsOf] = [
    byDeal(attributions),
    byDeal(entries),
    byDeal(refunds),
  ];

  const written: NewEntry[] = [];
  for (const deal of deals) {
    const planned = planDeal(
      program,
      deal,
      attributionsOf.get(deal.id) ?? [],
      entriesOf.get(deal.id) ?? [],
      refundsOf.get(deal.id) ?? [],
    );
    written.push(...planned.entries);
    result.errors.push(...planned.errors);
    result.deals += 1;
  }
  const appended = await appendEntries(db, tenantId, version, written);
  for (const { kind } of appended) {
    if (kind === 'accrual') result.accrued += 1;
    else if (kind === 'reversal') result.reversed += 1;
    else result.clawedBack += 1;
  }
  const voided = new Map(
    latestAccruals
      .filter((a) => a.reason !== null)
      .map((a) => [`${a.deal_id}\n${a.partner_id}\n${a.role}`, a]),
  );
  const carried = appended.flatMap((entry) => {
    const earlier =
      entry.kind === 'accrual'
        ? voided.get(`${entry.deal_id}\n${entry.partner_id}\n${entry.role}`)
        : undefined;
    return earlier
      ? [{ id: entry.id, reason: `${earlier.reason} (carried over from entry ${earlier.id})` }]
      : [];
  });
  if (carried.length > 0)
    await db.query(
      `insert into ledger_entry_steps (tenant_id, entry_id, status, reason, actor)
       select $1, t.id, 'void', t.reason, 'commissions' from unnest($2::uuid[], $3::text[]) as t (id, reason)`,
      [tenantId, carried.map((c) => c.id), carried.map((c) => c.reason)],
    );
  if (fingerprints.length > 0)
    await db.query(
      `insert into commission_states (tenant_id, deal_id, fingerprint)
       select $1, t.deal_id, t.fingerprint from unnest($2::uuid[], $3::text[]) as t (deal_id, fingerprint)
       on conflict (tenant_id, deal_id) do update set fingerprint = excluded.fingerprint, computed_at = now()`,
      [tenantId, fingerprints.map((f) => f.id), fingerprints.map((f) => f.fingerprint)],
    );
  return result;
}

/** One deal: the entries that bring its ledger in line, and the errors that keep lines out. */
function planDeal(
  program: Program,
  deal: DealRow,
  attributions: AttributionRow[],
  entries: EntryRow[],
  refundRows: RefundRow[],
): { entries: NewEntry[]; errors: CommissionError[] } {
  const amount =
    deal.amount !== null && deal.currency !== null
      ? toMinorUnits(deal.amount, deal.currency)
      : undefined;
  const facts: CommissionDeal = {
    id: deal.id,
    stage: deal.stage,
    amountMinor: amount?.ok ? amount.value : null,
    currency: deal.currency,
    closedAt: deal.closed_at?.getTime() ?? null,
  };
  const partners = new Map(
    attributions.map((a) => [a.partner_id, { id: a.partner_id, type: a.type, tier: a.tier }]),
  );
  const { lines, errors } = accrueDeal(
    program,
    facts,
    attributions.map((a) => ({
      dealId: deal.id,
      partnerId: a.partner_id,
      role: a.role,
      shareScaled: parseScaled(a.share_pct, SHARE_SCALE)!,
    })),
    partners,
  );
  // The version is what the lines are (any change reverses and re-accrues), and how often that
  // state was reversed before: a deal changed back to an earlier state accrues anew. A program
  // change that leaves a deal's lines as they were leaves its version, and its entries, alone
  // (clawbacks already taken stay when clawbackDays changes; later refunds meet the new window).
  const state = createHash('sha256')
    .update(
      JSON.stringify([
        deal.stage,
        deal.amount,
        deal.currency,
        deal.closed_at?.toISOString() ?? null,
        attributions.map((a) => [a.partner_id, a.role, a.share_pct]),
        lines.map((l) => [l.partnerId, l.role, l.amountMinor.toString(), l.rateBps, l.tier]),
      ]),
    )
    .digest('hex')
    .slice(0, 32);
  const baseVersion = (entry: EntryRow) => entry.deal_version.split(':refund:')[0]!;
  const reversedBefore = new Set(
    entries
      .filter((e) => e.kind === 'reversal' && baseVersion(e).startsWith(`${state}.`))
      .map(baseVersion),
  );
  const version = `${state}.${reversedBefore.size}`;

  const out: NewEntry[] = [];
  // Entries of an older version — accruals and the clawbacks made on them — are reversed.
  const reversed = new Set(
    entries
      .filter((e) => e.kind === 'reversal')
      .map((e) => `${e.partner_id}\n${e.role}\n${e.deal_version}`),
  );
  for (const entry of entries) {
    if (entry.kind === 'reversal' || baseVersion(entry) === version) continue;
    if (reversed.has(`${entry.partner_id}\n${entry.role}\n${entry.deal_version}`)) continue;
    out.push({
      dealId: deal.id,
      partnerId: entry.partner_id,
      role: entry.role,
      dealVersion: entry.deal_version,
      kind: 'reversal',
      amountMinor: -BigInt(entry.amount_minor),
      currency: entry.currency,
    });
  }

  const frozen = (line: LedgerLine) => ({
    rateBps: line.rateBps,
    tier: line.tier,
    rateRow: line.rateRow,
  });
  for (const line of lines)
    out.push({
      dealId: deal.id,
      partnerId: line.partnerId,
      role: line.role,
      dealVersion: version,
      kind: 'accrual',
      amountMinor: line.amountMinor,
      currency: line.currency,
      frozen: frozen(line),
    });
  // Refunds claw back from the current version's lines, each refund under a key of its own.
  const clawed = clawBack(
    program,
    facts,
    lines,
    refundRows.map((r) => ({
      dealId: deal.id,
      refundedAt: r.refunded_at.getTime(),
      amountMinor: BigInt(r.amount_minor),
      currency: r.currency,
    })),
  );
  for (const line of clawed.lines)
    out.push({
      dealId: deal.id,
      partnerId: line.partnerId,
      role: line.role,
      dealVersion: `${version}:refund:${refundRows[line.refund]!.id}`,
      kind: 'clawback',
      amountMinor: line.amountMinor,
      currency: line.currency,
      frozen: frozen(line),
    });
  return { entries: out, errors: [...errors, ...clawed.errors] };
}

/** Appends entries in one statement, skipping those whose key is there already; answers those written. */
async function appendEntries(
  db: Queryable,
  tenantId: string,
  programVersion: number,
  entries: NewEntry[],
): Promise<Array<{ id: string; deal_id: string; partner_id: string; role: string; kind: string }>> {
  if (entries.length === 0) return [];
  const rows = await db.query<{
    id: string;
    deal_id: string;
    partner_id: string;
    role: string;
    kind: string;
  }>(
    `insert into ledger_entries (tenant_id, deal_id, partner_id, role, deal_version, kind, amount_minor, currency, rate_bps, tier, program_version, rate_row)
     select $1, t.deal_id, t.partner_id, t.role, t.deal_version, t.kind, t.amount_minor, t.currency, t.rate_bps, t.tier,
            case when t.rate_bps is null then null else $2::integer end, t.rate_row
       from unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::integer[], $11::text[], $12::integer[])
         with ordinality as t (deal_id, partner_id, role, deal_version, kind, amount_minor, currency, rate_bps, tier, rate_row, n)
      order by t.n
     on conflict do nothing returning id, deal_id, partner_id, role, kind`,
    [
      tenantId,
      programVersion,
      entries.map((e) => e.dealId),
      entries.map((e) => e.partnerId),
      entries.map((e) => e.role),
      entries.map((e) => e.dealVersion),
      entries.map((e) => e.kind),
      entries.map((e) => e.amountMinor.toString()),
      entries.map((e) => e.currency),
      entries.map((e) => e.frozen?.rateBps ?? null),
      entries.map((e) => e.frozen?.tier ?? null),
      entries.map((e) => e.frozen?.rateRow ?? null),
    ],
  );
  return rows;
}

/** Every deal of the tenant whose fingerprint changed, in batches of one transaction each. */
export async function recomputeStaleDeals(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> } & Queryable,
  tenantId: string,
  options: { batchSize?: number } = {},
): Promise<Omit<RecomputeResult, 'errors'> & { errors: number; checked: number }> {
  const stale = await staleDeals(db, tenantId);
  const total = {
    checked: stale.length,
    deals: 0,
    accrued: 0,
    reversed: 0,
    clawedBack: 0,
    errors: 0,
  };
  const size = options.batchSize ?? 500;
  for (let start = 0; start < stale.length; start += size) {
    const batch = stale.slice(start, start + size);
    const result = await db.transaction((tx) => recomputeDeals(tx, tenantId, batch));
    total.deals += result.deals;
    total.accrued += result.accrued;
    total.reversed += result.reversed;
    total.clawedBack += result.clawedBack;
    total.errors += result.errors.length;
  }
  return total;
}
