import type { Queryable } from './database';

export interface PartnerInput {
  id: string;
  name: string;
  domain: string | null;
  type: string;
  tier: string;
  status: 'active' | 'inactive';
  partnerManager: string | null;
  regions: string[];
  verticals: string[];
  certifications: string[];
  /** The partner's own company record in the tenant's HubSpot, when known. */
  hubspotCompanyId?: string;
}

/** Creates or updates program partners and links them to their CRM records. */
export async function upsertPartners(
  db: Queryable,
  tenantId: string,
  partners: PartnerInput[],
): Promise<void> {
  for (const p of partners) {
    await db.query(
      `insert into partners (tenant_id, id, name, domain, type, tier, status, partner_manager, regions, verticals, certifications)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (tenant_id, id) do update set
         name = excluded.name, domain = excluded.domain, type = excluded.type, tier = excluded.tier, status = excluded.status,
         partner_manager = excluded.partner_manager, regions = excluded.regions, verticals = excluded.verticals,
         certifications = excluded.certifications, updated_at = now()`,
      [
        tenantId,
        p.id,
        p.name,
        p.domain,
        p.type,
        p.tier,
        p.status,
        p.partnerManager,
        p.regions,
        p.verticals,
        p.certifications,
      ],
    );
    if (p.hubspotCompanyId) {
      await db.query(
        `insert into partner_links (tenant_id, partner_id, source, external_id) values ($1, $2, 'hubspot', $3)
         on conflict (tenant_id, source, external_id) do update set partner_id = excluded.partner_id`,
        [tenantId, p.id, p.hubspotCompanyId],
      );
    }
  }
}
