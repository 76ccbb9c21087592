import { compareRecords, type PreparedRecord } from '../../src/matching/compare';
import { prepareRecord } from '../../src/matching/prepare';
import type { Program } from '../../src/program/program';
import { AccountMatcher } from '../../src/registrations/account-matcher';
import type { ConflictContext } from '../../src/registrations/detect-conflicts';
import type { DealFacts, Hold, PartnerFacts } from '../../src/registrations/types';
import type { Queryable } from '../db/database';

const matchers = new Map<string, { version: string; threshold: number; matcher: AccountMatcher }>();
const MATCHERS_KEPT = 8;

/** The tenant's accounts as a matcher, built once per change of the mirror (a few tenants kept). */
// Companies a registration may name: the tenant's accounts, not its partners' own companies.
export async function accountMatcher(
  db: Queryable,
  tenantId: string,
  threshold: number,
): Promise<AccountMatcher> {
  const [state] = await db.query<{ version: string }>(
    `select count(*)::text || ':' || coalesce(max(synced_at)::text, '') || ':' || coalesce(max(archived_at)::text, '') as version
       from accounts where tenant_id = $1`,
    [tenantId],
  );
  const cached = matchers.get(tenantId);
  if (cached && cached.version === state!.version && cached.threshold === threshold)
    return cached.matcher;
  const accounts = await db.query<{
    id: string;
    name: string;
    domain: string | null;
    country: string | null;
  }>(
    `select crm_id as id, name, domain, country from accounts
      where tenant_id = $1 and archived_at is null and not is_partner
      order by crm_id`,
    [tenantId],
  );
  const matcher = new AccountMatcher(accounts, threshold);
  matchers.delete(tenantId);
  matchers.set(tenantId, { version: state!.version, threshold, matcher });
  if (matchers.size > MATCHERS_KEPT) matchers.delete(matchers.keys().next().value!);
  return matcher;
}

export interface Company {
  name: string;
  domain: string | null;
}

export interface World extends Omit<ConflictContext, 'program' | 'partner'> {
  accountMatch: ReturnType<AccountMatcher['match']>['evidence'];
}

interface HoldRow {
  id: string;
  partner_id: string;
  matched_account_crm_id: string | null;
  company_name: string;
  company_domain: string | null;
  status: 'pending' | 'approved';
  submitted_at: Date;
  window_start: Date | null;
  window_end: Date | null;
}

const toHold = (row: HoldRow): Hold => ({
  registrationId: row.id,
  partnerId: row.partner_id,
  accountId: row.matched_account_crm_id,
  // A pending registration holds its company from submission until it is decided.
  start: (row.window_start ?? row.submitted_at).getTime(),
  end: row.window_end?.getTime() ?? Number.POSITIVE_INFINITY,
  submittedAt: row.submitted_at.getTime(),
});

/**
 * Everything the conflict rules need to judge a registration of `company` by `partner` at `at`,
 * read from the tenant's mirror and registrations; `except` leaves a registration out (its own
 * re-check at decision time).
 */
export async function worldAt(
  db: Queryable,
  tenantId: string,
  program: Program,
  partner: PartnerFacts,
  company: Company,
  at: number,
  except?: string,
): Promise<World> {
  const prepared: PreparedRecord = prepareRecord({
    id: 'registration',
    name: company.name,
    domain: company.domain,
  });
  const match = (await accountMatcher(db, tenantId, program.matching.nameThreshold)).match(
    prepared,
  );
  const atDate = new Date(at);
  const holdRows = await db.query<HoldRow>(
    `select id, partner_id, matched_account_crm_id, company_name, company_domain, status, submitted_at, window_start, window_end
       from registrations
      where tenant_id = $1 and status in ('pending', 'approved') and id is distinct from $2::uuid
        and (window_end is null or window_end > $3)
        and (case when $4::text is null then matched_account_crm_id is null else matched_account_crm_id = $4 end)`,
    [tenantId, except ?? null, atDate, match.accountId],
  );
  const holds: Array<World['holds'][number]> = [];
  for (const row of holdRows) {
    if (match.accountId) {
      holds.push({ hold: toHold(row), sameCompany: { accountId: match.accountId } });
      continue;
    }
    // New logos are matched to each other (DESIGN.md §4).
    const other = prepareRecord({ id: row.id, name: row.company_name, domain: row.company_domain });
    const comparison = compareRecords(prepared, other, {
      nameThreshold: program.matching.nameThreshold,
    });
    if (comparison.match)
      holds.push({ hold: toHold(row), sameCompany: { evidence: comparison.evidence } });
  }
  const deals = match.accountId
    ? (
        await db.query<{
          crm_id: string;
          stage: DealFacts['stage'];
          created: Date | null;
          closed_at: Date | null;
          partner_ids: string[];
        }>(
          `select d.crm_id, d.stage, coalesce(d.crm_created_at, d.synced_at) as created, d.closed_at,
                  coalesce(array_agg(dp.partner_id::text) filter (where dp.partner_id is not null), '{}') as partner_ids
             from deals d left join deal_partners dp on dp.tenant_id = d.tenant_id and dp.deal_id = d.id
            where d.tenant_id = $1 and d.account_crm_id = $2 and d.archived_at is null
            group by d.tenant_id, d.id`,
          [tenantId, match.accountId],
        )
      ).map((row) => ({
        id: row.crm_id,
        accountId: match.accountId!,
        stage: row.stage,
        createdAt: row.created?.getTime() ?? 0,
        closedAt: row.closed_at?.getTime() ?? null,
        partnerIds: row.partner_ids,
      }))
    : [];
  const [active] = await db.query<{ count: string }>(
    `select count(*)::text as count from registrations
      where tenant_id = $1 and partner_id = $2 and status in ('pending', 'approved') and id is distinct from $3::uuid
        and (window_end is null or window_end > $4)`,
    [tenantId, partner.id, except ?? null, atDate],
  );
  return {
    at,
    matchedAccountId: match.accountId,
    accountMatch: match.evidence,
    holds,
    deals,
    activeRegistrationsOfPartner: Number(active!.count),
  };
}
