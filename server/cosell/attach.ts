import { evenShares } from '../crm/attributions';
import type { CrmConnection, CrmKind, CrmRegistry, PartnerRole } from '../crm/port';
import { recordAudit } from '../db/audit';
import type { Database, Queryable } from '../db/database';

export type AttachFailure =
  | {
      code: 'DEAL.NOT_FOUND' | 'PARTNER.NOT_FOUND' | 'PARTNER.INACTIVE' | 'PARTNER.ALREADY_ON_DEAL';
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

interface RoleRow {
  partner_id: string;
  share_pct: string;
  origin: 'crm' | 'manual';
}

/**
 * Puts a partner on a deal (accepting a suggestion, or by hand), under a per-deal lock held from
 * the checks to the commit, so two attaches cannot both pass the share check.
 *
 * With a CRM company for the partner, the CRM is the record: the association is written there
 * first (a refusal leaves nothing written here), the attribution is stored as the CRM's, and the
 * role is split evenly among the CRM's partners in it, as every sync will split it. Without one,
 * the attribution stays in PartnerLens with the share asked for (by default what is left).
 */
export async function attachPartner(
  db: Database,
  crms: CrmRegistry | undefined,
  tenantId: string,
  request: { dealCrmId: string; partnerId: string; role: PartnerRole; sharePct?: string },
  actor: string,
): Promise<{ ok: true; value: Attached } | { ok: false; failure: AttachFailure }> {
  // Before the transaction: reading the CRM's credentials needs the connection it would hold.
  const [located] = await db.query<{ crm: CrmKind }>(
    'select crm from deals where tenant_id = $1 and crm_id = $2 and archived_at is null',
    [tenantId, request.dealCrmId],
  );
  const crmSession = crms && located ? await openWriter(crms, tenantId, located.crm) : undefined;
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('deal-partners:' || $1 || ':' || $2))`, [
      tenantId,
      request.dealCrmId,
    ]);
    const [deal] = await tx.query<{ id: string; crm: CrmKind }>(
      'select id, crm from deals where tenant_id = $1 and crm_id = $2 and archived_at is null',
      [tenantId, request.dealCrmId],
    );
    if (!deal) return failed({ code: 'DEAL.NOT_FOUND' });
    // The partner's company in the CRM the deal lives in.
    const [partner] = await tx.query<{ name: string; status: string; company: string | null }>(
      `select p.name, p.status, (select min(l.external_id) from partner_links l
                          where l.tenant_id = p.tenant_id and l.partner_id = p.id and l.source = $3) as company
         from partners p where p.tenant_id = $1 and p.id = $2`,
      [tenantId, request.partnerId, deal.crm],
    );
    if (!partner) return failed({ code: 'PARTNER.NOT_FOUND' });
    if (partner.status !== 'active') return failed({ code: 'PARTNER.INACTIVE' });
    const inRole = await tx.query<RoleRow>(
      `select partner_id, share_pct::text, origin from deal_partners
        where tenant_id = $1 and deal_id = $2 and role = $3 order by created_at, partner_id`,
      [tenantId, deal.id, request.role],
    );
    if (inRole.some((row) => row.partner_id === request.partnerId))
      return failed({ code: 'PARTNER.ALREADY_ON_DEAL' });
    const total = (rows: RoleRow[]) => rows.reduce((sum, row) => sum + Number(row.share_pct), 0);
    const viaCrm = Boolean(partner.company && crmSession);
    const manualTotal = total(inRole.filter((row) => row.origin === 'manual'));
    // Via the CRM, its partners of the role share 100 % between them: none may be kept by hand.
    const share = viaCrm
      ? null
      : (request.sharePct ?? String(Math.round((100 - total(inRole)) * 100) / 100));
    if (
      (viaCrm && manualTotal > 0) ||
      (!viaCrm && (Number(share) <= 0 || total(inRole) + Number(share) > 100))
    )
      return failed({
        code: 'SHARES.OVER_100',
        role: request.role,
        sharePct: String(Math.round(total(inRole) * 100) / 100),
      });

    let crm: Attached['crm'];
    let sharePct: string;
    if (viaCrm) {
      try {
        if (!crmSession!.ok) throw crmSession!.error;
        await crmSession!.session.attachPartner({
          dealCrmId: request.dealCrmId,
          companyCrmId: partner.company!,
          role: request.role,
        });
      } catch (error) {
        return failed({
          code: 'CRM.WRITE_FAILED',
          message: (error as Error).message.slice(0, 300),
        });
      }
      crm = { written: true, companyId: partner.company! };
      const partners = [...inRole.map((row) => row.partner_id), request.partnerId];
      const shares = evenShares(partners.length);
      await tx.query(
        `insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin)
         values ($1, $2, $3, $4, $5, 'crm')`,
        [tenantId, deal.id, request.partnerId, request.role, shares[shares.length - 1]],
      );
      await resplit(tx, tenantId, deal.id, request.role, partners, shares);
      sharePct = shares[shares.length - 1]!;
    } else {
      crm = {
        written: false,
        reason: partner.company
          ? 'No CRM connection to write to'
          : 'The partner has no company in the CRM',
      };
      sharePct = share!;
      await tx.query(
        `insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin)
         values ($1, $2, $3, $4, $5, 'manual')`,
        [tenantId, deal.id, request.partnerId, request.role, sharePct],
      );
    }
    await recordAudit(tx, {
      tenantId,
      actor,
      action: 'deal.partner_attached',
      subjectType: 'deal',
      subjectId: request.dealCrmId,
      details: { partnerId: request.partnerId, role: request.role, sharePct, crm },
    });
    const given = Number(sharePct);
    const onDeal = `${partner.name} is on the deal as ${request.role} partner with ${given} %`;
    const why = viaCrm
      ? `: the CRM records ${request.role} partners without shares, so its ${inRole.length + 1} share the role evenly${request.sharePct !== undefined && Number(request.sharePct) !== given ? ` (the ${Number(request.sharePct)} % asked for does not apply)` : ''}, as every sync will split it.`
      : request.sharePct === undefined
        ? ': what was left of the role.'
        : '.';
    return {
      ok: true as const,
      value: {
        dealId: request.dealCrmId,
        partnerId: request.partnerId,
        role: request.role,
        sharePct: given,
        explanation: `${onDeal}${why}`,
        crm,
      },
    };
  });
}

const failed = (failure: AttachFailure) => ({ ok: false as const, failure });

/** The deal's CRM ready to write, or why it is not (reported only if the attach goes to the CRM). */
async function openWriter(
  crms: CrmRegistry,
  tenantId: string,
  crm: CrmKind,
): Promise<{ ok: true; session: CrmConnection } | { ok: false; error: unknown }> {
  try {
    return { ok: true, session: await crms.connect(tenantId, crm) };
  } catch (error) {
    return { ok: false, error };
  }
}

async function resplit(
  tx: Queryable,
  tenantId: string,
  dealId: string,
  role: string,
  partnerIds: string[],
  shares: string[],
): Promise<void> {
  await tx.query(
    `update deal_partners dp set share_pct = t.share_pct
       from unnest($4::uuid[], $5::numeric[]) as t (partner_id, share_pct)
      where dp.tenant_id = $1 and dp.deal_id = $2 and dp.role = $3 and dp.partner_id = t.partner_id`,
    [tenantId, dealId, role, partnerIds, shares],
  );
}
/** Records that an account executive declined a suggested partner for the deal's account. */
export async function declineSuggestion(
  db: Database,
  tenantId: string,
  request: { dealCrmId: string; partnerId: string; reason: string | null },
  actor: string,
): Promise<
  { ok: true } | { ok: false; code: 'DEAL.NOT_FOUND' | 'DEAL.NO_ACCOUNT' | 'PARTNER.NOT_FOUND' }
> {
  return db.transaction(async (tx) => {
    const [deal] = await tx.query<{ account_crm_id: string | null }>(
      'select account_crm_id from deals where tenant_id = $1 and crm_id = $2 and archived_at is null',
      [tenantId, request.dealCrmId],
    );
    if (!deal) return { ok: false as const, code: 'DEAL.NOT_FOUND' as const };
    if (!deal.account_crm_id) return { ok: false as const, code: 'DEAL.NO_ACCOUNT' as const };
    const [partner] = await tx.query('select 1 from partners where tenant_id = $1 and id = $2', [
      tenantId,
      request.partnerId,
    ]);
    if (!partner) return { ok: false as const, code: 'PARTNER.NOT_FOUND' as const };
    await tx.query(
      `insert into cosell_declines (tenant_id, account_crm_id, partner_id, deal_crm_id, reason, actor) values ($1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, account_crm_id, partner_id) do update set reason = excluded.reason, actor = excluded.actor,
         deal_crm_id = excluded.deal_crm_id, created_at = now()`,
      [tenantId, deal.account_crm_id, request.partnerId, request.dealCrmId, request.reason, actor],
    );
    await recordAudit(tx, {
      tenantId,
      actor,
      action: 'cosell.declined',
      subjectType: 'deal',
      subjectId: request.dealCrmId,
      details: { partnerId: request.partnerId, reason: request.reason },
    });
    return { ok: true as const };
  });
}
