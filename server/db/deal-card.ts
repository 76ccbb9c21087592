import { toMinorUnits } from '../../src/money/minor-units';
import { type Money, moneyList, moneyOf } from '../../src/money/money';
import { wordsOf } from '../../src/text/words';
import { accruedOnDeal, type CommissionAccrued } from '../commissions/deal-accruals';
import {
  type CommissionPreview,
  type PartnerOnDeal,
  previewCommissions,
} from '../commissions/preview';
import type { PartnerDirectory } from '../cosell/partner-directory';
import { type CardSuggestion, rankSuggestions } from '../cosell/suggestions';
import {
  type DealRegistration,
  presentDealRegistrations,
} from '../registrations/deal-registrations';
import { programAtVersion } from '../registrations/program-store';
import type { Queryable } from './database';
import { type PartnerRow, readDealCardFacts } from './deal-card-facts';

export interface DealCardView {
  deal: {
    id: string;
    name: string;
    amount: Money | null;
    stage: 'open' | 'won' | 'lost';
  };
  account: {
    name: string;
    domain: string | null;
    /** The CRM's code (COMPUTER_SOFTWARE), and as words (Computer software). */
    industry: string | null;
    industryLabel: string | null;
    country: string | null;
  } | null;
  partners: Array<
    PartnerOnDeal & {
      partnerManager: string | null;
      certifications: string[];
      /** The partner's registration holding the deal's account, if it has one. */
      registration: { id: string; status: 'pending' | 'approved'; daysLeft: number | null } | null;
      /** Kept up to date by the commissions worker as deals change (not computed here). */
      performance: PartnerPerformance | null;
      /**
       * Open deal: what the partner would earn if it closed at its amount now, or why that cannot
       * be said. Won deal: what the ledger accrued, with its status. Lost deal: null.
       */
      commission: CommissionPreview | CommissionAccrued | null;
    }
  >;
  /** Registrations holding the deal's account now, with their conflicts with the partners on it. */
  registrations: DealRegistration[];
  /** Partners to bring in, best first, each with its score parts and reasons (DESIGN.md §5); none once closed. */
  suggestions: CardSuggestion[];
}

export interface PartnerPerformance {
  /** Trailing twelve months, one amount per currency. */
  sourcedWon12m: Money[];
  influencedWon12m: Money[];
  openPipeline: Money[];
  won12m: number;
  lost12m: number;
  /** won / (won + lost) over twelve months; null before any deal is decided. */
  winRate: number | null;
  /** Won and lost over twelve months per vertical (the account's industry). */
  byVertical: Record<string, { won: number; lost: number }>;
  avgCycleDays: number | null;
  asOf: string;
}

/** The deal as the mirror has it, with its attached partners; undefined when the tenant has no such deal. */
export async function findDealCard(
  db: Queryable,
  tenantId: string,
  dealCrmId: string,
  now: number,
  directory: PartnerDirectory,
): Promise<DealCardView | undefined> {
  const facts = await readDealCardFacts(db, tenantId, dealCrmId, now);
  if (!facts) return undefined;
  const { deal, partners } = facts;
  const partnerViews = partners.map((row) => ({
    id: row.id,
    name: row.name,
    type: row.type,
    tier: row.tier,
    role: row.role,
    sharePct: Number(row.share_pct),
  }));
  // One program for the previews and the suggestions, parsed once per version.
  const program = await programAtVersion(db, tenantId, facts.programVersion);
  const previews = previewCommissions(
    program,
    { id: deal.id, amount: deal.amount, currency: deal.currency },
    partnerViews,
  );
  const commissions =
    deal.stage === 'won'
      ? await accruedOnDeal(db, tenantId, deal.id, partnerViews, previews)
      : previews;
  const registrations = presentDealRegistrations(facts.registrations, partnerViews, now);
  const suggestions =
    deal.stage === 'open' && deal.account_crm_id && deal.account_name !== null
      ? rankSuggestions(
          await directory.get(tenantId, facts.partnersVersion),
          {
            crmId: deal.account_crm_id,
            name: deal.account_name,
            industry: deal.account_industry,
            country: deal.account_country,
          },
          facts.account,
          {
            attached: new Set(partnerViews.map((p) => p.id)),
            registrationHolders: new Set(registrations.map((r) => r.partner.id)),
            tiers: program.tiers,
            currency: program.currency,
          },
        )
      : [];
  return {
    deal: {
      id: deal.crm_id,
      name: deal.name,
      amount: dealAmount(deal.amount, deal.currency),
      stage: deal.stage,
    },
    account:
      deal.account_name === null
        ? null
        : {
            name: deal.account_name,
            domain: deal.account_domain,
            industry: deal.account_industry,
            industryLabel: deal.account_industry && wordsOf(deal.account_industry),
            country: deal.account_country,
          },
    partners: partnerViews.map((p, index) => {
      const row = partners[index]!;
      const registration = registrations.find((r) => r.partner.id === p.id);
      return {
        ...p,
        partnerManager: row.partner_manager,
        certifications: row.certifications,
        registration: registration
          ? { id: registration.id, status: registration.status, daysLeft: registration.daysLeft }
          : null,
        performance: performanceOf(row),
        commission: deal.stage === 'lost' ? null : (commissions.get(`${p.id}:${p.role}`) ?? null),
      };
    }),
    registrations,
    suggestions,
  };
}

function performanceOf(row: PartnerRow): PartnerPerformance | null {
  if (!row.as_of) return null;
  const decided = (row.won_12m ?? 0) + (row.lost_12m ?? 0);
  return {
    sourcedWon12m: moneyList(row.sourced_won_12m ?? {}),
    influencedWon12m: moneyList(row.influenced_won_12m ?? {}),
    openPipeline: moneyList(row.open_pipeline ?? {}),
    won12m: row.won_12m ?? 0,
    lost12m: row.lost_12m ?? 0,
    winRate: decided > 0 ? Math.round(((row.won_12m ?? 0) / decided) * 1000) / 1000 : null,
    byVertical: row.by_vertical ?? {},
    avgCycleDays: row.avg_cycle_days === null ? null : Number(row.avg_cycle_days),
    asOf: row.as_of.toISOString(),
  };
}

function dealAmount(amount: string | null, currency: string | null): Money | null {
  if (amount === null || currency === null) return null;
  const minor = toMinorUnits(amount, currency);
  return minor.ok ? moneyOf(minor.value, currency) : null;
}
