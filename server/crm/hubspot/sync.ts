import type { Client } from '@hubspot/api-client';
import { z } from 'zod';

import { emptyPage, type MirrorPage } from '../port';
import { type DealAssociations, toDealLinks } from './associations';
import { withRetries } from './rate-limiter';
import { COMPANY_PROPERTIES, crmObjectSchema, DEAL_PROPERTIES, toAccount, toDeal } from './records';

const PAGE_SIZE = 100;
/** HubSpot's batch read and association read take at most 100 ids a call. */
const BATCH = 100;

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

interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  updatedAt?: Date;
}

interface Page {
  results: HubSpotObject[];
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

/** Objects that have HubSpot's shape; the others are counted on the page as skipped. */
function valid<T extends { id: string }>(page: MirrorPage, objects: T[]): T[] {
  return objects.filter((object) => {
    const ok = crmObjectSchema.safeParse(object).success;
    if (!ok) page.skipped++;
    return ok;
  });
}

/**
 * Every company and deal of the portal with the deals' associations, a page of 100 at a time.
 * HubSpot offers no cheap "changed since" for associations: every read is a full one (webhooks
 * bring the changes in between), so there is no cursor.
 */
export async function* readPortal(
  client: Client,
): AsyncGenerator<MirrorPage, { cursor: string | undefined }> {
  for await (const companies of pages((after) =>
    withRetries(client, (options) =>
      client.crm.companies.basicApi.getPage(
        PAGE_SIZE,
        after,
        COMPANY_PROPERTIES,
        undefined,
        undefined,
        undefined,
        options,
      ),
    ),
  )) {
    const page = emptyPage();
    page.accounts = valid(page, companies).map((c) => toAccount(c, c.updatedAt));
    yield page;
  }
  for await (const deals of pages((after) =>
    withRetries(client, (options) =>
      client.crm.deals.basicApi.getPage(
        PAGE_SIZE,
        after,
        DEAL_PROPERTIES,
        undefined,
        undefined,
        undefined,
        options,
      ),
    ),
  )) {
    const page = emptyPage();
    page.deals = valid(page, deals).map((d) => toDeal(d, d.updatedAt));
    page.dealLinks = await readDealLinks(
      client,
      page.deals.map((d) => d.crmId),
    );
    yield page;
  }
  return { cursor: undefined };
}

/** These records as HubSpot has them now (batch reads of 100); those it no longer has are deleted. */
export async function rereadRecords(
  client: Client,
  ids: { accounts: string[]; deals: string[] },
): Promise<MirrorPage> {
  const page = emptyPage();
  for (const chunk of chunks(ids.accounts)) {
    const read = await withRetries(client, (options) =>
      client.crm.companies.batchApi.read(
        {
          inputs: chunk.map((id) => ({ id })),
          properties: COMPANY_PROPERTIES,
          propertiesWithHistory: [],
        },
        undefined,
        options,
      ),
    );
    const found = valid(page, read.results as HubSpotObject[]);
    page.accounts.push(...found.map((c) => toAccount(c, c.updatedAt)));
    page.deletedAccounts.push(...missing(chunk, found));
  }
  for (const chunk of chunks(ids.deals)) {
    const read = await withRetries(client, (options) =>
      client.crm.deals.batchApi.read(
        {
          inputs: chunk.map((id) => ({ id })),
          properties: DEAL_PROPERTIES,
          propertiesWithHistory: [],
        },
        undefined,
        options,
      ),
    );
    const found = valid(page, read.results as HubSpotObject[]);
    const deals = found.map((d) => toDeal(d, d.updatedAt));
    page.deals.push(...deals);
    page.deletedDeals.push(...missing(chunk, found));
    page.dealLinks.push(
      ...(await readDealLinks(
        client,
        deals.map((d) => d.crmId),
      )),
    );
  }
  return page;
}

const chunks = (ids: string[]) =>
  Array.from({ length: Math.ceil(ids.length / BATCH) }, (_, i) =>
    ids.slice(i * BATCH, (i + 1) * BATCH),
  );
const missing = (asked: string[], found: Array<{ id: string }>) => {
  const have = new Set(found.map((object) => object.id));
  return asked.filter((id) => !have.has(id));
};

const batchErrors = z
  .array(z.object({ category: z.string().optional(), message: z.string().optional() }))
  .optional();

/** Each deal's companies with their association labels; a deal with none comes back with none. */
async function readDealLinks(client: Client, dealIds: string[]) {
  if (dealIds.length === 0) return [];
  const response = await withRetries(client, (options) =>
    client.crm.associations.v4.batchApi.getPage(
      'deals',
      'companies',
      { inputs: dealIds.map((id) => ({ id })) },
      options,
    ),
  );
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
  const byDeal = new Map<string, DealAssociations>(
    dealIds.map((id) => [id, { dealCrmId: id, to: [] }]),
  );
  for (const raw of response.results) {
    const parsed = associationResult.safeParse(raw);
    if (!parsed.success || !byDeal.has(parsed.data._from.id)) continue;
    byDeal.set(parsed.data._from.id, {
      dealCrmId: parsed.data._from.id,
      to: parsed.data.to.map((t) => ({ companyCrmId: t.toObjectId, types: t.associationTypes })),
    });
  }
  return [...byDeal.values()].map(toDealLinks);
}
