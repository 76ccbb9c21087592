import type { Conflict } from '../../src/registrations/types';
import type { Queryable } from '../db/database';

/** The names and dates a conflict's sentence needs, read once for a page of registrations. */
export interface ConflictNames {
  partners: ReadonlyMap<string, string>;
  deals: ReadonlyMap<string, string>;
  accounts: ReadonlyMap<string, string>;
  /** When each holding registration was submitted. */
  registrations: ReadonlyMap<string, Date>;
}

const dateWords = (at: Date | number) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(at);
const iso = (ms: number) => new Date(ms).toISOString();

export async function conflictNames(
  db: Queryable,
  tenantId: string,
  conflicts: readonly Conflict[],
): Promise<ConflictNames> {
  const partnerIds = new Set<string>();
  const dealIds = new Set<string>();
  const accountIds = new Set<string>();
  const registrationIds = new Set<string>();
  for (const c of conflicts) {
    if (c.kind === 'duplicate_submission' || c.kind === 'competing_registration') {
      partnerIds.add(c.holderPartnerId);
      registrationIds.add(c.holderRegistrationId);
      if ('accountId' in c.sameCompany) accountIds.add(c.sameCompany.accountId);
    }
    if ('dealId' in c) dealIds.add(c.dealId);
    if ('accountId' in c) accountIds.add(c.accountId);
    if (c.kind === 'partner_opportunity') c.partnerIds.forEach((id) => partnerIds.add(id));
  }
  // One after the other: `db` may be a transaction's one client.
  const partners = await lookup(
    db,
    'select id::text as id, name from partners where tenant_id = $1 and id = any($2::uuid[])',
    tenantId,
    partnerIds,
  );
  const deals = await lookup(
    db,
    'select crm_id as id, name from deals where tenant_id = $1 and crm_id = any($2::text[])',
    tenantId,
    dealIds,
  );
  const accounts = await lookup(
    db,
    'select crm_id as id, name from accounts where tenant_id = $1 and crm_id = any($2::text[])',
    tenantId,
    accountIds,
  );
  const registrations =
    registrationIds.size === 0
      ? []
      : await db.query<{ id: string; submitted_at: Date }>(
          'select id::text as id, submitted_at from registrations where tenant_id = $1 and id = any($2::uuid[])',
          [tenantId, [...registrationIds]],
        );
  return {
    partners,
    deals,
    accounts,
    registrations: new Map(registrations.map((r) => [r.id, r.submitted_at])),
  };
}

async function lookup(db: Queryable, sql: string, tenantId: string, ids: Set<string>) {
  if (ids.size === 0) return new Map<string, string>();
  const rows = await db.query<{ id: string; name: string }>(sql, [tenantId, [...ids]]);
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * A conflict as the API shows it: its data with ISO 8601 times, the names it refers to, and a
 * sentence that names the partner, the deal and the date (`registrant`: the registering partner).
 */
export function presentConflict(conflict: Conflict, names: ConflictNames, registrant: string) {
  const partner = (id: string) => names.partners.get(id) ?? 'a partner no longer in PartnerLens';
  const deal = (id: string) => (names.deals.has(id) ? `"${names.deals.get(id)}"` : `deal ${id}`);
  const account = (id: string) => names.accounts.get(id) ?? 'this account';
  switch (conflict.kind) {
    case 'duplicate_submission':
    case 'competing_registration': {
      const submitted = names.registrations.get(conflict.holderRegistrationId);
      const holder =
        conflict.kind === 'duplicate_submission' ? registrant : partner(conflict.holderPartnerId);
      const since = submitted ? ` of ${dateWords(submitted)}` : '';
      const until = conflict.holdsUntil
        ? `, until ${dateWords(conflict.holdsUntil)}`
        : ', which awaits its decision';
      return {
        ...conflict,
        holdsUntil: conflict.holdsUntil === null ? null : iso(conflict.holdsUntil),
        holderPartnerName: holder,
        explanation: `${holder} already holds this company with its registration${since}${until}.`,
      };
    }
    case 'direct_opportunity':
      return {
        ...conflict,
        dealCreatedAt: iso(conflict.dealCreatedAt),
        dealName: names.deals.get(conflict.dealId) ?? null,
        explanation: `Deal ${deal(conflict.dealId)} on ${account(conflict.accountId)} has been open since ${dateWords(conflict.dealCreatedAt)} with no partner on it.`,
      };
    case 'partner_opportunity':
      return {
        ...conflict,
        dealName: names.deals.get(conflict.dealId) ?? null,
        partnerNames: conflict.partnerIds.map(partner),
        explanation: `Deal ${deal(conflict.dealId)} on ${account(conflict.accountId)} is open with ${conflict.partnerIds.map(partner).join(' and ')} on it.`,
      };
    case 'existing_customer':
      return {
        ...conflict,
        closedAt: iso(conflict.closedAt),
        dealName: names.deals.get(conflict.dealId) ?? null,
        explanation: `${account(conflict.accountId)} is already a customer: deal ${deal(conflict.dealId)} was won on ${dateWords(conflict.closedAt)}.`,
      };
    case 'partner_ineligible':
      return {
        ...conflict,
        explanation:
          conflict.reason === 'inactive'
            ? `${registrant} is not an active partner.`
            : `${registrant} holds ${conflict.activeRegistrations} active registrations, the cap of its tier (${conflict.cap}).`,
      };
  }
}

export type ConflictView = ReturnType<typeof presentConflict>;

const BLOCKED_BY: Record<Conflict['kind'], string> = {
  duplicate_submission: 'the partner already holds a registration of this company',
  competing_registration: 'another partner holds a registration of this company',
  direct_opportunity: 'the account has an open deal with no partner on it',
  partner_opportunity: 'the account has an open deal with another partner on it',
  existing_customer: 'the account is already a customer',
  partner_ineligible: "the partner cannot register (not active, or at its tier's cap)",
};

/** What blocks a registration, in words (its conflicts carry the names and dates). */
export const blockingWords = (conflicts: readonly Conflict[]) =>
  conflicts
    .filter((c) => c.severity === 'block')
    .map((c) => BLOCKED_BY[c.kind])
    .join('; ');

/** Why the rules rejected a registration. */
export const rejectionReasonOf = (conflicts: readonly Conflict[]) =>
  `Rejected by the program's rules: ${blockingWords(conflicts)}.`;
