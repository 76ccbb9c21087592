import { SALES_REGIONS } from '../../../src/cosell/region';
import { PARTNER_TYPES } from '../../../src/program/program';
import type { Database } from '../../db/database';
import { recountPartners } from '../../partners/performance';
import { CERTIFICATIONS, COUNTRIES, INDUSTRIES, TIERS } from './vocabulary';

/** DESIGN.md §8's large tenant; `scale` shrinks every count for smaller benches and demos. */
export const LARGE_TENANT_SIZE = {
  partners: 5_000,
  accounts: 200_000,
  deals: 500_000,
  registrations: 100_000,
  /** Account-list rows per account: its true co-sell partner and nine others. */
  listRowsPerAccount: 10,
};

/** A non-negative pseudo-random integer from numbers, in SQL (stable across runs and drivers). */
const hash = (...parts: string[]) =>
  `(hashint8(${parts.map((p) => `(${p})::bigint`).join(' * 1000003 + ')}) & 2147483647)`;

/**
 * The partner that really co-sells with account g (the answer key of the suggestion-quality
 * bench): a partner whose first vertical is the account's industry, picked by a hash. Partner p's
 * first vertical is p mod (number of industries).
 */
export function truePartnerSql(account: string, partners: string, industries: number): string {
  return `(((${account}) * 7) % ${industries}) + ${industries} * (${hash(account, '17')} % greatest(1, ${partners} / ${industries}))`;
}

export interface LargeTenantCounts {
  partners: number;
  accounts: number;
  deals: number;
  dealPartners: number;
  registrations: number;
  listRows: number;
  seconds: number;
}

/**
 * Writes a large tenant straight into the database, set-based in SQL (minutes, not hours): partners
 * with types, tiers, verticals, regions and certifications; accounts across the seeded industries
 * and countries; deals over the last year, two in five with a partner; registrations; and each
 * account in ten partners' lists, one of them its true co-sell partner (mostly as a customer), the
 * others noise. Partner performance is counted at the end, as the worker would. Numbering: partner
 * p is "Partner p" (0-based), account g has CRM id LA{g}, deal d has CRM id L{d}.
 */
