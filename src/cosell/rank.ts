import { normalizeCountry } from '../matching/country';
import { wordsOf } from '../text/words';
import { SALES_REGION_NAMES, type SalesRegion, salesRegionOf } from './region';
import { COSELL_WEIGHTS, MIN_DECIDED_DEALS, SUGGESTIONS } from './weights';

/** Crossbeam-style populations, strongest first. */
export const POPULATIONS = ['customer', 'open_opportunity', 'prospect'] as const;
export type Population = (typeof POPULATIONS)[number];

export interface CosellAccount {
  name: string;
  industry: string | null;
  /** As the CRM has it: "Germany", "DE", "Deutschland". */
  country: string | null;
}

export interface PartnerRecord {
  won: number;
  lost: number;
  /** Won revenue over the last twelve months in the program's currency, minor units. */
  wonRevenueMinor: bigint;
  byVertical: Record<string, { won: number; lost: number }>;
}

export interface CosellCandidate {
  partnerId: string;
  name: string;
  tier: string;
  active: boolean;
  regions: readonly string[];
  verticals: readonly string[];
  certifications: readonly string[];
  /** The best population the deal's account has in this partner's list, if any. */
  overlap: Population | null;
  record: PartnerRecord | null;
  /** Already on the deal. */
  attached: boolean;
  /** An account executive declined this partner for the account. */
  declined: boolean;
  /** The partner holds a registration on the account and is not on the deal. */
  competingRegistration: boolean;
}

export interface ScoreParts {
  overlap: number;
  vertical: number;
  region: number;
  certifications: number;
  trackRecord: number;
  tier: number;
}

export interface Suggestion {
  partnerId: string;
  name: string;
  score: number;
  parts: ScoreParts;
  reasons: string[];
}

export type Exclusion = 'inactive' | 'attached' | 'declined' | 'competing_registration';

const POPULATION_WORDS: Record<Population, string> = {
  customer: 'a customer',
  open_opportunity: 'an open opportunity',
  prospect: 'a prospect',
};

const percent = (won: number, decided: number) => Math.round((100 * won) / decided);
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Ranks partners for a deal's account (DESIGN.md §5): overlap on the account, vertical and region
 * fit, certifications, track record and tier, each part weighted in weights.ts. Partners that
 * are inactive, already on the deal, declined for the account or holding a competing registration
 * are left out, with the reason. A partner needs overlap or the vertical to be suggested at all.
 * The top five come with their score parts and the sentences that explain them.
 */
export function rankCosell(
  account: CosellAccount,
  candidates: readonly CosellCandidate[],
  options: {
    tiers: readonly string[];
    limit?: number;
    /**
     * The best won revenue among all the partners that could be suggested, when `candidates` is
     * a shortlist of them (see fit-list.ts); by default, the best among the candidates.
     */
    bestRevenue?: bigint;
  },
): { suggestions: Suggestion[]; excluded: Array<{ partnerId: string; reason: Exclusion }> } {
  const excluded: Array<{ partnerId: string; reason: Exclusion }> = [];
  const region = regionOfAccount(account);
  // The best won revenue among the partners that can be suggested: an excluded giant does not
  // shrink everyone else's part.
  const bestRevenue = options.bestRevenue ?? bestRevenueOf(candidates);
  const context = { account, region, bestRevenue, tiers: options.tiers };
  const scored: Array<{ candidate: CosellCandidate; parts: ScoreParts; score: number }> = [];
  for (const candidate of candidates) {
    const reason = exclusionOf(candidate);
    if (reason) {
      excluded.push({ partnerId: candidate.partnerId, reason });
      continue;
    }
    const worksInVertical =
      account.industry !== null && candidate.verticals.includes(account.industry);
    if (!candidate.overlap && !worksInVertical) continue;
    const parts = scoreParts(context, candidate);
    const score = round1(Object.values(parts).reduce((a, b) => a + b, 0));
    scored.push({ candidate, parts, score });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      a.candidate.name.localeCompare(b.candidate.name, 'en') ||
      (a.candidate.partnerId < b.candidate.partnerId
        ? -1
        : a.candidate.partnerId > b.candidate.partnerId
          ? 1
          : 0),
  );
  // Only the partners shown are explained: the sentences cost more than the scores.
  const suggestions = scored.slice(0, options.limit ?? SUGGESTIONS).map(({ candidate, score }) => {
    const reasons: string[] = [];
    const parts = scoreParts(context, candidate, reasons);
    return { partnerId: candidate.partnerId, name: candidate.name, score, parts, reasons };
  });
  return { suggestions, excluded };
}

