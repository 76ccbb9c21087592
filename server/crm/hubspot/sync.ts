import type { Client } from '@hubspot/api-client';
import type { Logger } from 'pino';
import { z } from 'zod';

import type { Database } from '../../db/database';
import {
  archiveUnseen,
  replaceDealCompanies,
  setDealAccounts,
  upsertAccounts,
  upsertDeals,
} from '../../db/mirror';
import type { CryptoBox } from '../../lib/crypto-box';
import { refreshCrmAttributions } from '../attributions';
import { accountOf, type DealAssociations, toDealCompanyLinks } from './associations';
import { hubspotAccessToken, type HubSpotApp, hubspotClient } from './credentials';
import { COMPANY_PROPERTIES, crmObjectSchema, DEAL_PROPERTIES, toAccount, toDeal } from './records';

export interface SyncDependencies {
  db: Database;
  box: CryptoBox;
  hubspot: HubSpotApp;
  now: () => number;
  logger: Logger;
}

export interface SyncResult {
  companies: number;
  deals: number;
  attributions: number;
  skipped: number;
  archived: number;
}

const PAGE_SIZE = 100;

const associationResult = z.object({
  _from: z.object({ id: z.string() }),
  to: z.array(
    z.object({
      toObjectId: z.union([z.number(), z.string()]).transform(String),
      associationTypes: z.array(
        z.object({
          category: z.string(),
          typeId: z.number(),
          label: z.string().nullable().optional(),
        }),
      ),
    }),
  ),
});

interface Page {
  results: Array<{ id: string; properties: Record<string, string | null>; updatedAt?: Date }>;
  paging?: { next?: { after: string } };
}

async function* pages(fetchPage: (after: string | undefined) => Promise<Page>) {
  let after: string | undefined;
  do {
    const page = await fetchPage(after);
    yield page.results;
    after = page.paging?.next?.after;
  } while (after);
}

/** Mirrors every company and deal of the tenant's portal, and the deal→company associations; safe to repeat. */
export async function syncHubSpotTenant(
  deps: SyncDependencies,
  tenantId: string,
): Promise<SyncResult> {
  const accessToken = await hubspotAccessToken(
    deps.db,
    deps.box,
    deps.hubspot,
    tenantId,
    deps.now(),
  );
  const client = hubspotClient(deps.hubspot, accessToken);
  const result: SyncResult = { companies: 0, deals: 0, attributions: 0, skipped: 0, archived: 0 };
  const [{ started }] = (await deps.db.query<{ started: Date }>('select now() as started')) as [
    { started: Date },
  ];
  const valid = <T extends { id: string }>(objects: T[]) =>
    objects.filter((object) => {
      const ok = crmObjectSchema.safeParse(object).success;
      if (!ok) result.skipped++;
      return ok;
    });

  for await (const companies of pages((after) =>
    client.crm.companies.basicApi.getPage(PAGE_SIZE, after, COMPANY_PROPERTIES),
  )) {
    const accounts = valid(companies).map((company) => toAccount(company, company.updatedAt));
    await upsertAccounts(deps.db, tenantId, accounts);
    result.companies += accounts.length;
  }

  for await (const page of pages((after) =>
    client.crm.deals.basicApi.getPage(PAGE_SIZE, after, DEAL_PROPERTIES),
  )) {
    const deals = valid(page).map((deal) => toDeal(deal, deal.updatedAt));
    const associations = await readDealCompanies(
      client,
      deals.map((deal) => deal.crmId),
    );
    await deps.db.transaction(async (tx) => {
      const dealIds = await upsertDeals(tx, tenantId, deals);
      await replaceDealCompanies(
        tx,
        tenantId,
        [...dealIds.keys()],
        toDealCompanyLinks(associations),
      );
      const accountByDeal = new Map<string, string | null>(deals.map((deal) => [deal.crmId, null]));
      for (const deal of associations) accountByDeal.set(deal.dealCrmId, accountOf(deal));
      await setDealAccounts(tx, tenantId, accountByDeal);
      result.attributions += await refreshCrmAttributions(tx, tenantId, [...dealIds.keys()]);
    });
    result.deals += deals.length;
  }
  // Every record the CRM still has was written during this run; the rest were deleted there.
  result.archived = await archiveUnseen(deps.db, tenantId, started);
  deps.logger.info({ tenantId, ...result }, 'crm-sync finished');
  return result;
}

const batchErrors = z
  .array(z.object({ category: z.string().optional(), message: z.string().optional() }))
  .optional();

async function readDealCompanies(client: Client, dealIds: string[]): Promise<DealAssociations[]> {
  if (dealIds.length === 0) return [];
  const response = await client.crm.associations.v4.batchApi.getPage('deals', 'companies', {
    inputs: dealIds.map((id) => ({ id })),
  });
  // A deal without companies comes back as a per-input "not found" error (207): it has none. Any
  // other error means we do not know its companies, so the page fails and the job retries rather
  // than erase them.
  const errors = batchErrors.parse((response as { errors?: unknown }).errors) ?? [];
  const unknown = errors.filter((error) => error.category !== 'OBJECT_NOT_FOUND');
  if (unknown.length > 0) {
    throw new Error(
      `HubSpot could not read the companies of some deals: ${unknown.map((e) => e.category ?? e.message).join(', ')}`,
    );
  }
  const asked = new Set(dealIds);
  return response.results.flatMap((raw) => {
    const parsed = associationResult.safeParse(raw);
    if (!parsed.success || !asked.has(parsed.data._from.id)) return [];
    return [
      {
        dealCrmId: parsed.data._from.id,
        to: parsed.data.to.map((t) => ({ companyCrmId: t.toObjectId, types: t.associationTypes })),
      },
    ];
  });
}
