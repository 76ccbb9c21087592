import { evenShares } from '../crm/attributions';
import { disconnectCrm } from '../crm/connections';
import {
  CrmAuthError,
  type CrmConnection,
  type CrmKind,
  type CrmRegistry,
  type PartnerRole,
} from '../crm/port';
import { recordAudit } from '../db/audit';
import type { Database, Queryable } from '../db/database';

export type AttachFailure =
  | {
      code:
        | 'DEAL.NOT_FOUND'
        | 'PARTNER.NOT_FOUND'
        | 'PARTNER.INACTIVE'
        | 'PARTNER.ALREADY_ON_DEAL'
        | 'ATTACH.IN_PROGRESS';
    }
  | { code: 'SHARES.OVER_100'; role: string; sharePct: string }
  | { code: 'CRM.WRITE_FAILED'; message: string };

export interface Attached {
  dealId: string;
  partnerId: string;
  role: PartnerRole;
  sharePct: number;
  /** What happened, in a sentence: the share given, and why it is not the one asked for. */
  explanation: string;
  /** Whether the CRM has it too: the deal associated with the partner's company under the role's label. */
  crm: { written: true; companyId: string } | { written: false; reason: string };
}

interface Request {
  dealCrmId: string;
  partnerId: string;
  role: PartnerRole;
  sharePct?: string;
}

type Result = { ok: true; value: Attached } | { ok: false; failure: AttachFailure };

/** A claim older than this belongs to an attach that died on its way (its process stopped). */
const CLAIM_TTL_MS = 2 * 60 * 1000;

interface RoleRow {
  partner_id: string;
  share_pct: string;
  origin: 'crm' | 'manual';
}

/** What the checks found: the deal, the partner, and whether the attach goes through the CRM. */
interface Plan {
  dealId: string;
  dealName: string;
  partnerName: string;
  /** The partner's company in the deal's CRM, when the attach writes there. */
  company: string | null;
  /** The partner has a company there but the CRM cannot be written (why). */
  notWritten: string | null;
}

/**
 * Puts a partner on a deal (accepting a suggestion, or by hand). The checks run under a per-deal
 * lock, so two attaches cannot both pass the share check.
 *
 * With a CRM company for the partner, the CRM is the record: the attach claims its place and
 * commits, writes the CRM outside any transaction (a refusal leaves nothing written), then stores
 * the attribution as the CRM's, the role split evenly among the CRM's partners in it, as every
 * sync will split it. Without one, the attribution stays in PartnerLens with the share asked for
 * (by default what is left), in one transaction.
 */
export async function attachPartner(
  db: Database,
  crms: CrmRegistry | undefined,
  tenantId: string,
  request: Request,
  actor: string,
): Promise<Result> {
  const [located] = await db.query<{ crm: CrmKind }>(
    'select crm from deals where tenant_id = $1 and crm_id = $2 and archived_at is null',
    [tenantId, request.dealCrmId],
  );
  if (!located) return failed({ code: 'DEAL.NOT_FOUND' });
  const session = crms ? await openWriter(crms, tenantId, located.crm) : undefined;

  // The checks; an attach by hand is recorded at once, one through the CRM only claims its place.
  const step = await db.transaction(async (tx): Promise<{ done: Result } | { write: Plan }> => {
    const plan = await check(tx, tenantId, request, located.crm, session);
    if (!plan.ok) return { done: plan };
    if (plan.value.company) return { write: plan.value };
    return {
      done: { ok: true, value: await recordManual(tx, tenantId, request, plan.value, actor) },
    };
  });
  if ('done' in step) return step.done;
  const plan = step.write;

  try {
    if (!session!.ok) throw session!.error;
    await session!.connection.attachPartner({
      dealCrmId: request.dealCrmId,
      companyCrmId: plan.company!,
      role: request.role,
    });
  } catch (error) {
    await releaseClaim(db, tenantId, plan.dealId, request);
    // The CRM took the app away (its tokens refused): the connection is let go, as a sync would.
    if (error instanceof CrmAuthError && error.uninstalled)
      await disconnectCrm(db, tenantId, located.crm, error.message);
    return failed({ code: 'CRM.WRITE_FAILED', message: (error as Error).message.slice(0, 300) });
  }
  return {
    ok: true,
    value: await db.transaction((tx) => recordFromCrm(tx, tenantId, request, plan, actor)),
  };
}

