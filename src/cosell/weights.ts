/**
 * The co-sell score's weights, in one place (DESIGN.md §5). A partner's score is the sum of its
 * parts; each part is at most its weight here. docs/cosell.md explains each part. Overlap leads:
 * everything else together (vertical, region, certifications, track record, tier: at most 45)
 * cannot outrank a customer overlap (50), nor an open opportunity in the partner's vertical.
 */
export const COSELL_WEIGHTS = {
  /** The partner's account list has the deal's account, by population. */
  overlap: { customer: 50, open_opportunity: 40, prospect: 15 },
  /** The partner works in the account's industry. */
  vertical: 10,
  /** The partner covers the account's sales region. */
  region: 5,
  /** Per certification, up to `certificationsMax`. */
  certification: 2,
  certificationsMax: 6,
  /** Win rate on decided deals it was attached to (in the vertical when it has enough there). */
  winRate: 12,
  /** Won revenue over the last twelve months, relative to the best candidate's. */
  wonRevenue: 4,
  /** Tier, by its place in the program's tiers (the lowest 0, the highest all of it). */
  tier: 8,
} as const;

/** Decided deals needed before a win rate counts (fewer say nothing yet). */
export const MIN_DECIDED_DEALS = 3;

/** How many suggestions a deal gets. */
export const SUGGESTIONS = 5;
