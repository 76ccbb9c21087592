import { parseProgram, type Program } from '../../src/program/program';
import type { CrmKind } from '../crm/port';
import type { Queryable } from '../db/database';

/** A tenant with a connected CRM: where its CRMs are and, when it has SLA tasks on, its program. */
export interface TaskTenant {
  tenantId: string;
  /**
   * The program, when it asks for SLA tasks. Null when the admin turned them off (or the program
   * does not parse): no task is made, but the tasks already made are still completed.
   */
  program: Program | null;
  /** The connected CRMs: HubSpot's portal id, Salesforce's instance URL. */
  crms: Map<CrmKind, { externalId: string | null; instanceUrl: string | null }>;
}

/** What a task needs to know of its registration. */
export interface RegistrationFacts {
  tenant_id: string;
  id: string;
  status: string;
  company_name: string;
  company_domain: string | null;
  partner_name: string;
  partner_manager: string | null;
  submitted_at: Date;
  matched_account_crm_id: string | null;
  /** The CRM the matched account's mirror record came from. */
  account_crm: CrmKind | null;
}

/** A claim the sweep holds: the intent to create this registration's task in that CRM. */
export interface Claim extends RegistrationFacts {
  crm: CrmKind;
  marker: string;
  attempts: number;
}

export async function taskTenants(db: Queryable): Promise<TaskTenant[]> {
  const rows = await db.query<{
    tenant_id: string;
    provider: CrmKind;
    external_id: string | null;
    instance_url: string | null;
    document: unknown;
  }>(
    `select c.tenant_id, c.provider, c.instance_url, p.document,
            coalesce(c.external_id, case when c.provider = 'hubspot' then t.hubspot_portal_id::text end) as external_id
       from crm_credentials c join tenants t on t.id = c.tenant_id
       left join programs p on p.tenant_id = c.tenant_id
      where c.status = 'connected' order by c.tenant_id`,
  );
  const tenants = new Map<string, TaskTenant>();
  for (const row of rows) {
    const program = parseProgram(row.document ?? {});
    const tenant = tenants.get(row.tenant_id) ?? {
      tenantId: row.tenant_id,
      program: program.ok && program.value.slaTasks.enabled ? program.value : null,
      crms: new Map(),
    };
    tenant.crms.set(row.provider, { externalId: row.external_id, instanceUrl: row.instance_url });
    tenants.set(row.tenant_id, tenant);
  }
  return [...tenants.values()];
}

const FACTS = `r.tenant_id, r.id, r.status, r.company_name, r.company_domain, p.name as partner_name,
  p.partner_manager, r.submitted_at, r.matched_account_crm_id, a.crm as account_crm`;
const FACTS_JOINS = `join partners p on p.tenant_id = r.tenant_id and p.id = r.partner_id
  left join accounts a on a.tenant_id = r.tenant_id and a.crm_id = r.matched_account_crm_id
    and a.archived_at is null`;

/** Pending registrations of the tenant that have waited since `waitedSince`, with no task row. */
export function dueRegistrations(db: Queryable, tenantId: string, waitedSince: Date) {
  return db.query<RegistrationFacts>(
    `select ${FACTS} from registrations r ${FACTS_JOINS}
      where r.tenant_id = $1 and r.status = 'pending' and r.submitted_at <= $2
        and not exists (select 1 from registration_tasks t
                         where t.tenant_id = r.tenant_id and t.registration_id = r.id)
      order by r.submitted_at, r.id limit 500`,
    [tenantId, waitedSince],
  );
}

/**
 * Takes the claim of a registration's task: the row is written before the CRM is called, with the
 * marker the task will carry and a lease. `on conflict do nothing`: one sweep wins, however many
 * run at once.
 */
export async function claimTask(
  db: Queryable,
  facts: RegistrationFacts,
  crm: CrmKind,
  marker: string,
  now: Date,
  leaseUntil: Date,
): Promise<Claim | undefined> {
  const [row] = await db.query<{ attempts: number }>(
    `insert into registration_tasks (tenant_id, registration_id, crm, status, claimed_at, marker, lease_until, attempts)
     values ($1, $2, $3, 'creating', $4, $5, $6, 1) on conflict do nothing returning attempts`,
    [facts.tenant_id, facts.id, crm, now, marker, leaseUntil],
  );
  return row ? { ...facts, crm, marker, attempts: row.attempts } : undefined;
}