export async function seedLargeTenant(
  db: Database,
  tenantId: string,
  options: { scale?: number; now?: number } = {},
): Promise<LargeTenantCounts> {
  const started = performance.now();
  const scale = options.scale ?? 1;
  const now = options.now ?? Date.now();
  const P = Math.max(12, Math.round(LARGE_TENANT_SIZE.partners * scale));
  const A = Math.max(10, Math.round(LARGE_TENANT_SIZE.accounts * scale));
  const D = Math.max(10, Math.round(LARGE_TENANT_SIZE.deals * scale));
  const R = Math.round(LARGE_TENANT_SIZE.registrations * scale);
  const industries = Object.keys(INDUSTRIES);
  const I = industries.length;
  const nowAt = new Date(now);

  await db.query(
    `insert into partners (tenant_id, id, name, type, tier, status, partner_manager, regions, verticals, certifications)
     select $1, gen_random_uuid(), 'Partner ' || p,
            ($3::text[])[1 + ${hash('p', '1')} % array_length($3::text[], 1)],
            ($4::text[])[1 + case when ${hash('p', '2')} % 10 < 4 then 0 when ${hash('p', '2')} % 10 < 7 then 1 when ${hash('p', '2')} % 10 < 9 then 2 else 3 end],
            case when ${hash('p', '3')} % 20 = 0 then 'inactive' else 'active' end,
            'Manager ' || (p % 40),
            array[($5::text[])[1 + ${hash('p', '4')} % 4]],
            array_remove(array[($6::text[])[1 + p % $7], case when ${hash('p', '5')} % 2 = 0 then ($6::text[])[1 + (p * 5 + 3) % $7] end], null),
            (($8::text[])[1 : ${hash('p', '6')} % 4])
       from generate_series(0, $2 - 1) p`,
    [tenantId, P, PARTNER_TYPES, TIERS, SALES_REGIONS, industries, I, CERTIFICATIONS],
  );
  await db.query(
    `insert into accounts (tenant_id, crm_id, name, domain, country, industry, synced_at)
     select $1, 'LA' || g, 'Company ' || g, 'company-' || g || '.example', ($3::text[])[1 + ${hash('g', '8')} % array_length($3::text[], 1)],
            ($4::text[])[1 + (g * 7) % $5], now()
       from generate_series(0, $2 - 1) g`,
    [tenantId, A, COUNTRIES.map((c) => c.name), industries, I],
  );
  await db.query(
    `insert into deals (tenant_id, crm_id, name, amount, currency, stage, account_crm_id, crm_created_at, closed_at, synced_at)
     select $1, 'L' || d, 'Deal ' || d, 1000 + ${hash('d', '9')} % 200000, 'USD',
            case when d % 10 < 4 then 'won' when d % 10 < 6 then 'lost' else 'open' end,
            'LA' || (d % $3),
            $4::timestamptz - (30 + ${hash('d', '10')} % 330) * interval '1 day',
            case when d % 10 < 6 then $4::timestamptz - (${hash('d', '11')} % 30) * interval '1 day' end,
            now()
       from generate_series(0, $2 - 1) d`,
    [tenantId, D, A, nowAt],
  );
  // Two deals in five have a partner: its account's true co-sell partner, or anyone.
  await db.query(
    `with p as (select array_agg(id order by substr(name, 9)::int) as ids from partners where tenant_id = $1)
     insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin)
     select $1, d.id,
            p.ids[1 + case when substr(d.crm_id, 2)::int % 5 = 0
                           then ${truePartnerSql('substr(d.crm_id, 2)::int % $3', '$2', I)}
                           else ${hash('substr(d.crm_id, 2)::int', '12')} % $2 end],
            'sourced', 100, 'crm'
       from deals d, p
      where d.tenant_id = $1 and d.crm_id like 'L%' and substr(d.crm_id, 2)::int % 5 < 2`,
    [tenantId, P, A],
  );
  await db.query(
    `with p as (select array_agg(id order by substr(name, 9)::int) as ids from partners where tenant_id = $1)
     insert into registrations (tenant_id, id, partner_id, company_name, company_domain, submitted_at, status, verdict,
                                matched_account_crm_id, window_start, window_end)
     select $1, gen_random_uuid(), p.ids[1 + ${hash('r', '13')} % $2], 'Company ' || a, 'company-' || a || '.example',
            $5::timestamptz - (${hash('r', '14')} % 200) * interval '1 day',
            case when ${hash('r', '15')} % 10 < 3 then 'approved' else 'expired' end, 'approved',
            'LA' || a,
            $5::timestamptz - (${hash('r', '14')} % 200) * interval '1 day',
            $5::timestamptz - (${hash('r', '14')} % 200) * interval '1 day' + interval '90 days'
       from (select r, (r * 7919) % $4 as a from generate_series(0, $3 - 1) r) g, p`,
    [tenantId, P, R, A, nowAt],
  );
  await db.query(
    `insert into partner_account_imports (tenant_id, id, partner_id, status, started_by, finished_at)
     select $1, gen_random_uuid(), id, 'complete', 'seed', now() from partners where tenant_id = $1`,
    [tenantId],
  );
  await db.query(
    `insert into partner_current_lists (tenant_id, partner_id, import_id)
     select tenant_id, partner_id, id from partner_account_imports where tenant_id = $1 and started_by = 'seed'`,
    [tenantId],
  );
  // Row j = 0 is the true partner (a customer seven times in ten, else an open opportunity); the
  // other nine are noise, mostly prospects, one in ten a customer.
  await db.query(
    `with p as (select array_agg(partner_id order by substr(pa.name, 9)::int) as partners,
                       array_agg(i.id order by substr(pa.name, 9)::int) as imports
                  from partner_account_imports i join partners pa on pa.tenant_id = i.tenant_id and pa.id = i.partner_id
                 where i.tenant_id = $1 and i.started_by = 'seed')
     insert into partner_accounts (tenant_id, import_id, partner_id, line, name, domain, population, account_crm_id)
     select $1, p.imports[1 + x.partner], p.partners[1 + x.partner], x.g * 10 + x.j + 2, 'Company ' || x.g, 'company-' || x.g || '.example',
            x.population, 'LA' || x.g
       from p, (
         select g, j,
                case when j = 0 then ${truePartnerSql('g', '$2', I)} else ${hash('g', 'j', '16')} % $2 end as partner,
                case when j = 0 then (case when ${hash('g', '18')} % 10 < 7 then 'customer' else 'open_opportunity' end)
                     when ${hash('g', 'j', '19')} % 10 = 0 then 'customer'
                     when ${hash('g', 'j', '19')} % 10 < 4 then 'open_opportunity'
                     else 'prospect' end as population
           from generate_series(0, $3 - 1) g, generate_series(0, $4 - 1) j) x
     on conflict do nothing`,
    [tenantId, P, A, LARGE_TENANT_SIZE.listRowsPerAccount],
  );
  await db.query('analyze');
  const ids = (
    await db.query<{ id: string }>('select id from partners where tenant_id = $1', [tenantId])
  ).map((row) => row.id);
  for (let start = 0; start < ids.length; start += 500)
    await recountPartners(db, tenantId, ids.slice(start, start + 500), now);

  const [counts] = await db.query<{ deal_partners: string; list_rows: string }>(
    `select (select count(*) from deal_partners where tenant_id = $1)::text as deal_partners,
            (select count(*) from partner_accounts where tenant_id = $1)::text as list_rows`,
    [tenantId],
  );
  return {
    partners: P,
    accounts: A,
    deals: D,
    dealPartners: Number(counts!.deal_partners),
    registrations: R,
    listRows: Number(counts!.list_rows),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}
