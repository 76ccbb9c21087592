import {
  type CosellCandidate,
  POPULATIONS,
  rankCosell,
  type Suggestion,
} from '../../src/cosell/rank';
import type { Queryable } from '../db/database';
import type { PartnerDirectory } from './partner-directory';

export type CardSuggestion = Suggestion & { type: string | null; tier: string };

/**
 * Co-sell suggestions for a deal's account (DESIGN.md §5): the tenant's partners that have the
 * account in their current list (read fresh) or work in its industry (from the partner
 * directory), ranked by src/cosell. Partners on the deal, declined for the account, or holding a
 * registration on it are left out.
 */
export async function suggestionsForAccount(
  db: Queryable,
  directory: PartnerDirectory,
  tenantId: string,
  account: { crmId: string; name: string; industry: string | null; country: string | null },
  options: {
    attached: ReadonlySet<string>;
    registrationHolders: ReadonlySet<string>;
    tiers: readonly string[];
    currency: string;
  },
): Promise<CardSuggestion[]> {
  const [partners, overlap, declines] = await Promise.all([
    directory.get(tenantId),
    db.query<{ partner_id: string; best: number }>(
      `select pa.partner_id,
              min(array_position($3::text[], pa.population))::int - 1 as best
         from partner_accounts pa
         join partner_current_lists c on c.tenant_id = pa.tenant_id and c.import_id = pa.import_id
        where pa.tenant_id = $1 and pa.account_crm_id = $2
        group by pa.partner_id`,
      [tenantId, account.crmId, POPULATIONS],
    ),
    db.query<{ partner_id: string }>(
      'select partner_id from cosell_declines where tenant_id = $1 and account_crm_id = $2',
      [tenantId, account.crmId],
    ),
  ]);
  const best = new Map(overlap.map((row) => [row.partner_id, POPULATIONS[row.best]!]));
  const declined = new Set(declines.map((row) => row.partner_id));
  const pool = new Map(
    (account.industry ? (partners.byVertical.get(account.industry) ?? []) : []).map((p) => [
      p.id,
      p,
    ]),
  );
  for (const id of best.keys()) {
    const partner = partners.byId.get(id);
    if (partner) pool.set(id, partner);
  }
  const candidates: CosellCandidate[] = [...pool.values()].map((partner) => ({
    partnerId: partner.id,
    name: partner.name,
    tier: partner.tier,
    active: partner.active,
    regions: partner.regions,
    verticals: partner.verticals,
    certifications: partner.certifications,
    overlap: best.get(partner.id) ?? null,
    record: partner.record && {
      ...partner.record,
      wonRevenueMinor: partner.wonRevenue[options.currency] ?? 0n,
    },
    attached: options.attached.has(partner.id),
    declined: declined.has(partner.id),
    competingRegistration: options.registrationHolders.has(partner.id),
  }));
  return rankCosell(account, candidates, { tiers: options.tiers }).suggestions.map((s) => ({
    ...s,
    type: partners.byId.get(s.partnerId)!.type,
    tier: partners.byId.get(s.partnerId)!.tier,
  }));
}
