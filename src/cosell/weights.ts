/**
 * The co-sell score's weights, in one place (DESIGN.md §5). A partner's score is the sum of its
 * parts; each part is at most its weight here. docs/cosell.md explains each part.
 */
export const COSELL_WEIGHTS = {
  /** The partner's account list has the deal's account, by population. */
  overlap: { customer: 40, open_opportunity: 25, prospect: 10 },
  /** The partner works in the account's industry. */
  vertical: 15,
  /** The partner covers the account's sales region. */
  region: 10,
  /** Per certification, up to `certificationsMax`. */
  certification: 3,
  certificationsMax: 9,
  /** Win rate on decided deals it was attached to (in the vertical when it has enough there). */
  winRate: 15,
  /** Won revenue over the last twelve months, relative to the best candidate's. */
  wonRevenue: 5,
  /** Tier, by its place in the program's tiers (the lowest 0, the highest all of it). */
  tier: 10,
} as const;

/** Decided deals needed before a win rate counts (fewer say nothing yet). */
export const MIN_DECIDED_DEALS = 3;

/** How many suggestions a deal gets. */
export const SUGGESTIONS = 5;
