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
import { type CardSuggestion, suggestionsForAccount } from '../cosell/suggestions';
import { type DealRegistration, registrationsForDeal } from '../registrations/deal-registrations';
import { programAtVersion } from '../registrations/program-store';
import type { Queryable } from './database';

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

interface DealRow {
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
  /** What the card's prepared inputs are at (program, partner directory): read with the deal. */
  program_version: number;
  partners_version: string;
}

interface PartnerRow {
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

/** The deal as the mirror has it, with its attached partners; undefined when the tenant has no such deal. */
export async function findDealCard(
  db: Queryable,
  tenantId: string,
  dealCrmId: string,
  now: number,
  directory: PartnerDirectory,
): Promise<DealCardView | undefined> {
  const [deal] = await db.query<DealRow>(
    `select d.id, d.crm_id, d.name, trim_scale(d.amount)::text as amount, d.currency, d.stage,
            a.name as account_name, a.domain as account_domain, d.account_crm_id,
            a.industry as account_industry, a.country as account_country,
            coalesce((select version from programs where tenant_id = $1), 0) as program_version,
            coalesce((select partners from card_versions where tenant_id = $1), 0)::text as partners_version
       from deals d
       left join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
      where d.tenant_id = $1 and d.crm_id = $2 and d.archived_at is null`,
    [tenantId, dealCrmId],
  );
  if (!deal) return undefined;
  const partners = await db.query<PartnerRow>(
    `select p.id, p.name, p.type, p.tier, dp.role, dp.share_pct::text as share_pct, p.partner_manager, p.certifications,
            pp.sourced_won_12m, pp.influenced_won_12m, pp.open_pipeline, pp.won_12m, pp.lost_12m,
            pp.avg_cycle_days::text, pp.by_vertical, pp.as_of
       from deal_partners dp
       join partners p on p.tenant_id = dp.tenant_id and p.id = dp.partner_id
       left join partner_performance pp on pp.tenant_id = p.tenant_id and pp.partner_id = p.id
      where dp.tenant_id = $1 and dp.deal_id = $2
      order by dp.role, p.name`,
    [tenantId, deal.id],
  );
  const partnerViews = partners.map((row) => ({
    id: row.id,
    name: row.name,
    type: row.type,
    tier: row.tier,
    role: row.role,
    sharePct: Number(row.share_pct),
  }));
  // One program for the previews and the suggestions.
  const program = await programAtVersion(db, tenantId, deal.program_version);
  const previews = previewCommissions(
    program,
    { id: deal.id, amount: deal.amount, currency: deal.currency },
    partnerViews,
  );
  const commissions =
    deal.stage === 'won'
      ? await accruedOnDeal(db, tenantId, deal.id, partnerViews, previews)
      : previews;
  const registrations = await registrationsForDeal(
    db,
    tenantId,
    deal.account_crm_id,
    partnerViews,
    now,
  );
  const suggestions =
    deal.stage === 'open' && deal.account_crm_id && deal.account_name !== null
      ? await suggestionsForAccount(
          db,
          await directory.get(tenantId, deal.partners_version),
          tenantId,
          {
            crmId: deal.account_crm_id,
            name: deal.account_name,
            industry: deal.account_industry,
            country: deal.account_country,
          },
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
