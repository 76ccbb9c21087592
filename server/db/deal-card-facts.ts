import { type Population, POPULATIONS } from '../../src/cosell/rank';
import type { AccountFacts } from '../cosell/suggestions';
import type { RegistrationRow } from '../registrations/deal-registrations';
import type { Queryable } from './database';

export interface DealRow {
  id: string;
  crm_id: string;
  name: string;
  amount: string | null;
  currency: string | null;
  stage: 'open' | 'won' | 'lost';
  account_name: string | null;
  account_domain: string | null;
  account_crm_id: string | null;
  account_industry: string | null;
  account_country: string | null;
}

export interface PartnerRow {
  id: string;
  name: string;
  type: string | null;
  tier: string;
  role: string;
  share_pct: string;
  partner_manager: string | null;
  certifications: string[];
  sourced_won_12m: Record<string, string> | null;
  influenced_won_12m: Record<string, string> | null;
  open_pipeline: Record<string, string> | null;
  won_12m: number | null;
  lost_12m: number | null;
  avg_cycle_days: string | null;
  by_vertical: Record<string, { won: number; lost: number }> | null;
  as_of: Date | null;
}

/** Everything a card reads that is not prepared ahead: the deal's and its account's own rows. */
export interface DealCardFacts {
  deal: DealRow;
  /** What the card's prepared inputs are at (program, partner directory). */
  programVersion: number;
  partnersVersion: string;
  partners: PartnerRow[];
  /** The registrations holding the deal's account at `now`, oldest first. */
  registrations: RegistrationRow[];
  /** Overlap and declines on the account; empty unless the deal is open. */
  account: AccountFacts;
}

interface FactsRow extends DealRow {
  program_version: number;
  partners_version: string;
  partners: Array<Omit<PartnerRow, 'as_of'> & { as_of: string | null }>;
  registrations: Array<Omit<RegistrationRow, 'window_end'> & { window_end: string | null }>;
  overlap: Array<{ partner_id: string; best: number }>;
  declines: string[];
}

// One statement, one round trip: each part is an indexed read of this deal or its account.
export const FACTS_SQL = `
with d as (
  select d.id, d.crm_id, d.name, trim_scale(d.amount)::text as amount, d.currency, d.stage,
         a.name as account_name, a.domain as account_domain, d.account_crm_id,
         a.industry as account_industry, a.country as account_country
    from deals d
    left join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
   where d.tenant_id = $1 and d.crm_id = $2 and d.archived_at is null
)
select d.*,
       coalesce((select version from programs where tenant_id = $1), 0) as program_version,
       coalesce((select partners from card_versions where tenant_id = $1), 0)::text as partners_version,
       (select coalesce(json_agg(x order by x.role, x.name), '[]')
          from (select p.id, p.name, p.type, p.tier, dp.role, dp.share_pct::text as share_pct, p.partner_manager,
                       p.certifications, pp.sourced_won_12m, pp.influenced_won_12m, pp.open_pipeline, pp.won_12m,
                       pp.lost_12m, pp.avg_cycle_days::text as avg_cycle_days, pp.by_vertical, pp.as_of
                  from deal_partners dp
                  join partners p on p.tenant_id = dp.tenant_id and p.id = dp.partner_id
                  left join partner_performance pp on pp.tenant_id = p.tenant_id and pp.partner_id = p.id
                 where dp.tenant_id = $1 and dp.deal_id = d.id) x) as partners,
       (select coalesce(json_agg(x order by x.held_from, x.id), '[]')
          from (select r.id, r.partner_id, p.name as partner_name, p.tier, r.status, r.window_end,
                       r.company_name, r.company_domain, r.account_match,
                       coalesce(r.window_start, r.submitted_at) as held_from
                  from registrations r join partners p on p.tenant_id = r.tenant_id and p.id = r.partner_id
                 where r.tenant_id = $1 and r.matched_account_crm_id = d.account_crm_id
                   and r.status in ('pending', 'approved') and (r.window_end is null or r.window_end > $3)) x) as registrations,
       (select coalesce(json_agg(x), '[]')
          from (select pa.partner_id, min(array_position($4::text[], pa.population))::int - 1 as best
                  from partner_accounts pa
                  -- By its key: the partner's current list is this row's import.
                  join partner_current_lists c
                    on c.tenant_id = pa.tenant_id and c.partner_id = pa.partner_id and c.import_id = pa.import_id
                 where pa.tenant_id = $1 and pa.account_crm_id = d.account_crm_id and d.stage = 'open'
                 group by pa.partner_id) x) as overlap,
       (select coalesce(array_agg(c.partner_id::text), '{}')
          from cosell_declines c
         where c.tenant_id = $1 and c.account_crm_id = d.account_crm_id and d.stage = 'open') as declines
  from d`;

/** The deal's card facts as the mirror has them now; undefined when the tenant has no such deal. */
export async function readDealCardFacts(
  db: Queryable,
  tenantId: string,
  dealCrmId: string,
  now: number,
): Promise<DealCardFacts | undefined> {
  const [row] = await db.query<FactsRow>(
    FACTS_SQL,
    [tenantId, dealCrmId, new Date(now), POPULATIONS],
    { prepare: 'deal_card_facts' },
  );
  if (!row) return undefined;
  const { program_version, partners_version, partners, registrations, overlap, declines, ...deal } =
    row;
  return {
    deal,
    programVersion: program_version,
    partnersVersion: partners_version,
    partners: partners.map((p) => ({ ...p, as_of: p.as_of === null ? null : new Date(p.as_of) })),
    registrations: registrations.map((r) => ({
      ...r,
      window_end: r.window_end === null ? null : new Date(r.window_end),
    })),
    account: {
      overlap: new Map(
        overlap.map((o) => [o.partner_id, POPULATIONS[o.best] as Population] as const),
      ),
      declined: new Set(declines),
    },
  };
}
