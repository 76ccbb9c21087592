import {
  type CosellCandidate,
  type Population,
  rankCosell,
  type Suggestion,
} from '../../src/cosell/rank';
import type { Queryable } from '../db/database';

const POPULATION_RANK: Population[] = ['customer', 'open_opportunity', 'prospect'];

interface CandidateRow {
  id: string;
  name: string;
  type: string | null;
  tier: string;
  status: string;
  regions: string[];
  verticals: string[];
  certifications: string[];
  best: number | null;
  won_12m: number | null;
  lost_12m: number | null;
  by_vertical: Record<string, { won: number; lost: number }> | null;
  sourced_won_12m: Record<string, string> | null;
  influenced_won_12m: Record<string, string> | null;
  declined: boolean;
}

export type CardSuggestion = Suggestion & { type: string | null; tier: string };

/**
 * Co-sell suggestions for a deal's account (DESIGN.md §5): the tenant's partners that have the
 * account in their current list or work in its industry, ranked by src/cosell. Partners on the
 * deal, declined for the account, or holding a registration on it are left out.
 */
export async function suggestionsForAccount(
  db: Queryable,
  tenantId: string,
  account: { crmId: string; name: string; industry: string | null; country: string | null },
  options: {
    attached: ReadonlySet<string>;
    registrationHolders: ReadonlySet<string>;
    tiers: readonly string[];
    currency: string;
  },
): Promise<CardSuggestion[]> {
  const rows = await db.query<CandidateRow>(
    `with overlap as (
       select pa.partner_id,
              min(case pa.population when 'customer' then 0 when 'open_opportunity' then 1 else 2 end) as best
         from partner_accounts pa
         join partner_current_lists c on c.tenant_id = pa.tenant_id and c.import_id = pa.import_id
        where pa.tenant_id = $1 and pa.account_crm_id = $2
        group by pa.partner_id)
     select p.id, p.name, p.type, p.tier, p.status, p.regions, p.verticals, p.certifications, o.best,
            pp.won_12m, pp.lost_12m, pp.by_vertical, pp.sourced_won_12m, pp.influenced_won_12m,
            exists (select 1 from cosell_declines d
                     where d.tenant_id = p.tenant_id and d.account_crm_id = $2 and d.partner_id = p.id) as declined
       from partners p
       left join overlap o on o.partner_id = p.id
       left join partner_performance pp on pp.tenant_id = p.tenant_id and pp.partner_id = p.id
      where p.tenant_id = $1 and (o.partner_id is not null or ($3::text is not null and $3 = any (p.verticals)))`,
    [tenantId, account.crmId, account.industry],
  );
  const revenue = (row: CandidateRow) =>
    BigInt(row.sourced_won_12m?.[options.currency] ?? '0') +
    BigInt(row.influenced_won_12m?.[options.currency] ?? '0');
  const candidates: CosellCandidate[] = rows.map((row) => ({
    partnerId: row.id,
    name: row.name,
    tier: row.tier,
    active: row.status === 'active',
    regions: row.regions,
    verticals: row.verticals,
    certifications: row.certifications,
    overlap: row.best === null ? null : POPULATION_RANK[row.best]!,
    record:
      row.won_12m === null
        ? null
        : {
            won: row.won_12m,
            lost: row.lost_12m ?? 0,
            wonRevenueMinor: revenue(row),
            byVertical: row.by_vertical ?? {},
          },
    attached: options.attached.has(row.id),
    declined: row.declined,
    competingRegistration: options.registrationHolders.has(row.id),
  }));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return rankCosell(account, candidates, { tiers: options.tiers }).suggestions.map((s) => ({
    ...s,
    type: byId.get(s.partnerId)!.type,
    tier: byId.get(s.partnerId)!.tier,
  }));
}