const failed = (failure: AttachFailure) => ({ ok: false as const, failure });
const lockDeal = (tx: Queryable, tenantId: string, dealCrmId: string) =>
  tx.query(`select pg_advisory_xact_lock(hashtext('deal-partners:' || $1 || ':' || $2))`, [
    tenantId,
    dealCrmId,
  ]);
const roleRows = (tx: Queryable, tenantId: string, dealId: string, role: string) =>
  tx.query<RoleRow>(
    `select partner_id, share_pct::text, origin from deal_partners
      where tenant_id = $1 and deal_id = $2 and role = $3 order by created_at, partner_id`,
    [tenantId, dealId, role],
  );
const total = (rows: RoleRow[]) => rows.reduce((sum, row) => sum + Number(row.share_pct), 0);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The checks, under the deal's lock; an attach through the CRM claims its place here. */
async function check(
  tx: Queryable,
  tenantId: string,
  request: Request,
  crm: CrmKind,
  session: Awaited<ReturnType<typeof openWriter>> | undefined,
): Promise<{ ok: true; value: Plan } | { ok: false; failure: AttachFailure }> {
  await lockDeal(tx, tenantId, request.dealCrmId);
  const [deal] = await tx.query<{ id: string; name: string }>(
    'select id, name from deals where tenant_id = $1 and crm_id = $2 and archived_at is null',
    [tenantId, request.dealCrmId],
  );
  if (!deal) return failed({ code: 'DEAL.NOT_FOUND' });
  // The partner's company in the CRM the deal lives in.
  const [partner] = await tx.query<{ name: string; status: string; company: string | null }>(
    `select p.name, p.status, (select min(l.external_id) from partner_links l
                        where l.tenant_id = p.tenant_id and l.partner_id = p.id and l.source = $3) as company
       from partners p where p.tenant_id = $1 and p.id = $2`,
    [tenantId, request.partnerId, crm],
  );
  if (!partner) return failed({ code: 'PARTNER.NOT_FOUND' });
  if (partner.status !== 'active') return failed({ code: 'PARTNER.INACTIVE' });
  const inRole = await roleRows(tx, tenantId, deal.id, request.role);
  if (inRole.some((row) => row.partner_id === request.partnerId))
    return failed({ code: 'PARTNER.ALREADY_ON_DEAL' });
  const viaCrm = Boolean(partner.company && session);
  // Via the CRM, its partners of the role share 100 % between them: none may be kept by hand.
  const share = Number(request.sharePct ?? round2(100 - total(inRole)));
  const manualTotal = total(inRole.filter((row) => row.origin === 'manual'));
  if ((viaCrm && manualTotal > 0) || (!viaCrm && (share <= 0 || total(inRole) + share > 100)))
    return failed({
      code: 'SHARES.OVER_100',
      role: request.role,
      sharePct: String(round2(total(inRole))),
    });
  const plan: Plan = {
    dealId: deal.id,
    dealName: deal.name,
    partnerName: partner.name,
    company: viaCrm ? partner.company : null,
    notWritten: partner.company
      ? 'No CRM connection to write to'
      : 'The partner has no company in the CRM',
  };
  if (!viaCrm) return { ok: true, value: plan };
  await tx.query(
    `delete from attach_claims where tenant_id = $1 and deal_id = $2 and claimed_at < $3`,
    [tenantId, deal.id, new Date(Date.now() - CLAIM_TTL_MS)],
  );
  const [claimed] = await tx.query(
    `insert into attach_claims (tenant_id, deal_id, partner_id, role) values ($1, $2, $3, $4)
     on conflict do nothing returning 1`,
    [tenantId, deal.id, request.partnerId, request.role],
  );
  if (!claimed) return failed({ code: 'ATTACH.IN_PROGRESS' });
  return { ok: true, value: plan };
}

