import { randomUUID } from 'node:crypto';

import type { AccountRecord, DealRecord } from '../../server/crm/hubspot/records';
import type { Queryable } from '../../server/db/database';
import {
  replaceCrmDealPartners,
  setDealAccounts,
  upsertAccounts,
  upsertDeals,
} from '../../server/db/mirror';
import { type PartnerInput, upsertPartners } from '../../server/db/partners';

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
  await upsertAccounts(db, tenantId, [account]);
  const ids = await upsertDeals(db, tenantId, [deal]);
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
