import { randomUUID } from 'node:crypto';

import type { Queryable } from './database';

export interface Tenant {
  id: string;
  name: string;
  hubspotPortalId: string | null;
}

interface TenantRow {
  id: string;
  name: string;
  hubspot_portal_id: string | null;
}

const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  name: row.name,
  hubspotPortalId: row.hubspot_portal_id,
});

export async function createTenant(
  db: Queryable,
  input: { name: string; hubspotPortalId?: string },
): Promise<Tenant> {
  const [row] = await db.query<TenantRow>(
    `insert into tenants (id, name, hubspot_portal_id) values ($1, $2, $3)
     returning id, name, hubspot_portal_id::text`,
    [randomUUID(), input.name, input.hubspotPortalId ?? null],
  );
  return toTenant(row!);
}

/** A HubSpot portal id as the column (bigint) holds one: digits, few enough to fit. */
const PORTAL_ID = /^\d{1,18}$/;

/** The tenant of a portal; undefined too for text that is no portal id ('', '1e+21', '-1'). */
export async function findTenantByPortalId(
  db: Queryable,
  portalId: string,
): Promise<Tenant | undefined> {
  if (!PORTAL_ID.test(portalId)) return undefined;
  const [row] = await db.query<TenantRow>(
    'select id, name, hubspot_portal_id::text from tenants where hubspot_portal_id = $1',
    [portalId],
  );
  return row && toTenant(row);
}

export async function getTenant(db: Queryable, id: string): Promise<Tenant | undefined> {
  const [row] = await db.query<TenantRow>(
    'select id, name, hubspot_portal_id::text from tenants where id = $1',
    [id],
  );
  return row && toTenant(row);
}

export async function listTenantIds(db: Queryable): Promise<string[]> {
  return (await db.query<{ id: string }>('select id from tenants order by created_at, id')).map(
    (row) => row.id,
  );
}

/** Every tenant with how many API keys it has in use, oldest first. */
export async function listTenants(
  db: Queryable,
): Promise<Array<Tenant & { createdAt: string; activeApiKeys: number }>> {
  const rows = await db.query<TenantRow & { created_at: Date; keys: number }>(
    `select t.id, t.name, t.hubspot_portal_id::text, t.created_at,
            (select count(*)::int from api_keys k where k.tenant_id = t.id and k.revoked_at is null) as keys
       from tenants t order by t.created_at, t.id`,
  );
  return rows.map((row) => ({
    ...toTenant(row),
    createdAt: row.created_at.toISOString(),
    activeApiKeys: row.keys,
  }));
}

export async function findTenantBySalesforceOrgId(
  db: Queryable,
  orgId: string,
): Promise<Tenant | undefined> {
  const [row] = await db.query<TenantRow>(
    'select id, name, hubspot_portal_id::text from tenants where salesforce_org_id = $1',
    [orgId.slice(0, 15)],
  );
  return row && toTenant(row);
}

/** Links the tenant to its Salesforce org (kept by its 15-character id, as Salesforce compares them). */
export async function linkSalesforceOrg(db: Queryable, tenantId: string, orgId: string) {
  await db.query('update tenants set salesforce_org_id = $2 where id = $1', [
    tenantId,
    orgId.slice(0, 15),
  ]);
}
