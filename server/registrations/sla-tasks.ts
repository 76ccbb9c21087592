import { parseProgram, type Program } from '../../src/program/program';
import type { TaskWriter } from '../crm/hubspot/tasks';
import type { Database } from '../db/database';

export interface SlaTaskDeps {
  db: Database;
  /** The tenant's HubSpot task writer; throws when the tenant cannot be reached. */
  writerFor(tenantId: string): Promise<TaskWriter>;
  /** Where a person opens the registration (the triage page). */
  linkOf(tenantId: string, registrationId: string): string;
}

interface DueRow {
  tenant_id: string;
  id: string;
  company_name: string;
  company_domain: string | null;
  partner_name: string;
  partner_manager: string | null;
  submitted_at: Date;
  matched_account_crm_id: string | null;
}

interface DecidedRow {
  tenant_id: string;
  registration_id: string;
  crm_task_id: string;
  status: string;
  decided_by: string | null;
}

/**
 * Pending registrations of HubSpot tenants that have waited the program's share of their SLA,
 * with no task yet. The program is read per tenant in SQL: its JSON with the defaults applied.
 */
async function dueRegistrations(
  db: Database,
  now: number,
): Promise<Array<DueRow & { program: Program }>> {
  const tenants = await db.query<{ tenant_id: string; document: unknown }>(
    `select c.tenant_id, p.document from crm_credentials c
       left join programs p on p.tenant_id = c.tenant_id
      where c.provider = 'hubspot' and c.status = 'connected'`,
  );
  const due: Array<DueRow & { program: Program }> = [];
  for (const { tenant_id, document } of tenants) {
    const program = parseProgram(document ?? {});
    if (!program.ok || !program.value.slaTasks.enabled) continue;
    const waited = program.value.slaTasks.share * program.value.approvalSlaHours * 3_600_000;
    const rows = await db.query<DueRow>(
      `select r.tenant_id, r.id, r.company_name, r.company_domain, p.name as partner_name,
                p.partner_manager, r.submitted_at, r.matched_account_crm_id
           from registrations r join partners p on p.tenant_id = r.tenant_id and p.id = r.partner_id
          where r.tenant_id = $1 and r.status = 'pending' and r.submitted_at <= $2
            and not exists (select 1 from registration_tasks t
                             where t.tenant_id = r.tenant_id and t.registration_id = r.id)
          order by r.submitted_at, r.id limit 500`,
      [tenant_id, new Date(now - waited)],
    );
    due.push(...rows.map((row) => ({ ...row, program: program.value })));
  }
  return due;
}

/** The CRM owner of the partner's manager (by name, as the admin mapped it), else the fallback. */
function ownerOf(program: Program, manager: string | null) {
  const { ownersByManager, fallbackOwnerId } = program.slaTasks;
  return (manager ? ownersByManager[manager] : undefined) ?? fallbackOwnerId ?? null;
}

/**
 * Creates one CRM task per registration that reaches its share of the SLA, and completes the
 * task once the registration is decided. The claim (a row keyed by the registration) is taken
 * before the CRM is called, so concurrent or repeated sweeps create one task; a failed create
 * gives the claim back for the next sweep.
 */
export async function sweepSlaTasks(deps: SlaTaskDeps, now: number) {
  const result = { created: 0, completed: 0, failed: 0 };
  const writers = new Map<string, Promise<TaskWriter>>();
  const writer = (tenantId: string) => {
    if (!writers.has(tenantId)) writers.set(tenantId, deps.writerFor(tenantId));
    return writers.get(tenantId)!;
  };

  for (const row of await dueRegistrations(deps.db, now)) {
    const [claimed] = await deps.db.query<{ registration_id: string }>(
      `insert into registration_tasks (tenant_id, registration_id, crm, status, claimed_at)
       values ($1, $2, 'hubspot', 'creating', $3) on conflict do nothing returning registration_id`,
      [row.tenant_id, row.id, new Date(now)],
    );
    if (!claimed) continue;
    const ownerId = ownerOf(row.program, row.partner_manager);
    const company = row.company_name || row.company_domain || 'a company';
    const dueAt = new Date(row.submitted_at.getTime() + row.program.approvalSlaHours * 3_600_000);
    try {
      const taskId = await (
        await writer(row.tenant_id)
      ).create({
        subject: `Decide ${row.partner_name}'s registration of ${company}`,
        body: `${row.partner_name} registered ${company}; it is due for a decision by ${dueAt.toISOString()}. Open it: ${deps.linkOf(row.tenant_id, row.id)}`,
        dueAt,
        ownerId,
        companyId: row.matched_account_crm_id,
      });
      await deps.db.query(
        `update registration_tasks set status = 'open', crm_task_id = $3, owner_id = $4
          where tenant_id = $1 and registration_id = $2`,
        [row.tenant_id, row.id, taskId, ownerId],
      );
      result.created += 1;
    } catch {
      await deps.db.query(
        `delete from registration_tasks where tenant_id = $1 and registration_id = $2 and status = 'creating'`,
        [row.tenant_id, row.id],
      );
      result.failed += 1;
    }
  }

  const decided = await deps.db.query<DecidedRow>(
    `select t.tenant_id, t.registration_id, t.crm_task_id, r.status, r.decided_by
       from registration_tasks t
       join registrations r on r.tenant_id = t.tenant_id and r.id = t.registration_id
      where t.status = 'open' and r.status <> 'pending'`,
  );
  for (const row of decided) {
    try {
      await (
        await writer(row.tenant_id)
      ).complete(
        row.crm_task_id,
        `The registration was ${row.status === 'rejected' ? 'rejected' : 'approved'}${row.decided_by ? ` by ${row.decided_by}` : ''}. ${deps.linkOf(row.tenant_id, row.registration_id)}`,
      );
      await deps.db.query(
        `update registration_tasks set status = 'completed', completed_at = $3
          where tenant_id = $1 and registration_id = $2`,
        [row.tenant_id, row.registration_id, new Date(now)],
      );
      result.completed += 1;
    } catch {
      result.failed += 1;
    }
  }
  return result;
}
