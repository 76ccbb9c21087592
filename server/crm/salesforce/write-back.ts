import { z } from 'zod';

import { CrmWriteError, type PartnerRole } from '../port';
import type { RoleReader } from '../roles';
import type { OrgApi } from './limits';
import { SALESFORCE_ROLE_FOR } from './partner-roles';

const roleRow = z.object({ MasterLabel: z.string().min(1) });

/**
 * The org's partner role that means `role`: PartnerLens's own name for it when the admin added
 * it, else the first of the org's roles the tenant's mapping reads as that role.
 */
async function roleInOrg(api: OrgApi, reader: RoleReader, role: PartnerRole): Promise<string> {
  const result = await api.call(() =>
    api.conn.query('SELECT MasterLabel FROM PartnerRole ORDER BY SortOrder'),
  );
  const labels = result.records.flatMap((row) => {
    const parsed = roleRow.safeParse(row);
    return parsed.success ? [parsed.data.MasterLabel] : [];
  });
  const own = SALESFORCE_ROLE_FOR[role].toLowerCase();
  const label =
    labels.find((l) => l.toLowerCase() === own) ??
    labels.find((l) => reader({ label: l, primary: false }) === role);
  if (!label)
    throw new CrmWriteError(
      `The org has no partner role that means "${role}": add "${SALESFORCE_ROLE_FOR[role]}" in Setup → Partner Roles, or map one of its roles to ${role}`,
    );
  return label;
}

/**
 * Puts a partner on an opportunity: a Partner row (Salesforce derives the OpportunityPartner from
 * it) in the org's role for `role`, through jsforce. The one who sourced the deal is its primary
 * partner. Salesforce's refusal is a CrmWriteError with its words.
 */
export async function attachWithRole(
  api: OrgApi,
  reader: RoleReader,
  link: { dealCrmId: string; companyCrmId: string; role: PartnerRole },
): Promise<void> {
  const role = await roleInOrg(api, reader, link.role);
  let result;
  try {
    result = await api.call(() =>
      api.conn.sobject('Partner').create({
        OpportunityId: link.dealCrmId,
        AccountToId: link.companyCrmId,
        Role: role,
        IsPrimary: link.role === 'sourced',
      }),
    );
  } catch (error) {
    const e = error as { errorCode?: string; message?: string };
    throw new CrmWriteError(
      `Salesforce refused the partner: ${e.errorCode ?? ''} ${e.message ?? ''}`.trim(),
    );
  }
  if (!result.success)
    throw new CrmWriteError(
      `Salesforce refused the partner: ${result.errors.map((e) => (typeof e === 'string' ? e : e.message)).join('; ')}`,
    );
}
