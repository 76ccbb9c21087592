import { type CosellCandidate, fitOf } from './rank';
import type { SalesRegion } from './region';
import { COSELL_WEIGHTS, SUGGESTIONS } from './weights';

export interface FitEntry {
  partnerId: string;
  fit: number;
}

/**
 * How much more than its fit a partner without overlap can score: the won-revenue part, and the
 * rounding of the parts to one decimal (six parts, half a tenth each at most), with room to spare.
 */
export const FIT_SLACK = COSELL_WEIGHTS.wonRevenue + 0.5;

/**
 * A vertical's active partners by fit for accounts in `region`, best first: prepared once per
 * directory, program tiers and region, and read by every card of that vertical.
 */
export function fitList(
  industry: string,
  region: SalesRegion | undefined,
  partners: readonly CosellCandidate[],
  tiers: readonly string[],
): FitEntry[] {
  return partners
    .filter((p) => p.active && p.verticals.includes(industry))
    .map((p) => ({ partnerId: p.partnerId, fit: fitOf(industry, region, p, tiers) }))
    .sort((a, b) => b.fit - a.fit);
}

/**
 * The partners of a fit list that can still be among the top `limit` suggestions of an account:
 * once `limit` eligible partners are in, one whose fit is more than FIT_SLACK below the last of
 * them scores less than each of them, whatever its revenue, so none after it can make the list.
 * Partners with overlap on the account are ranked besides these (they only raise the bar), so
 * ranking the overlap and this shortlist gives the same top `limit` as ranking every partner.
 */
export function shortlist(
  list: readonly FitEntry[],
  eligible: (partnerId: string) => boolean,
  limit = SUGGESTIONS,
): string[] {
  const chosen: string[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  for (const entry of list) {
    if (entry.fit < floor) break;
    if (!eligible(entry.partnerId)) continue;
    chosen.push(entry.partnerId);
    if (chosen.length === limit) floor = entry.fit - FIT_SLACK;
  }
  return chosen;
}
