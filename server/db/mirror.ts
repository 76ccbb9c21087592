import type { AccountRecord, CrmKind, DealPartnerLink, DealRecord } from '../crm/port';
import type { Queryable } from './database';

// Set-based upserts (one statement per page, arrays unnested) so a sync costs a few round trips per 100 records.
// A record older than the mirror's (a full sync's page read before a webhook's re-read was written)
// leaves the newer one, and does not bring back one archived since at the same CRM time: a record
// restored in the CRM comes with a newer time.

export async function upsertAccounts(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  accounts: AccountRecord[],
): Promise<void> {
  if (accounts.length === 0) return;
  await db.query(
    `insert into accounts (tenant_id, crm, crm_id, name, domain, country, industry, company_type, is_partner, partner_type, crm_updated_at, synced_at)
     select $1, $2, t.* , now()
       from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::text[], $11::timestamptz[])
         as t (crm_id, name, domain, country, industry, company_type, is_partner, partner_type, crm_updated_at)
     on conflict (tenant_id, crm_id) do update set
       crm = excluded.crm, name = excluded.name, domain = excluded.domain, country = excluded.country, industry = excluded.industry,
       company_type = excluded.company_type, is_partner = excluded.is_partner, partner_type = excluded.partner_type,
       crm_updated_at = excluded.crm_updated_at, synced_at = excluded.synced_at, archived_at = null
     where accounts.crm_updated_at is null or excluded.crm_updated_at is null
        or excluded.crm_updated_at > accounts.crm_updated_at
        or (excluded.crm_updated_at = accounts.crm_updated_at and accounts.archived_at is null)`,
    [
      tenantId,
      crm,
      accounts.map((a) => a.crmId),
      accounts.map((a) => a.name),
      accounts.map((a) => a.domain),
      accounts.map((a) => a.country),
      accounts.map((a) => a.industry),
      accounts.map((a) => a.companyType),
      accounts.map((a) => a.isPartner),
      accounts.map((a) => a.partnerType),
      accounts.map((a) => a.updatedAt?.toISOString() ?? null),
    ],
  );
}

/** Upserts the deals and answers crm id → internal id. */
export async function upsertDeals(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  deals: DealRecord[],
): Promise<Map<string, string>> {
  if (deals.length === 0) return new Map();
  const rows = await db.query<{ id: string; crm_id: string }>(
    `insert into deals (tenant_id, crm, crm_id, name, amount, currency, stage, crm_stage, pipeline, crm_created_at, closed_at, crm_updated_at, synced_at)
     select $1, $2, t.*, now()
       from unnest($3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])
         as t (crm_id, name, amount, currency, stage, crm_stage, pipeline, crm_created_at, closed_at, crm_updated_at)
     on conflict (tenant_id, crm_id) do update set
       crm = excluded.crm, name = excluded.name, amount = excluded.amount, currency = excluded.currency, stage = excluded.stage,
       crm_stage = excluded.crm_stage, pipeline = excluded.pipeline, crm_created_at = excluded.crm_created_at,
       closed_at = excluded.closed_at, crm_updated_at = excluded.crm_updated_at, synced_at = excluded.synced_at,
       archived_at = null
     where deals.crm_updated_at is null or excluded.crm_updated_at is null
        or excluded.crm_updated_at > deals.crm_updated_at
        or (excluded.crm_updated_at = deals.crm_updated_at and deals.archived_at is null)
     returning id, crm_id`,
    [
      tenantId,
      crm,
      deals.map((d) => d.crmId),
      deals.map((d) => d.name),
      deals.map((d) => d.amount),
      deals.map((d) => d.currency),
      deals.map((d) => d.stage),
      deals.map((d) => d.crmStage),
      deals.map((d) => d.pipeline),
      deals.map((d) => d.createdAt?.toISOString() ?? null),
      deals.map((d) => d.closedAt?.toISOString() ?? null),
      deals.map((d) => d.updatedAt?.toISOString() ?? null),
    ],
  );
  return new Map(rows.map((row) => [row.crm_id, row.id]));
}