/**
 * Retakes one claim whose attempt ended without a task recorded: refused (no lease), or whose
 * process died mid-attempt (lease run out), leaving out those this sweep already tried. One at a
 * time, each with a lease from when its attempt starts: a sweep never works a claim whose lease it
 * took long before (another sweep may have retaken it since). `skip locked` and the update are
 * the lock: one sweep retakes each.
 */
export async function retakeClaim(
  db: Queryable,
  tenantId: string,
  now: Date,
  leaseUntil: Date,
  tried: string[],
): Promise<Claim | undefined> {
  const [claim] = await db.query<Claim>(
    `with next as (
       select t.tenant_id, t.registration_id from registration_tasks t
        where t.tenant_id = $1 and t.status = 'creating' and (t.lease_until is null or t.lease_until <= $2)
          and not (t.registration_id = any($4::uuid[]))
        order by t.claimed_at, t.registration_id limit 1
        for update skip locked),
     taken as (
       update registration_tasks t set lease_until = $3, attempts = t.attempts + 1
         from next where t.tenant_id = next.tenant_id and t.registration_id = next.registration_id
        returning t.tenant_id, t.registration_id, t.crm, t.marker, t.attempts)
     select ${FACTS}, taken.crm, taken.marker, taken.attempts
       from taken join registrations r on r.tenant_id = taken.tenant_id and r.id = taken.registration_id
       ${FACTS_JOINS}`,
    [tenantId, now, leaseUntil, tried],
  );
  return claim;
}

/**
 * The claim becomes the task: its CRM id and owner recorded, the lease let go. The first attempt
 * to record wins: the answer is the task the row holds afterwards (another attempt's, when this
 * one outlived its lease), or null when the claim was dropped meanwhile.
 */
export async function recordTask(
  db: Queryable,
  claim: Claim,
  taskId: string,
  ownerId: string | null,
): Promise<string | null> {
  const [recorded] = await db.query<{ crm_task_id: string }>(
    `update registration_tasks set status = 'open', crm_task_id = $3, owner_id = $4, lease_until = null, last_error = null
      where tenant_id = $1 and registration_id = $2 and status = 'creating' returning crm_task_id`,
    [claim.tenant_id, claim.id, taskId, ownerId],
  );
  if (recorded) return recorded.crm_task_id;
  const [held] = await db.query<{ crm_task_id: string | null }>(
    `select crm_task_id from registration_tasks where tenant_id = $1 and registration_id = $2`,
    [claim.tenant_id, claim.id],
  );
  return held?.crm_task_id ?? null;
}

/** An attempt that failed: its words kept, the lease let go so the next sweep tries again. */
export async function releaseClaim(db: Queryable, claim: Claim, error: string) {
  await db.query(
    `update registration_tasks set lease_until = null, last_error = $3
      where tenant_id = $1 and registration_id = $2 and status = 'creating'`,
    [claim.tenant_id, claim.id, error.slice(0, 1000)],
  );
}

/** A claim for a registration decided before any task was made: no task is needed any more. */
export async function dropClaim(db: Queryable, claim: Claim) {
  await db.query(
    `delete from registration_tasks where tenant_id = $1 and registration_id = $2 and status = 'creating'`,
    [claim.tenant_id, claim.id],
  );
}

export interface DecidedTask {
  tenant_id: string;
  registration_id: string;
  crm: CrmKind;
  crm_task_id: string;
  status: string;
  decided_by: string | null;
}

/** Open tasks whose registration is no longer pending. */
export function decidedTasks(db: Queryable, tenantId: string) {
  return db.query<DecidedTask>(
    `select t.tenant_id, t.registration_id, t.crm, t.crm_task_id, r.status, r.decided_by
       from registration_tasks t
       join registrations r on r.tenant_id = t.tenant_id and r.id = t.registration_id
      where t.tenant_id = $1 and t.status = 'open' and r.status <> 'pending'`,
    [tenantId],
  );
}

export async function markCompleted(db: Queryable, task: DecidedTask, now: Date) {
  await db.query(
    `update registration_tasks set status = 'completed', completed_at = $3
      where tenant_id = $1 and registration_id = $2`,
    [task.tenant_id, task.registration_id, now],
  );
}
