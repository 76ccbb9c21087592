import type { SourceFields } from '../../src/reconciliation/survivorship';
import type { Queryable } from '../db/database';

/** A partner record in one source, keyed "source:external id". */
export interface SourceRecord extends SourceFields {
  externalId: string;
}

export const recordKey = (source: string, externalId: string) => `${source}:${externalId}`;

interface Row {
  source: string;
  external_id: string;
  name: string;
  domain: string | null;
  country: string | null;
  type: string | null;
  tier: string | null;
  status: string | null;
  partner_manager: string | null;
  regions: string[] | null;
  verticals: string[] | null;
  certifications: string[] | null;
  updated_at: Date | null;
}

/** Every partner record of the tenant: the program's, and each connected CRM's partner companies. */
export async function loadSourceRecords(db: Queryable, tenantId: string): Promise<SourceRecord[]> {
  const rows = await db.query<Row>(
    `select 'program' as source, external_id, name, domain, country, type, tier, status, partner_manager,
            regions, verticals, certifications, updated_at
       from program_partners where tenant_id = $1
     union all
     select crm, crm_id, name, domain, country, partner_type, null, null, null, null, null, null,
            coalesce(crm_updated_at, synced_at)
       from accounts
      where tenant_id = $1 and archived_at is null and is_partner
      order by 1, 2`,
    [tenantId],
  );
  return rows.map((row) => ({
    key: recordKey(row.source, row.external_id),
    source: row.source,
    externalId: row.external_id,
    updatedAt: (row.updated_at ?? new Date(0)).toISOString(),
    name: row.name,
    domain: row.domain,
    country: row.country,
    type: row.type,
    tier: row.tier,
    status: row.status,
    partnerManager: row.partner_manager,
    regions: row.regions ?? undefined,
    verticals: row.verticals ?? undefined,
    certifications: row.certifications ?? undefined,
  }));
}

/** record key → partner id, as the last reconcile (or an import) left them. */
export async function loadLinks(db: Queryable, tenantId: string): Promise<Map<string, string>> {
  const rows = await db.query<{ source: string; external_id: string; partner_id: string }>(
    'select source, external_id, partner_id from partner_links where tenant_id = $1',
    [tenantId],
  );
  return new Map(rows.map((row) => [recordKey(row.source, row.external_id), row.partner_id]));
}

export async function loadDecisions(db: Queryable, tenantId: string) {
  const rows = await db.query<{
    left_record: string;
    right_record: string;
    decision: 'merge' | 'keep_apart';
  }>('select left_record, right_record, decision from reconcile_decisions where tenant_id = $1', [
    tenantId,
  ]);
  const pairs = (kind: string) =>
    rows.filter((r) => r.decision === kind).map((r) => [r.left_record, r.right_record] as const);
  return { mergeDecisions: pairs('merge'), keepApartDecisions: pairs('keep_apart') };
}
