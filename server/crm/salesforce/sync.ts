import { z } from 'zod';

import { emptyPage, type MirrorPage } from '../port';
import { BULK_THRESHOLD, bulkQuery } from './bulk';
import type { OrgApi } from './limits';
import {
  ACCOUNT_FIELDS,
  accountRow,
  OPPORTUNITY_FIELDS,
  opportunityRow,
  OPTIONAL_ACCOUNT_FIELDS,
  OPTIONAL_OPPORTUNITY_FIELDS,
  PARTNER_LINK_FIELDS,
  type PartnerAccountTypes,
  type PartnerLinkRow,
  partnerLinkRow,
  toAccount,
  toDeal,
  toLink,
} from './records';

/** Rows per page written to the mirror: one REST query batch. */
const PAGE = 2_000;
/** Ids per `Id IN (…)`: 200 18-character ids keep a query far inside SOQL's 100,000 characters. */
const IN_CHUNK = 200;
/**
 * How far back an incremental read looks before its cursor. SystemModstamp is stamped when a
 * transaction starts and seen when it commits, so a long transaction can commit a record stamped
 * before a record already read; re-reading a minute costs nothing (upserts are idempotent).
 */
const OVERLAP_MS = 60_000;

type ObjectName = 'Account' | 'Opportunity' | 'OpportunityPartner';

const cursorSchema = z.object({
  v: z.literal(1),
  Account: z.iso.datetime(),
  Opportunity: z.iso.datetime(),
  OpportunityPartner: z.iso.datetime(),
});
type Cursor = Record<ObjectName, Date>;

function parseCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = cursorSchema.parse(JSON.parse(cursor));
    return {
      Account: new Date(parsed.Account),
      Opportunity: new Date(parsed.Opportunity),
      OpportunityPartner: new Date(parsed.OpportunityPartner),
    };
  } catch {
    return undefined;
  }
}

const formatCursor = (cursor: Cursor) =>
  JSON.stringify({
    v: 1,
    Account: cursor.Account.toISOString(),
    Opportunity: cursor.Opportunity.toISOString(),
    OpportunityPartner: cursor.OpportunityPartner.toISOString(),
  });

