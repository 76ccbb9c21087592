import {
  type CommissionPreview,
  type PartnerOnDeal,
  previewCommissions,
} from '../commissions/preview';
import { type DealRegistration, registrationsForDeal } from '../registrations/deal-registrations';
import type { Queryable } from './database';

export interface DealCardView {
  deal: {
    id: string;
    name: string;
    amount: string | null;
    currency: string | null;
    stage: 'open' | 'won' | 'lost';
  };
  account: { name: string; domain: string | null } | null;
  partners: Array<
    PartnerOnDeal & {
      /** What the partner would earn if the deal closed at its amount now, or why that cannot be said. */
      commission: CommissionPreview | null;
    }
  >;
  /** Registrations holding the deal's account now, with their conflicts with the partners on it. */
  registrations: DealRegistration[];
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
}

interface PartnerRow {
  id: string;
  name: string;
  type: string | null;
  tier: string;
  role: string;
  share_pct: string;
}

/** The deal as the mirror has it, with its attached partners; undefined when the tenant has no such deal. */
export async function findDealCard(
  db: Queryable,
  tenantId: string,
  dealCrmId: string,
  now: number,
): Promise<DealCardView | undefined> {
  const [deal] = await db.query<DealRow>(
    `select d.id, d.crm_id, d.name, trim_scale(d.amount)::text as amount, d.currency, d.stage,
            a.name as account_name, a.domain as account_domain, d.account_crm_id
       from deals d
       left join accounts a on a.tenant_id = d.tenant_id and a.crm_id = d.account_crm_id
      where d.tenant_id = $1 and d.crm_id = $2 and d.archived_at is null`,
    [tenantId, dealCrmId],
  );
  if (!deal) return undefined;
  const partners = await db.query<PartnerRow>(
    `select p.id, p.name, p.type, p.tier, dp.role, dp.share_pct::text as share_pct
       from deal_partners dp
       join partners p on p.tenant_id = dp.tenant_id and p.id = dp.partner_id
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
  const previews = await previewCommissions(
    db,
    tenantId,
    { id: deal.id, amount: deal.amount, currency: deal.currency },
    partnerViews,
  );
  return {
    deal: {
      id: deal.crm_id,
      name: deal.name,
      amount: deal.amount,
      currency: deal.currency,
      stage: deal.stage,
    },
    account:
      deal.account_name === null ? null : { name: deal.account_name, domain: deal.account_domain },
    partners: partnerViews.map((p) => ({
      ...p,
      commission: previews.get(`${p.id}:${p.role}`) ?? null,
    })),
    registrations: await registrationsForDeal(db, tenantId, deal.account_crm_id, partnerViews, now),
  };
}
