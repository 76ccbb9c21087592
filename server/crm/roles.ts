import type { Queryable } from '../db/database';
import { roleForLabel } from './hubspot/partner-roles';
import type { CrmKind, PartnerRole } from './port';
import { DEFAULT_SALESFORCE_ROLES } from './salesforce/partner-roles';

/** Reads a CRM's partner link as a PartnerLens role, or undefined when it is not a partner role. */
export type RoleReader = (link: { label: string; primary: boolean }) => PartnerRole | undefined;

const DEFAULTS: Record<CrmKind, (label: string) => PartnerRole | null | undefined> = {
  // The labels PartnerLens creates in HubSpot on install.
  hubspot: (label) => roleForLabel(label),
  salesforce: (label) => DEFAULT_SALESFORCE_ROLES[label.trim().toLowerCase()],
};

/**
 * The tenant's reading of one CRM's roles: its own mapping (crm_role_maps) first, then the
 * defaults. A primary partner whose role no mapping knows reads as the one who sourced the deal.
 */
export async function roleReaderFor(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
): Promise<RoleReader> {
  const rows = await db.query<{ crm_role: string; role: PartnerRole | null }>(
    'select crm_role, role from crm_role_maps where tenant_id = $1 and crm = $2',
    [tenantId, crm],
  );
  const own = new Map(rows.map((row) => [row.crm_role.trim().toLowerCase(), row.role]));
  return ({ label, primary }) => {
    const key = label.trim().toLowerCase();
    const role = own.has(key) ? own.get(key) : DEFAULTS[crm](label);
    if (role === undefined && primary && crm === 'salesforce') return 'sourced';
    return role ?? undefined;
  };
}
