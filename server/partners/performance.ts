import { currencyExponent, isCurrencyCode } from '../../src/money/currency';
import { divideRounded, parseScaled } from '../../src/money/decimal';
import type { Queryable } from '../db/database';

/** Performance older than this is refreshed for every partner: the twelve-month window moves. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * A deal's fingerprint for partner performance: what the numbers count of it (stage, amount,
 * dates, the account's industry, the partners and their roles).
 */
const FINGERPRINTS = `
  select d.id, md5(concat_ws('|', d.stage, trim_scale(d.amount)::text, d.currency, extract(epoch from d.crm_created_at)::text,
           extract(epoch from d.closed_at)::text, d.archived_at is null, a.industry,
           string_agg(dp.partner_id || ':' || dp.role, ',' order by dp.partner_id, dp.role))) as fingerprint,
         array_agg(distinct dp.partner_id) as partner_ids
    from deals d
    join deal_partners dp on dp.tenant_id = d.tenant_id and dp.deal_id = d.id
    left join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
   where d.tenant_id = $1
   group by d.tenant_id, d.id, a.industry`;

/**
 * Brings partner performance up to date: only the partners on deals whose fingerprint changed
 * since the last run (and those that left such deals) are recounted, unless the numbers are a day
 * old, when every partner is. Answers how many deals changed and how many partners were recounted.
 */
export async function refreshPartnerPerformance(
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  tenantId: string,
  now: number,
): Promise<{ changedDeals: number; partners: number }> {
  return db.transaction(async (tx) => {
    // One snapshot for the fingerprints and the partners recorded with them.
    await tx.query('set transaction isolation level repeatable read');
    await tx.query(`select pg_advisory_xact_lock(hashtext('performance:' || $1))`, [tenantId]);
    const changed = await tx.query<{
      id: string;
      fingerprint: string | null;
      partner_ids: string[];
      current_ids: string[] | null;
    }>(
      `select coalesce(f.id, s.deal_id) as id, f.fingerprint, f.partner_ids as current_ids,
              array(select distinct unnest(coalesce(f.partner_ids, '{}') || coalesce(s.partner_ids, '{}'))) as partner_ids
         from (${FINGERPRINTS}) f
         full join (select * from partner_stat_states where tenant_id = $1) s on s.deal_id = f.id
        where f.fingerprint is distinct from s.fingerprint`,
      [tenantId],
    );
    const [oldest] = await tx.query<{ as_of: Date | null }>(
      'select min(as_of) as as_of from partner_performance where tenant_id = $1',
      [tenantId],
    );
    const everyone = oldest?.as_of ? now - oldest.as_of.getTime() > STALE_AFTER_MS : false;
    const partnerIds = everyone
      ? (
          await tx.query<{ id: string }>('select id from partners where tenant_id = $1', [tenantId])
        ).map((row) => row.id)
      : [...new Set(changed.flatMap((row) => row.partner_ids))];
    await recountPartners(tx, tenantId, partnerIds, now);
    const kept = changed.filter((row) => row.fingerprint !== null);
    const gone = changed.filter((row) => row.fingerprint === null).map((row) => row.id);
    if (gone.length > 0)
      await tx.query(
        'delete from partner_stat_states where tenant_id = $1 and deal_id = any($2::uuid[])',
        [tenantId, gone],
      );
    if (kept.length > 0)
      await tx.query(
        `insert into partner_stat_states (tenant_id, deal_id, fingerprint, partner_ids)
         select $1, t.deal_id, t.fingerprint, string_to_array(t.partners, ',')::uuid[]
           from unnest($2::uuid[], $3::text[], $4::text[]) as t (deal_id, fingerprint, partners)
         on conflict (tenant_id, deal_id) do update set fingerprint = excluded.fingerprint, partner_ids = excluded.partner_ids`,
        [
          tenantId,
          kept.map((row) => row.id),
          kept.map((row) => row.fingerprint),
          // The deal's partners now (the recount above already covered those that left it).
          kept.map((row) => (row.current_ids ?? []).join(',')),
        ],
      );
    return { changedDeals: changed.length, partners: partnerIds.length };
  });
}

/** Sum of a numeric(20, 4) column as text → minor units of the currency, half away from zero. */
function toMinor(sum: string, currency: string): bigint | undefined {
  if (!isCurrencyCode(currency)) return undefined;
  const scaled = parseScaled(sum, 4);
  if (scaled === undefined) return undefined;
  return divideRounded(scaled, 10n ** BigInt(4 - currencyExponent(currency)));
}

