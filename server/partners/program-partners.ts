import type { Queryable } from '../db/database';

export interface ProgramPartner {
  externalId: string;
  name: string;
  domain: string | null;
  country?: string | null;
  type: string | null;
  tier: string;
  status: 'active' | 'inactive';
  partnerManager: string | null;
  regions: string[];
  verticals: string[];
  certifications: string[];
}

/** Creates or updates the partner program's own records; reconcile turns them into partners. */
export async function upsertProgramPartners(
  db: Queryable,
  tenantId: string,
  partners: readonly ProgramPartner[],
): Promise<void> {
  for (const p of partners) {
    await db.query(
      `insert into program_partners (tenant_id, external_id, name, domain, country, type, tier, status, partner_manager, regions, verticals, certifications)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       on conflict (tenant_id, external_id) do update set
         name = excluded.name, domain = excluded.domain, country = excluded.country, type = excluded.type, tier = excluded.tier,
         status = excluded.status, partner_manager = excluded.partner_manager, regions = excluded.regions,
         verticals = excluded.verticals, certifications = excluded.certifications, updated_at = now()`,
      [
        tenantId,
        p.externalId,
        p.name,
        p.domain,
        p.country ?? null,
        p.type,
        p.tier,
        p.status,
        p.partnerManager,
        p.regions,
        p.verticals,
        p.certifications,
      ],
    );
  }
}
