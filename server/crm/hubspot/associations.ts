import { allocateEvenly } from '../../../src/money/allocate';
import type { DealCompanyLink } from '../../db/mirror';
import { type PartnerRole, PRIMARY_COMPANY_TYPE_ID, roleForLabel } from './partner-roles';

export interface AssociationTypeView {
  category: string;
  typeId: number;
  label?: string | null;
}

export interface DealAssociations {
  dealCrmId: string;
  to: Array<{ companyCrmId: string; types: AssociationTypeView[] }>;
}

const labelOf = (type: AssociationTypeView) => type.label ?? `hubspot:${type.typeId}`;

export function toDealCompanyLinks(associations: DealAssociations[]): DealCompanyLink[] {
  return associations.flatMap((deal) =>
    deal.to.flatMap((company) =>
      company.types.map((type) => ({
        dealCrmId: deal.dealCrmId,
        companyCrmId: company.companyCrmId,
        label: labelOf(type),
      })),
    ),
  );
}

/** The deal's account: its primary company, else the first company that is not there as a partner. */
export function accountOf(deal: DealAssociations): string | null {
  const primary = deal.to.find((c) =>
    c.types.some((t) => t.category === 'HUBSPOT_DEFINED' && t.typeId === PRIMARY_COMPANY_TYPE_ID),
  );
  const plain = deal.to.find((c) => c.types.every((t) => !roleForLabel(labelOf(t))));
  return (primary ?? plain)?.companyCrmId ?? null;
}

export interface Attribution {
  partnerId: string;
  role: PartnerRole;
  /** Percent with two decimals, as text (exact). */
  sharePct: string;
}

/**
 * Partners on one deal as the CRM's association labels say; partners of one role share it evenly (to
 * the hundredth of a percent, remainders to the first). Companies not linked to a partner are left out.
 */
export function attributionsOf(
  links: ReadonlyArray<{ companyCrmId: string; label: string }>,
  partnerByCompany: ReadonlyMap<string, string>,
): Attribution[] {
  const byRole = new Map<PartnerRole, string[]>();
  for (const { companyCrmId, label } of links) {
    const partnerId = partnerByCompany.get(companyCrmId);
    const role = roleForLabel(label);
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

/** 100 % split evenly over n partners of a role, to the hundredth, remainders to the first ("33.34"). */
export const evenShares = (n: number): string[] =>
  allocateEvenly(10_000, n).map((hundredths) => (hundredths / 100).toFixed(2));
