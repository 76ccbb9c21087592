import type { Queryable } from '../db/database';
import { replaceCrmDealPartners } from '../db/mirror';
import { attributionsOf } from './hubspot/associations';

interface LinkRow {
  deal_id: string;
  company_crm_id: string | null;
  label: string | null;
  partner_id: string | null;
}

/**
 * Re-reads who is on these deals from the mirrored associations and the partner links: after a sync
 * changed associations, or a reconcile changed which partner a company is. Answers the rows written.
 */
export async function refreshCrmAttributions(
  db: Queryable,
  tenantId: string,
  dealCrmIds: readonly string[],
): Promise<number> {
  if (dealCrmIds.length === 0) return 0;
  const rows = await db.query<LinkRow>(
    `select d.id as deal_id, dc.company_crm_id, dc.label, pl.partner_id
       from deals d
       left join deal_companies dc on dc.tenant_id = d.tenant_id and dc.deal_crm_id = d.crm_id
       left join partner_links pl on pl.tenant_id = d.tenant_id and pl.source = 'hubspot' and pl.external_id = dc.company_crm_id
      where d.tenant_id = $1 and d.crm_id = any($2::text[])`,
    [tenantId, dealCrmIds],
  );
  const byDeal = new Map<string, LinkRow[]>();
  for (const row of rows) byDeal.set(row.deal_id, [...(byDeal.get(row.deal_id) ?? []), row]);
  const attributions = [...byDeal].flatMap(([dealId, links]) => {
    const partnerByCompany = new Map(
      links.flatMap((l) =>
        l.company_crm_id && l.partner_id ? [[l.company_crm_id, l.partner_id] as const] : [],
      ),
    );
    const labelled = links.flatMap((l) =>
      l.company_crm_id && l.label ? [{ companyCrmId: l.company_crm_id, label: l.label }] : [],
    );
    return attributionsOf(labelled, partnerByCompany).map((attribution) => ({
      dealId,
      ...attribution,
    }));
  });
  await replaceCrmDealPartners(db, tenantId, [...byDeal.keys()], attributions);
  return attributions.length;
}

/** The deals on which any of these CRM companies sits. */
export async function dealsOfCompanies(
  db: Queryable,
  tenantId: string,
  companyCrmIds: readonly string[],
): Promise<string[]> {
  if (companyCrmIds.length === 0) return [];
  const rows = await db.query<{ deal_crm_id: string }>(
    'select distinct deal_crm_id from deal_companies where tenant_id = $1 and company_crm_id = any($2::text[])',
    [tenantId, companyCrmIds],
  );
  return rows.map((row) => row.deal_crm_id);
}
