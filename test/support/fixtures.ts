import { randomUUID } from 'node:crypto';

import type { AccountRecord, DealRecord } from '../../server/crm/port';
import type { Queryable } from '../../server/db/database';
import {
  replaceCrmDealPartners,
  setDealAccounts,
  upsertAccounts,
  upsertDeals,
} from '../../server/db/mirror';

export const createPartnerInput = (overrides: Partial<PartnerInput> = {}): PartnerInput => ({
  id: randomUUID(),
  name: 'Northwind Cloud Partners',
  domain: 'northwindcloud.com',
  type: 'reseller',
  tier: 'gold',
  status: 'active',
  partnerManager: 'Maya Chen',
  regions: ['NA'],
  verticals: ['COMPUTER_SOFTWARE'],
  certifications: [],
  ...overrides,
});

export const createAccountRecord = (overrides: Partial<AccountRecord> = {}): AccountRecord => ({
  crmId: '20000000001',
  name: 'Acme Corp',
  domain: 'acme.com',
  country: 'United States',
  industry: 'COMPUTER_SOFTWARE',
  companyType: 'PROSPECT',
  isPartner: false,
  partnerType: null,
  updatedAt: new Date('2026-10-01T00:00:00Z'),
  ...overrides,
});

export const createDealRecord = (overrides: Partial<DealRecord> = {}): DealRecord => ({
  crmId: '30000000001',
  name: 'Acme Corp - Platform',
  amount: '12500.00',
  currency: 'USD',
  stage: 'open',
  crmStage: 'qualifiedtobuy',
  pipeline: 'default',
  createdAt: new Date('2026-09-01T00:00:00Z'),
  closedAt: null,
  updatedAt: new Date('2026-10-01T00:00:00Z'),
  ...overrides,
});

/** A deal with its account and one partner attached, written through the mirror's own functions. */
export async function seedDealWithPartner(
  db: Queryable,
  tenantId: string,
  options: { partner?: Partial<PartnerInput>; deal?: Partial<DealRecord>; role?: string } = {},
) {
  const partner = createPartnerInput(options.partner);
  const account = createAccountRecord();
  const deal = createDealRecord(options.deal);
  await upsertPartners(db, tenantId, [partner]);
  await upsertAccounts(db, tenantId, 'hubspot', [account]);
  const ids = await upsertDeals(db, tenantId, 'hubspot', [deal]);
  await setDealAccounts(db, tenantId, new Map([[deal.crmId, account.crmId]]));
  await replaceCrmDealPartners(
    db,
    tenantId,
    [...ids.values()],
    [
      {
        dealId: ids.get(deal.crmId)!,
        partnerId: partner.id,
        role: options.role ?? 'sourced',
        sharePct: '100.00',
      },
    ],
  );
  return { partner, account, deal };
}

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

/** Writes golden partners and their HubSpot links directly, as a finished reconcile would have. */
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
