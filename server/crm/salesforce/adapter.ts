import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import type { CrmAdapter } from '../port';
import { roleReaderFor } from '../roles';
import { openOrgSession, type SalesforceApp } from './credentials';
import { DEFAULT_LIMITS, type LimitSettings, OrgApi } from './limits';
import type { PartnerAccountTypes } from './records';
import { OrgFields, readOrg, rereadRecords } from './sync';
import { attachWithRole } from './write-back';

/**
 * The Account.Type values that mark a partner in the tenant's org, as its admin mapped them; with
 * none mapped, Salesforce's standard partner types.
 */
export async function partnerAccountTypes(
  db: Queryable,
  tenantId: string,
): Promise<PartnerAccountTypes> {
  const rows = await db.query<{ account_type: string; partner_type: string | null }>(
    `select account_type, partner_type from crm_partner_account_types where tenant_id = $1 and crm = 'salesforce'`,
    [tenantId],
  );
  if (rows.length > 0)
    return new Map(rows.map((row) => [row.account_type.trim().toLowerCase(), row.partner_type]));
  return new Map([
    ['channel partner / reseller', 'reseller'],
    ['installation partner', 'system_integrator'],
    ['technology partner', 'technology'],
  ]);
}

/** Salesforce behind the CRM port: a tenant's org through jsforce. */
export function salesforceAdapter(deps: {
  db: Queryable;
  box: CryptoBox;
  salesforce: SalesforceApp;
  limits?: Partial<LimitSettings>;
  /** Rows of an object above which a full read uses Bulk API 2.0 (bulk.ts says why 10,000). */
  bulkThreshold?: number;
}): CrmAdapter {
  return {
    crm: 'salesforce',
    async connect(tenantId) {
      const session = await openOrgSession(deps.db, deps.box, deps.salesforce, tenantId);
      const api = new OrgApi(session, { ...DEFAULT_LIMITS, ...deps.limits });
      const fields = new OrgFields(api);
      const partnerTypes = await partnerAccountTypes(deps.db, tenantId);
      return {
        crm: 'salesforce',
        async *read(cursor) {
          await api.refreshUsageIfSpent();
          return yield* readOrg(api, fields, cursor, {
            partnerTypes,
            ...(deps.bulkThreshold !== undefined ? { bulkThreshold: deps.bulkThreshold } : {}),
          });
        },
        reread: (ids) => rereadRecords(api, fields, ids, partnerTypes),
        attachPartner: async (link) =>
          attachWithRole(api, await roleReaderFor(deps.db, tenantId, 'salesforce'), link),
        usage: () => api.usage(),
      };
    },
  };
}
