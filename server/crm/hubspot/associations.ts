import type { DealLinks } from '../port';
import { PRIMARY_COMPANY_TYPE_ID, roleForLabel } from './partner-roles';

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

/** A deal's associations as the port's links: every labelled company, and the deal's account. */
export function toDealLinks(deal: DealAssociations): DealLinks {
  return {
    dealCrmId: deal.dealCrmId,
    accountCrmId: accountOf(deal),
    // HubSpot's primary company is the deal's account, not its primary partner.
    links: deal.to.flatMap((company) =>
      company.types.map((type) => ({
        companyCrmId: company.companyCrmId,
        label: labelOf(type),
        primary: false,
      })),
    ),
  };
}

/** The deal's account: its primary company, else the first company that is not there as a partner. */
export function accountOf(deal: DealAssociations): string | null {
  const primary = deal.to.find((c) =>
    c.types.some((t) => t.category === 'HUBSPOT_DEFINED' && t.typeId === PRIMARY_COMPANY_TYPE_ID),
  );
  const plain = deal.to.find((c) => c.types.every((t) => !roleForLabel(labelOf(t))));
  return (primary ?? plain)?.companyCrmId ?? null;
}