/** The best won revenue among the candidates that are not excluded. */
export function bestRevenueOf(candidates: Iterable<CosellCandidate>): bigint {
  let best = 0n;
  for (const c of candidates)
    if (!exclusionOf(c) && c.record && c.record.wonRevenueMinor > best)
      best = c.record.wonRevenueMinor;
  return best;
}

/**
 * What a partner scores for any account in `industry` and `region` before overlap and won
 * revenue, the two parts that depend on the account and on the other candidates: a partner's
 * score without overlap is its fit plus at most the won-revenue weight (and rounding).
 */
export function fitOf(
  industry: string | null,
  region: SalesRegion | undefined,
  candidate: CosellCandidate,
  tiers: readonly string[],
): number {
  const parts = scoreParts(
    { account: { name: '', industry, country: null }, region, bestRevenue: 0n, tiers },
    { ...candidate, overlap: null },
  );
  return round1(Object.values(parts).reduce((a, b) => a + b, 0));
}

/** The sales region rankCosell places an account's country in. */
export const regionOfAccount = (account: CosellAccount) =>
  salesRegionOf(normalizeCountry(account.country));

interface ScoringContext {
  account: CosellAccount;
  region: SalesRegion | undefined;
  bestRevenue: bigint;
  tiers: readonly string[];
}

/** A candidate's score parts (each rounded to one decimal); with `reasons`, the sentences too. */
function scoreParts(
  { account, region, bestRevenue, tiers }: ScoringContext,
  candidate: CosellCandidate,
  reasons?: string[],
): ScoreParts {
  const parts: ScoreParts = {
    overlap: 0,
    vertical: 0,
    region: 0,
    certifications: 0,
    trackRecord: 0,
    tier: 0,
  };
  if (candidate.overlap) {
    parts.overlap = COSELL_WEIGHTS.overlap[candidate.overlap];
    reasons?.push(
      `Has ${account.name} as ${POPULATION_WORDS[candidate.overlap]} in its account list`,
    );
  }
  if (account.industry !== null && candidate.verticals.includes(account.industry)) {
    parts.vertical = COSELL_WEIGHTS.vertical;
    reasons?.push(`Works in ${wordsOf(account.industry).toLowerCase()}`);
  }
  if (region && candidate.regions.includes(region)) {
    parts.region = COSELL_WEIGHTS.region;
    reasons?.push(`Covers ${SALES_REGION_NAMES[region]}`);
  }
  if (candidate.certifications.length > 0) {
    parts.certifications = Math.min(
      COSELL_WEIGHTS.certificationsMax,
      COSELL_WEIGHTS.certification * candidate.certifications.length,
    );
    reasons?.push(`Certified: ${candidate.certifications.join(', ')}`);
  }
  const record = candidate.record;
  if (record) {
    const inVertical = account.industry ? record.byVertical[account.industry] : undefined;
    const verticalDecided = inVertical ? inVertical.won + inVertical.lost : 0;
    const decided = record.won + record.lost;
    if (inVertical && verticalDecided >= MIN_DECIDED_DEALS) {
      parts.trackRecord += (COSELL_WEIGHTS.winRate * inVertical.won) / verticalDecided;
      reasons?.push(
        `Won ${inVertical.won} of ${verticalDecided} deals (${percent(inVertical.won, verticalDecided)} %) in ${wordsOf(account.industry!).toLowerCase()}`,
      );
    } else if (decided >= MIN_DECIDED_DEALS) {
      parts.trackRecord += (COSELL_WEIGHTS.winRate * record.won) / decided;
      reasons?.push(`Won ${record.won} of ${decided} deals (${percent(record.won, decided)} %)`);
    }
    if (bestRevenue > 0n && record.wonRevenueMinor > 0n)
      parts.trackRecord +=
        (COSELL_WEIGHTS.wonRevenue * Number((record.wonRevenueMinor * 1000n) / bestRevenue)) / 1000;
  }
  const tierAt = tiers.indexOf(candidate.tier);
  if (tierAt > 0 && tiers.length > 1) {
    parts.tier = (COSELL_WEIGHTS.tier * tierAt) / (tiers.length - 1);
    reasons?.push(`${wordsOf(candidate.tier)} tier`);
  }
  for (const key of Object.keys(parts) as Array<keyof ScoreParts>) parts[key] = round1(parts[key]);
  return parts;
}

export function exclusionOf(candidate: CosellCandidate): Exclusion | undefined {
  if (!candidate.active) return 'inactive';
  if (candidate.attached) return 'attached';
  if (candidate.declined) return 'declined';
  if (candidate.competingRegistration) return 'competing_registration';
  return undefined;
}