/** Replaces the mirrored partner links of these deals with what the CRM says now. */
export async function replaceDealCompanies(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  deals: ReadonlyArray<{ dealCrmId: string; links: readonly DealPartnerLink[] }>,
): Promise<void> {
  await db.query(
    'delete from deal_companies where tenant_id = $1 and deal_crm_id = any($2::text[])',
    [tenantId, deals.map((d) => d.dealCrmId)],
  );
  const links = deals.flatMap((d) => d.links.map((link) => ({ dealCrmId: d.dealCrmId, ...link })));
  if (links.length === 0) return;
  await db.query(
    `insert into deal_companies (tenant_id, crm, deal_crm_id, company_crm_id, label, is_primary)
     select $1::uuid, $2, t.deal_crm_id, t.company_crm_id, t.label, bool_or(t.is_primary)
       from unnest($3::text[], $4::text[], $5::text[], $6::boolean[]) as t (deal_crm_id, company_crm_id, label, is_primary)
      group by t.deal_crm_id, t.company_crm_id, t.label`,
    [
      tenantId,
      crm,
      links.map((l) => l.dealCrmId),
      links.map((l) => l.companyCrmId),
      links.map((l) => l.label),
      links.map((l) => l.primary),
    ],
  );
}

export async function setDealAccounts(
  db: Queryable,
  tenantId: string,
  accountByDeal: Map<string, string | null>,
): Promise<void> {
  if (accountByDeal.size === 0) return;
  await db.query(
    `update deals d set account_crm_id = t.account_crm_id
       from unnest($2::text[], $3::text[]) as t (crm_id, account_crm_id)
      where d.tenant_id = $1 and d.crm_id = t.crm_id`,
    [tenantId, [...accountByDeal.keys()], [...accountByDeal.values()]],
  );
}

export interface DealPartnerRow {
  dealId: string;
  partnerId: string;
  role: string;
  sharePct: string;
}

/** Replaces the CRM-derived attributions of these deals; attributions made in PartnerLens stay. */
export async function replaceCrmDealPartners(
  db: Queryable,
  tenantId: string,
  dealIds: string[],
  rows: DealPartnerRow[],
): Promise<void> {
  await db.query(
    `delete from deal_partners where tenant_id = $1 and deal_id = any($2::uuid[]) and origin = 'crm'`,
    [tenantId, dealIds],
  );
  if (rows.length === 0) return;
  await db.query(
    `insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin)
     select $1, t.deal_id, t.partner_id, t.role, t.share_pct, 'crm'
       from unnest($2::uuid[], $3::uuid[], $4::text[], $5::numeric[]) as t (deal_id, partner_id, role, share_pct)
     on conflict (tenant_id, deal_id, partner_id, role) do nothing`,
    [
      tenantId,
      rows.map((r) => r.dealId),
      rows.map((r) => r.partnerId),
      rows.map((r) => r.role),
      rows.map((r) => r.sharePct),
    ],
  );
}

/** Marks the CRM's accounts and deals that a complete sync started at `since` did not see as deleted there. */
export async function archiveUnseen(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  since: Date,
): Promise<number> {
  let archived = 0;
  for (const table of ['accounts', 'deals'] as const) {
    const rows = await db.query(
      `update ${table} set archived_at = now()
        where tenant_id = $1 and crm = $2 and synced_at < $3 and archived_at is null returning 1`,
      [tenantId, crm, since],
    );
    archived += rows.length;
  }
  return archived;
}

/** Marks records the CRM says it deleted (a change stream, a re-read that found none). */
export async function archiveRecords(
  db: Queryable,
  tenantId: string,
  crm: CrmKind,
  ids: { accounts: readonly string[]; deals: readonly string[] },
): Promise<number> {
  let archived = 0;
  for (const [table, list] of [
    ['accounts', ids.accounts],
    ['deals', ids.deals],
  ] as const) {
    if (list.length === 0) continue;
    const rows = await db.query(
      `update ${table} set archived_at = now()
        where tenant_id = $1 and crm = $2 and crm_id = any($3::text[]) and archived_at is null returning 1`,
      [tenantId, crm, list],
    );
    archived += rows.length;
  }
  return archived;
}
