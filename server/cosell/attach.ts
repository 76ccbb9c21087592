import type { PartnerRole } from '../crm/hubspot/partner-roles';
import type { CrmWriter } from '../crm/hubspot/write-back';
import { recordAudit } from '../db/audit';
import type { Database } from '../db/database';

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
  sharePct: string;
  /** Whether the CRM has it too: the deal associated with the partner's company under the role's label. */
  crm: { written: true; companyId: string } | { written: false; reason: string };
}

/**
 * Puts a partner on a deal (accepting a suggestion, or by hand): validated against the deal's
 * other partners, written back to the CRM first (a CRM that refuses leaves nothing written
 * here), then recorded as a manual attribution and audited.
 */
export async function attachPartner(
  db: Database,
  writer: CrmWriter | undefined,
  tenantId: string,
  request: { dealCrmId: string; partnerId: string; role: PartnerRole; sharePct: string },
  actor: string,
): Promise<{ ok: true; value: Attached } | { ok: false; failure: AttachFailure }> {
  const check = async (
    tx: Pick<Database, 'query'>,
  ): Promise<{ failure: AttachFailure } | { dealId: string; company: string | null }> => {
    const [deal] = await tx.query<{ id: string }>(
      'select id from deals where tenant_id = $1 and crm_id = $2 and archived_at is null',
      [tenantId, request.dealCrmId],
    );
    if (!deal) return { failure: { code: 'DEAL.NOT_FOUND' as const } };
    const [partner] = await tx.query<{ status: string; company: string | null }>(
      `select p.status, (select min(l.external_id) from partner_links l
                          where l.tenant_id = p.tenant_id and l.partner_id = p.id and l.source = 'hubspot') as company
         from partners p where p.tenant_id = $1 and p.id = $2`,
      [tenantId, request.partnerId],
    );
    if (!partner) return { failure: { code: 'PARTNER.NOT_FOUND' as const } };
    if (partner.status !== 'active') return { failure: { code: 'PARTNER.INACTIVE' as const } };
    const [taken] = await tx.query<{ on_deal: boolean; total: string }>(
      `select bool_or(partner_id = $3) as on_deal, coalesce(sum(share_pct), 0)::text as total
         from deal_partners where tenant_id = $1 and deal_id = $2 and role = $4`,
      [tenantId, deal.id, request.partnerId, request.role],
    );
    if (taken?.on_deal) return { failure: { code: 'PARTNER.ALREADY_ON_DEAL' as const } };
    if (Number(taken?.total ?? 0) + Number(request.sharePct) > 100)
      return {
        failure: {
          code: 'SHARES.OVER_100' as const,
          role: request.role,
          sharePct: taken?.total ?? '0',
        },
      };
    return { dealId: deal.id, company: partner.company };
  };

  const first = await check(db);
  if ('failure' in first) return { ok: false, failure: first.failure };
  let crm: Attached['crm'];
  if (!first.company) crm = { written: false, reason: 'The partner has no company in the CRM' };
  else if (!writer) crm = { written: false, reason: 'No CRM connection to write to' };
  else {
    try {
      await writer.attachPartner(tenantId, {
        dealCrmId: request.dealCrmId,
        companyCrmId: first.company,
        role: request.role,
      });
      crm = { written: true, companyId: first.company };
    } catch (error) {
      return {
        ok: false,
        failure: { code: 'CRM.WRITE_FAILED', message: (error as Error).message.slice(0, 300) },
      };
    }
  }
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('deal-partners:' || $1))`, [tenantId]);
    // Checked again under the lock: another attach may have taken the share meanwhile.
    const again = await check(tx);
    if ('failure' in again) return { ok: false as const, failure: again.failure };
    await tx.query(
      `insert into deal_partners (tenant_id, deal_id, partner_id, role, share_pct, origin) values ($1, $2, $3, $4, $5, 'manual')`,
      [tenantId, again.dealId, request.partnerId, request.role, request.sharePct],
    );
    await recordAudit(tx, {
      tenantId,
      actor,
      action: 'deal.partner_attached',
      subjectType: 'deal',
      subjectId: request.dealCrmId,
      details: {
        partnerId: request.partnerId,
        role: request.role,
        sharePct: request.sharePct,
        crm,
      },
    });
    return {
      ok: true as const,
      value: {
        dealId: request.dealCrmId,
        partnerId: request.partnerId,
        role: request.role,
        sharePct: request.sharePct,
        crm,
      },
    };
  });
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
