import { allocateEvenly } from '../../src/money/allocate';
import type { Queryable } from '../db/database';
import { replaceCrmDealPartners } from '../db/mirror';
import { CRM_KINDS, type CrmKind, type PartnerRole } from './port';
import { type RoleReader, roleReaderFor } from './roles';

export interface Attribution {
  partnerId: string;
  role: PartnerRole;
  /** Percent with two decimals, as text (exact). */
  sharePct: string;
}

/** 100 % split evenly over n partners of a role, to the hundredth, remainders to the first ("33.34"). */
export const evenShares = (n: number): string[] =>
  allocateEvenly(10_000, n).map((hundredths) => (hundredths / 100).toFixed(2));

/**
 * Partners on one deal as the CRM's links say; partners of one role share it evenly (the CRMs
 * record no shares). Companies not linked to a partner, and links that are no partner role, are
 * left out.
 */
export function attributionsOf(
  links: ReadonlyArray<{ companyCrmId: string; label: string; primary: boolean }>,
  partnerByCompany: ReadonlyMap<string, string>,
  roleOf: RoleReader,
): Attribution[] {
  const byRole = new Map<PartnerRole, string[]>();
  for (const link of links) {
    const partnerId = partnerByCompany.get(link.companyCrmId);
    const role = roleOf(link);
    if (!partnerId || !role) continue;
    const partners = byRole.get(role) ?? [];
    if (!partners.includes(partnerId)) partners.push(partnerId);
    byRole.set(role, partners);
  }
  return [...byRole].flatMap(([role, partnerIds]) => {
    const shares = evenShares(partnerIds.length);
    return partnerIds.map((partnerId, index) => ({ partnerId, role, sharePct: shares[index]! }));
  });
}

interface LinkRow {
  deal_id: string;
  crm: CrmKind;
  company_crm_id: string | null;
  label: string | null;
  is_primary: boolean | null;
  partner_id: string | null;
}

/**
 * Re-reads who is on these deals from the mirrored partner links and the partner links: after a
 * sync changed them, or a reconcile changed which partner a company is. Answers the rows written.
 */
export async function refreshCrmAttributions(
  db: Queryable,
  tenantId: string,
  dealCrmIds: readonly string[],
): Promise<number> {
  if (dealCrmIds.length === 0) return 0;
  const rows = await db.query<LinkRow>(
    `select d.id as deal_id, d.crm, dc.company_crm_id, dc.label, dc.is_primary, pl.partner_id
       from deals d
       left join deal_companies dc on dc.tenant_id = d.tenant_id and dc.deal_crm_id = d.crm_id and dc.crm = d.crm
       left join partner_links pl on pl.tenant_id = d.tenant_id and pl.source = d.crm and pl.external_id = dc.company_crm_id
      where d.tenant_id = $1 and d.crm_id = any($2::text[])`,
    [tenantId, dealCrmIds],
  );
  const readers = new Map<CrmKind, RoleReader>();
  for (const crm of CRM_KINDS)
    if (rows.some((row) => row.crm === crm))
      readers.set(crm, await roleReaderFor(db, tenantId, crm));
  const byDeal = new Map<string, LinkRow[]>();
  for (const row of rows) byDeal.set(row.deal_id, [...(byDeal.get(row.deal_id) ?? []), row]);
  const attributions = [...byDeal].flatMap(([dealId, links]) => {
    const partnerByCompany = new Map(
      links.flatMap((l) =>
        l.company_crm_id && l.partner_id ? [[l.company_crm_id, l.partner_id] as const] : [],
      ),
    );
    const linked = links.flatMap((l) =>
      l.company_crm_id && l.label
        ? [{ companyCrmId: l.company_crm_id, label: l.label, primary: l.is_primary ?? false }]
        : [],
    );
    return attributionsOf(linked, partnerByCompany, readers.get(links[0]!.crm)!).map(
      (attribution) => ({ dealId, ...attribution }),
    );
  });
  await replaceCrmDealPartners(db, tenantId, [...byDeal.keys()], attributions);
  return attributions.length;
}

/** The deals on which any of these CRM companies sits. */
export async function dealsOfCompanies(
  db: Queryable,
  tenantId: string,
  companies: ReadonlyArray<{ crm: string; crmId: string }>,
): Promise<string[]> {
  if (companies.length === 0) return [];
  const rows = await db.query<{ deal_crm_id: string }>(
    `select distinct dc.deal_crm_id from deal_companies dc
       join unnest($2::text[], $3::text[]) as c (crm, crm_id) on c.crm = dc.crm and c.crm_id = dc.company_crm_id
      where dc.tenant_id = $1`,
    [tenantId, companies.map((c) => c.crm), companies.map((c) => c.crmId)],
  );
  return rows.map((row) => row.deal_crm_id);
}