const releaseClaim = (db: Queryable, tenantId: string, dealId: string, request: Request) =>
  db.query(
    'delete from attach_claims where tenant_id = $1 and deal_id = $2 and partner_id = $3 and role = $4',
    [tenantId, dealId, request.partnerId, request.role],
  );

/** The CRM has the partner on the deal: stored as the CRM's, the role re-split evenly, as a sync would. */
async function recordFromCrm(
  tx: Queryable,
  tenantId: string,
  request: Request,
  plan: Plan,
  actor: string,
): Promise<Attached> {
  await lockDeal(tx, tenantId, request.dealCrmId);
  const others = (await roleRows(tx, tenantId, plan.dealId, request.role)).filter(
    (row) => row.origin === 'crm' && row.partner_id !== request.partnerId,
  );
  const partners = [...others.map((row) => row.partner_id), request.partnerId];
  const shares = evenShares(partners.length);
  await tx.query(
    `insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin)
     values ($1, $2, $3, $4, $5, 'crm') on conflict do nothing`,
    [tenantId, plan.dealId, request.partnerId, request.role, shares[shares.length - 1]],
  );
  await tx.query(
    `update deal_partners dp set share_pct = t.share_pct
       from unnest($4::uuid[], $5::numeric[]) as t (partner_id, share_pct)
      where dp.tenant_id = $1 and dp.deal_id = $2 and dp.role = $3 and dp.partner_id = t.partner_id`,
    [tenantId, plan.dealId, request.role, partners, shares],
  );
  await releaseClaim(tx, tenantId, plan.dealId, request);
  const given = Number(shares[shares.length - 1]);
  const asked = request.sharePct === undefined ? undefined : Number(request.sharePct);
  const split =
    partners.length === 1
      ? 'it is the only one, so it has all of it'
      : `its ${partners.length} split the role evenly`;
  return finish(tx, tenantId, request, plan, actor, {
    sharePct: given,
    crm: { written: true, companyId: plan.company! },
    why: `: the CRM records ${request.role} partners without shares, and ${split}${asked !== undefined && asked !== given ? ` (the ${asked} % asked for does not apply)` : ''}, as every sync will.`,
  });
}

async function recordManual(
  tx: Queryable,
  tenantId: string,
  request: Request,
  plan: Plan,
  actor: string,
): Promise<Attached> {
  const inRole = await roleRows(tx, tenantId, plan.dealId, request.role);
  const share = request.sharePct ?? String(round2(100 - total(inRole)));
  await tx.query(
    `insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin)
     values ($1, $2, $3, $4, $5, 'manual')`,
    [tenantId, plan.dealId, request.partnerId, request.role, share],
  );
  return finish(tx, tenantId, request, plan, actor, {
    sharePct: Number(share),
    crm: { written: false, reason: plan.notWritten! },
    why: request.sharePct === undefined ? ': what was left of the role.' : '.',
  });
}

async function finish(
  tx: Queryable,
  tenantId: string,
  request: Request,
  plan: Plan,
  actor: string,
  outcome: { sharePct: number; crm: Attached['crm']; why: string },
): Promise<Attached> {
  await recordAudit(tx, {
    tenantId,
    actor,
    action: 'deal.partner_attached',
    subjectType: 'deal',
    subjectId: request.dealCrmId,
    details: {
      partnerId: request.partnerId,
      role: request.role,
      sharePct: String(outcome.sharePct),
      crm: outcome.crm,
    },
  });
  return {
    dealId: request.dealCrmId,
    partnerId: request.partnerId,
    role: request.role,
    sharePct: outcome.sharePct,
    explanation: `${plan.partnerName} is on "${plan.dealName}" as ${request.role} partner with ${outcome.sharePct} %${outcome.why}`,
    crm: outcome.crm,
  };
}

/** The deal's CRM ready to write, or why it is not (reported only if the attach goes to the CRM). */
async function openWriter(
  crms: CrmRegistry,
  tenantId: string,
  crm: CrmKind,
): Promise<{ ok: true; connection: CrmConnection } | { ok: false; error: unknown }> {
  try {
    return { ok: true, connection: await crms.connect(tenantId, crm) };
  } catch (error) {
    return { ok: false, error };
  }
}