/** A SOQL datetime literal (whole seconds, UTC) a little before `at`. */
const since = (at: Date) =>
  new Date(Math.floor((at.getTime() - OVERLAP_MS) / 1000) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

const quoteIds = (ids: readonly string[]) =>
  ids.map((value) => `'${value.replace(/[^a-zA-Z0-9]/g, '')}'`).join(', ');

export interface ReadOptions {
  partnerTypes: PartnerAccountTypes;
  /** Above this many rows of an object a full read goes through Bulk API 2.0. */
  bulkThreshold?: number;
}

/** Which of the optional fields the org has (describe, once per connection). */
export class OrgFields {
  private fields: { account: string[]; opportunity: string[] } | undefined;

  constructor(private readonly api: OrgApi) {}

  async get() {
    if (!this.fields) {
      const [account, opportunity] = await Promise.all([
        this.api.call(() => this.api.conn.sobject('Account').describe()),
        this.api.call(() => this.api.conn.sobject('Opportunity').describe()),
      ]);
      const has = (describe: { fields: Array<{ name: string }> }, names: string[]) =>
        names.filter((name) => describe.fields.some((f) => f.name === name));
      this.fields = {
        account: [...ACCOUNT_FIELDS, ...has(account, OPTIONAL_ACCOUNT_FIELDS)],
        opportunity: [...OPPORTUNITY_FIELDS, ...has(opportunity, OPTIONAL_OPPORTUNITY_FIELDS)],
      };
    }
    return this.fields;
  }
}

/** SOQL results a batch (2,000) at a time, following nextRecordsUrl. */
async function* restPages(
  api: OrgApi,
  soql: string,
  all = false,
): AsyncGenerator<Record<string, unknown>[]> {
  let result = await api.call(() =>
    api.conn.query(soql, { autoFetch: false, ...(all ? { scanAll: true } : {}) }),
  );
  for (;;) {
    yield result.records as Record<string, unknown>[];
    if (result.done || !result.nextRecordsUrl) return;
    const next = result.nextRecordsUrl;
    result = await api.call(() => api.conn.queryMore(next));
  }
}

/** A whole object: through Bulk API 2.0 when it is large, else REST; pages of at most 2,000. */
async function* fullPages(
  api: OrgApi,
  object: ObjectName,
  fields: string[],
  threshold: number,
): AsyncGenerator<Record<string, unknown>[]> {
  const soql = `SELECT ${fields.join(', ')} FROM ${object}`;
  const count = await api.call(() => api.conn.query(`SELECT COUNT() FROM ${object}`));
  if (count.totalSize <= threshold) return yield* restPages(api, soql);
  for await (const rows of bulkQuery(api, soql))
    for (let i = 0; i < rows.length; i += PAGE) yield rows.slice(i, i + PAGE);
}

/** Parses rows with the schema; the others are counted on the page as skipped. */
function parseRows<T>(page: MirrorPage, schema: z.ZodType<T>, rows: unknown[]): T[] {
  const parsed: T[] = [];
  for (const row of rows) {
    const result = schema.safeParse(row);
    if (result.success) parsed.push(result.data);
    else page.skipped++;
  }
  return parsed;
}

const latest = (at: Date, rows: Array<{ SystemModstamp: Date | null }>) =>
  rows.reduce(
    (max, row) => (row.SystemModstamp && row.SystemModstamp > max ? row.SystemModstamp : max),
    at,
  );

function groupLinks(rows: PartnerLinkRow[]) {
  const byOpportunity = new Map<string, PartnerLinkRow[]>();
  for (const row of rows) {
    if (row.IsDeleted) continue;
    const list = byOpportunity.get(row.OpportunityId) ?? [];
    list.push(row);
    byOpportunity.set(row.OpportunityId, list);
  }
  return byOpportunity;
}

/**
 * Every account, opportunity and partner link of the org (no cursor), or what changed since the
 * cursor, a page at a time. The cursor is each object's latest SystemModstamp seen.
 */
export async function* readOrg(
  api: OrgApi,
  fields: OrgFields,
  cursor: string | undefined,
  options: ReadOptions,
): AsyncGenerator<MirrorPage, { cursor: string | undefined }> {
  const { account, opportunity } = await fields.get();
  const from = parseCursor(cursor);
  const seen: Cursor = from ?? {
    Account: new Date(0),
    Opportunity: new Date(0),
    OpportunityPartner: new Date(0),
  };
  if (!from) {
    const threshold = options.bulkThreshold ?? BULK_THRESHOLD;
    const links: PartnerLinkRow[] = [];
    let skippedLinks = 0;
    for await (const rows of fullPages(api, 'OpportunityPartner', PARTNER_LINK_FIELDS, threshold)) {
      const page = emptyPage();
      links.push(...parseRows(page, partnerLinkRow, rows));
      skippedLinks += page.skipped;
    }
    seen.OpportunityPartner = latest(seen.OpportunityPartner, links);
    const byOpportunity = groupLinks(links);
    for await (const rows of fullPages(api, 'Account', account, threshold)) {
      const page = emptyPage();
      const parsed = parseRows(page, accountRow, rows);
      page.accounts = parsed.map((row) => toAccount(row, options.partnerTypes));
      seen.Account = latest(seen.Account, parsed);
      yield page;
    }
    for await (const rows of fullPages(api, 'Opportunity', opportunity, threshold)) {
      const page = emptyPage();
      page.skipped += skippedLinks;
      skippedLinks = 0;
      const parsed = parseRows(page, opportunityRow, rows);
      page.deals = parsed.map(toDeal);
      page.dealLinks = parsed.map((row) => ({
        dealCrmId: row.Id,
        accountCrmId: row.AccountId,
        links: (byOpportunity.get(row.Id) ?? []).map(toLink),
      }));
      seen.Opportunity = latest(seen.Opportunity, parsed);
      yield page;
    }
    return { cursor: formatCursor(seen) };
  }

  // Changed (and deleted) accounts.
  for await (const rows of restPages(
    api,
    `SELECT ${account.join(', ')}, IsDeleted FROM Account WHERE SystemModstamp >= ${since(from.Account)} ORDER BY SystemModstamp`,
    true,
  )) {
    const page = emptyPage();
    const parsed = parseRows(page, accountRow, rows);
    page.accounts = parsed
      .filter((r) => !r.IsDeleted)
      .map((r) => toAccount(r, options.partnerTypes));
    page.deletedAccounts = parsed.filter((r) => r.IsDeleted).map((r) => r.Id);
    seen.Account = latest(seen.Account, parsed);
    yield page;
  }
  // Opportunities whose partner links changed: Salesforce sends no change event for those.
  const relinked = new Set<string>();
  for await (const rows of restPages(
    api,
    `SELECT ${PARTNER_LINK_FIELDS.join(', ')}, IsDeleted FROM OpportunityPartner WHERE SystemModstamp >= ${since(from.OpportunityPartner)}`,
    true,
  )) {
    const page = emptyPage();
    const parsed = parseRows(page, partnerLinkRow, rows);
    for (const row of parsed) relinked.add(row.OpportunityId);
    seen.OpportunityPartner = latest(seen.OpportunityPartner, parsed);
    if (page.skipped > 0) yield page;
  }
  const changed: string[] = [];
  for await (const rows of restPages(
    api,
    `SELECT ${opportunity.join(', ')}, IsDeleted FROM Opportunity WHERE SystemModstamp >= ${since(from.Opportunity)} ORDER BY SystemModstamp`,
    true,
  )) {
    const page = emptyPage();
    const parsed = parseRows(page, opportunityRow, rows);
    seen.Opportunity = latest(seen.Opportunity, parsed);
    for (const row of parsed) relinked.delete(row.Id);
    page.deletedDeals = parsed.filter((r) => r.IsDeleted).map((r) => r.Id);
    const live = parsed.filter((r) => !r.IsDeleted);
    Object.assign(page, await withLinks(api, page, live));
    changed.push(...live.map((r) => r.Id));
    yield page;
  }
  // The rest of the relinked opportunities, read whole (their account, every link).
  const rest = [...relinked];
  for (let i = 0; i < rest.length; i += PAGE)
    yield await rereadDeals(api, opportunity, rest.slice(i, i + PAGE));
  return { cursor: formatCursor(seen) };
}

/** The page's opportunities as deals, each with its account and every partner link it has now. */
async function withLinks(
  api: OrgApi,
  page: MirrorPage,
  rows: Array<z.infer<typeof opportunityRow>>,
): Promise<Pick<MirrorPage, 'deals' | 'dealLinks'>> {
  const links: PartnerLinkRow[] = [];
  for (let i = 0; i < rows.length; i += IN_CHUNK) {
    const ids = rows.slice(i, i + IN_CHUNK).map((r) => r.Id);
    for await (const batch of restPages(
      api,
      `SELECT ${PARTNER_LINK_FIELDS.join(', ')} FROM OpportunityPartner WHERE OpportunityId IN (${quoteIds(ids)})`,
    ))
      links.push(...parseRows(page, partnerLinkRow, batch));
  }
  const byOpportunity = groupLinks(links);
  return {
    deals: [...page.deals, ...rows.map(toDeal)],
    dealLinks: [
      ...page.dealLinks,
      ...rows.map((row) => ({
        dealCrmId: row.Id,
        accountCrmId: row.AccountId,
        links: (byOpportunity.get(row.Id) ?? []).map(toLink),
      })),
    ],
  };
}

/** Ids of rows Salesforce still has, whether or not the rest of the row is usable (not a deletion). */
const liveIds = (rows: Record<string, unknown>[]) =>
  rows
    .filter((row) => row.IsDeleted !== true && row.IsDeleted !== 'true')
    .map((row) => String(row.Id));

/** These opportunities as Salesforce has them now; those it does not (or has deleted): deleted. */
async function rereadDeals(api: OrgApi, fields: string[], ids: string[]): Promise<MirrorPage> {
  const page = emptyPage();
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    const parsed: Array<z.infer<typeof opportunityRow>> = [];
    const found = new Set<string>();
    for await (const rows of restPages(
      api,
      `SELECT ${fields.join(', ')}, IsDeleted FROM Opportunity WHERE Id IN (${quoteIds(chunk)})`,
      true,
    )) {
      for (const id of liveIds(rows)) found.add(id);
      parsed.push(...parseRows(page, opportunityRow, rows));
    }
    const live = parsed.filter((r) => !r.IsDeleted);
    page.deletedDeals.push(...chunk.filter((id) => !found.has(id)));
    Object.assign(page, await withLinks(api, page, live));
  }
  return page;
}

