import { recordAudit } from '../db/audit';
import type { Database } from '../db/database';
import type { CrmKind } from './port';

/** How long the mirror of a disconnected CRM is kept: a re-install within it resumes with it. */
export const MIRROR_RETENTION_DAYS = 90;
const RETENTION_MS = MIRROR_RETENTION_DAYS * 24 * 60 * 60 * 1000;

export interface PurgedMirror {
  tenantId: string;
  crm: CrmKind;
  accounts: number;
  deals: number;
}

/**
 * Deletes the CRM mirror (companies or accounts, deals with their partners, associations and
 * waiting change events) of every connection disconnected more than 90 days before `now`. The
 * ledger, registrations, partners and audit trail are the tenant's own records and stay, and so do
 * the deals the ledger names; the connection row stays too, saying when its mirror went. A
 * re-install after that syncs afresh.
 */
export async function purgeExpiredMirrors(db: Database, now: number): Promise<PurgedMirror[]> {
  const due = await db.query<{ tenant_id: string; provider: CrmKind }>(
    `select tenant_id, provider from crm_credentials
      where status = 'disconnected' and mirror_purged_at is null
        and disconnected_at <= to_timestamp($1 / 1000.0)`,
    [now - RETENTION_MS],
  );
  const purged: PurgedMirror[] = [];
  for (const { tenant_id: tenantId, provider: crm } of due) {
    const done = await db.transaction(async (tx): Promise<PurgedMirror | undefined> => {
      // Taken again under the row's lock: a re-install in between keeps its mirror.
      const [still] = await tx.query(
        `select 1 from crm_credentials
            where tenant_id = $1 and provider = $2 and status = 'disconnected' and mirror_purged_at is null
              and disconnected_at <= to_timestamp($3 / 1000.0)
            for update`,
        [tenantId, crm, now - RETENTION_MS],
      );
      if (!still) return undefined;
      const params = [tenantId, crm];
      await tx.query('delete from deal_companies where tenant_id = $1 and crm = $2', params);
      // Their partner attributions go with them (deal_partners cascades). A deal the ledger (or a
      // refund) names stays, with its partners: it is the commission's record (a statement names
      // it), and a re-install's sync finds the same row by its CRM id, so the commission it earned
      // is not accrued a second time under a new deal.
      const deals = await tx.query(
        `delete from deals d where d.tenant_id = $1 and d.crm = $2
            and not exists (select 1 from ledger_entries l where l.tenant_id = d.tenant_id and l.deal_id = d.id)
            and not exists (select 1 from refunds r where r.tenant_id = d.tenant_id and r.deal_id = d.id)
          returning 1`,
        params,
      );
      const accounts = await tx.query(
        'delete from accounts where tenant_id = $1 and crm = $2 returning 1',
        params,
      );
      await tx.query('delete from crm_change_events where tenant_id = $1 and crm = $2', params);
      await tx.query(
        `update crm_credentials set mirror_purged_at = to_timestamp($3 / 1000.0), updated_at = now()
            where tenant_id = $1 and provider = $2`,
        [tenantId, crm, now],
      );
      const result = { tenantId, crm, accounts: accounts.length, deals: deals.length };
      await recordAudit(tx, {
        tenantId,
        actor: 'retention',
        action: 'crm.mirror_purged',
        subjectType: 'tenant',
        subjectId: tenantId,
        details: {
          crm,
          accounts: result.accounts,
          deals: result.deals,
          retentionDays: MIRROR_RETENTION_DAYS,
        },
      });
      return result;
    });
    if (done) purged.push(done);
  }
  return purged;
}