/** Recounts these partners' numbers over their deals, set-based, as of now. */
export async function recountPartners(
  db: Queryable,
  tenantId: string,
  partnerIds: string[],
  now: number,
): Promise<void> {
  if (partnerIds.length === 0) return;
  const asOf = new Date(now);
  const since = new Date(now);
  since.setUTCFullYear(since.getUTCFullYear() - 1);
  const params = [tenantId, partnerIds, since, asOf];
  // One row per partner and deal (a partner on a deal twice, in two roles, counts the deal once).
  const facts = `
    select dp.partner_id, d.id as deal_id, d.stage, d.amount, d.currency, d.crm_created_at, d.closed_at, a.industry,
           bool_or(dp.role <> 'influenced') as sourced,
           d.closed_at >= $3 and d.closed_at <= $4 as in_window
      from deal_partners dp
      join deals d on d.tenant_id = dp.tenant_id and d.id = dp.deal_id and d.archived_at is null
      left join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
     where dp.tenant_id = $1 and dp.partner_id = any($2::uuid[])
     group by dp.partner_id, d.tenant_id, d.id, a.industry`;
  const money = await db.query<{
    partner_id: string;
    currency: string;
    sourced: string | null;
    influenced: string | null;
    open: string | null;
  }>(
    `select partner_id, currency,
            sum(amount) filter (where stage = 'won' and in_window and sourced)::text as sourced,
            sum(amount) filter (where stage = 'won' and in_window and not sourced)::text as influenced,
            sum(amount) filter (where stage = 'open')::text as open
       from (${facts}) f where currency is not null and amount is not null
      group by partner_id, currency`,
    params,
  );
  const counts = await db.query<{
    partner_id: string;
    industry: string | null;
    won: number;
    lost: number;
    cycle_days_sum: number | null;
    cycled: number;
  }>(
    `select partner_id, industry,
            count(*) filter (where stage = 'won' and in_window)::int as won,
            count(*) filter (where stage = 'lost' and in_window)::int as lost,
            sum(extract(epoch from closed_at - crm_created_at) / 86400) filter (where stage = 'won' and in_window and crm_created_at is not null)::float8 as cycle_days_sum,
            count(*) filter (where stage = 'won' and in_window and crm_created_at is not null)::int as cycled
       from (${facts}) f
      group by partner_id, industry`,
    params,
  );
  type Numbers = {
    sourced: Record<string, string>;
    influenced: Record<string, string>;
    open: Record<string, string>;
    won: number;
    lost: number;
    byVertical: Record<string, { won: number; lost: number }>;
    cycleDays: number;
    cycled: number;
  };
  const numbers = new Map<string, Numbers>(
    partnerIds.map((id) => [
      id,
      {
        sourced: {},
        influenced: {},
        open: {},
        won: 0,
        lost: 0,
        byVertical: {},
        cycleDays: 0,
        cycled: 0,
      },
    ]),
  );
  for (const row of money) {
    const n = numbers.get(row.partner_id)!;
    for (const key of ['sourced', 'influenced', 'open'] as const) {
      const minor = row[key] === null ? undefined : toMinor(row[key]!, row.currency);
      if (minor !== undefined && minor !== 0n) n[key][row.currency] = minor.toString();
    }
  }
  for (const row of counts) {
    const n = numbers.get(row.partner_id)!;
    n.won += row.won;
    n.lost += row.lost;
    n.cycleDays += row.cycle_days_sum ?? 0;
    n.cycled += row.cycled;
    if (row.industry && row.won + row.lost > 0)
      n.byVertical[row.industry] = { won: row.won, lost: row.lost };
  }

  const ids = [...numbers.keys()];
  const all = ids.map((id) => numbers.get(id)!);
  await db.query(
    `insert into partner_performance (tenant_id, partner_id, sourced_won_12m, influenced_won_12m, open_pipeline, won_12m, lost_12m, by_vertical, avg_cycle_days, as_of)
     select $1, t.partner_id, t.sourced, t.influenced, t.open, t.won, t.lost, t.by_vertical, t.cycle, $10
       from unnest($2::uuid[], $3::jsonb[], $4::jsonb[], $5::jsonb[], $6::int[], $7::int[], $8::jsonb[], $9::numeric[])
         as t (partner_id, sourced, influenced, open, won, lost, by_vertical, cycle)
       join partners p on p.tenant_id = $1 and p.id = t.partner_id
     on conflict (tenant_id, partner_id) do update set
       sourced_won_12m = excluded.sourced_won_12m, influenced_won_12m = excluded.influenced_won_12m,
       open_pipeline = excluded.open_pipeline, won_12m = excluded.won_12m, lost_12m = excluded.lost_12m,
       by_vertical = excluded.by_vertical, avg_cycle_days = excluded.avg_cycle_days, as_of = excluded.as_of`,
    [
      tenantId,
      ids,
      all.map((n) => JSON.stringify(n.sourced)),
      all.map((n) => JSON.stringify(n.influenced)),
      all.map((n) => JSON.stringify(n.open)),
      all.map((n) => n.won),
      all.map((n) => n.lost),
      all.map((n) => JSON.stringify(n.byVertical)),
      all.map((n) => (n.cycled > 0 ? (n.cycleDays / n.cycled).toFixed(1) : null)),
      asOf,
    ],
  );
}