/** Re-reads what a change event named: current values, and deletions, never the event's own. */
export async function rereadRecords(
  api: OrgApi,
  fields: OrgFields,
  ids: { accounts: string[]; deals: string[] },
  partnerTypes: PartnerAccountTypes,
): Promise<MirrorPage> {
  const { account, opportunity } = await fields.get();
  const valid = (list: string[]) => list.filter((value) => /^[a-zA-Z0-9]{15,18}$/.test(value));
  const accounts = valid(ids.accounts);
  const page = await rereadDeals(api, opportunity, valid(ids.deals));
  page.skipped +=
    ids.accounts.length - accounts.length + ids.deals.length - valid(ids.deals).length;
  for (let i = 0; i < accounts.length; i += IN_CHUNK) {
    const chunk = accounts.slice(i, i + IN_CHUNK);
    const parsed: Array<z.infer<typeof accountRow>> = [];
    const found = new Set<string>();
    for await (const rows of restPages(
      api,
      `SELECT ${account.join(', ')}, IsDeleted FROM Account WHERE Id IN (${quoteIds(chunk)})`,
      true,
    )) {
      for (const id of liveIds(rows)) found.add(id);
      parsed.push(...parseRows(page, accountRow, rows));
    }
    const live = parsed.filter((r) => !r.IsDeleted);
    page.accounts.push(...live.map((r) => toAccount(r, partnerTypes)));
    page.deletedAccounts.push(...chunk.filter((id) => !found.has(id)));
  }
  return page;
}
