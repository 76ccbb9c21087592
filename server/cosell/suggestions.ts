import { shortlist } from '../../src/cosell/fit-list';
import {
  type CosellCandidate,
  type Population,
  POPULATIONS,
  rankCosell,
  regionOfAccount,
  type Suggestion,
} from '../../src/cosell/rank';
import { SUGGESTIONS } from '../../src/cosell/weights';
import type { Queryable } from '../db/database';
import type { Directory } from './partner-directory';

export type CardSuggestion = Suggestion & { type: string | null; tier: string };

interface SuggestionOptions {
  attached: ReadonlySet<string>;
  registrationHolders: ReadonlySet<string>;
  tiers: readonly string[];
  currency: string;
}

/**
 * Co-sell suggestions for a deal's account (DESIGN.md §5): the tenant's partners that have the
 * account in their current list (read fresh) or work in its industry (from the partner
 * directory), ranked by src/cosell. Partners on the deal, declined for the account, or holding a
 * registration on it are left out. Of the industry's partners only those that can still make the
 * top few are ranked (the directory's fit list, src/cosell/fit-list.ts), against the best won
 * revenue of them all: the same suggestions as ranking every one of them.
 */
export async function suggestionsForAccount(
  db: Queryable,
  partners: Directory,
  tenantId: string,
  account: SuggestionAccount,
  options: SuggestionOptions,
): Promise<CardSuggestion[]> {
  return rankSuggestions(
    partners,
    account,
    await accountFacts(db, tenantId, account.crmId),
    options,
  );
}

/** What the account's own rows say for its suggestions: overlap (best population per partner) and declines. */
export interface AccountFacts {
  overlap: ReadonlyMap<string, Population>;
  declined: ReadonlySet<string>;
}

type SuggestionAccount = {
  crmId: string;
  name: string;
  industry: string | null;
  country: string | null;
};

/** suggestionsForAccount, for a caller that read the account's facts with its own query (the card). */
export function rankSuggestions(
  partners: Directory,
  account: SuggestionAccount,
  { overlap, declined }: AccountFacts,
  options: SuggestionOptions,
): CardSuggestion[] {
  const region = regionOfAccount(account);
  const eligible = (id: string) =>
    !options.attached.has(id) && !declined.has(id) && !options.registrationHolders.has(id);
  const candidate = (id: string): CosellCandidate | undefined => {
    const base = partners.candidate(id, options.currency);
    if (!base) return undefined;
    return {
      ...base,
      overlap: overlap.get(id) ?? null,
      attached: options.attached.has(id),
      declined: declined.has(id),
      competingRegistration: options.registrationHolders.has(id),
    };
  };
  const pool = new Map<string, CosellCandidate>();
  for (const id of overlap.keys()) {
    const c = candidate(id);
    if (c) pool.set(id, c);
  }
  let bestRevenue = 0n;
  if (account.industry) {
    const fit = partners.fitList(account.industry, region, options.tiers);
    for (const id of shortlist(fit, eligible, SUGGESTIONS))
      if (!pool.has(id)) pool.set(id, candidate(id)!);
    // The best revenue among all of the industry's partners that could be suggested.
    const top = partners
      .revenueList(account.industry, options.currency)
      .find((p) => eligible(p.id));
    bestRevenue = top?.wonRevenue[options.currency] ?? 0n;
  }
  for (const c of pool.values())
    if (c.active && eligible(c.partnerId) && c.record && c.record.wonRevenueMinor > bestRevenue)
      bestRevenue = c.record.wonRevenueMinor;
  return rankCosell(account, [...pool.values()], {
    tiers: options.tiers,
    limit: SUGGESTIONS,
    bestRevenue,
  }).suggestions.map((s) => ({
    ...s,
    type: partners.byId.get(s.partnerId)!.type,
    tier: partners.byId.get(s.partnerId)!.tier,
  }));
}

/** The account's overlap (best population per partner, current lists only) and its declines. */
async function accountFacts(
  db: Queryable,
  tenantId: string,
  accountCrmId: string,
): Promise<AccountFacts> {
  const [overlap, declines] = await Promise.all([
    db.query<{ partner_id: string; best: number }>(
      `select pa.partner_id,
              min(array_position($3::text[], pa.population))::int - 1 as best
         from partner_accounts pa
         join partner_current_lists c
           on c.tenant_id = pa.tenant_id and c.partner_id = pa.partner_id and c.import_id = pa.import_id
        where pa.tenant_id = $1 and pa.account_crm_id = $2
        group by pa.partner_id`,
      [tenantId, accountCrmId, POPULATIONS],
    ),
    db.query<{ partner_id: string }>(
      'select partner_id from cosell_declines where tenant_id = $1 and account_crm_id = $2',
      [tenantId, accountCrmId],
    ),
  ]);
  return {
    overlap: new Map(overlap.map((row) => [row.partner_id, POPULATIONS[row.best]!])),
    declined: new Set(declines.map((row) => row.partner_id)),
  };
}
