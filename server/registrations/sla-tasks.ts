import type { Program } from '../../src/program/program';
import type { CrmKind } from '../crm/port';
import { registrationMarker, type TaskWriter } from '../crm/tasks';
import type { Database } from '../db/database';
import {
  type Claim,
  claimTask,
  decidedTasks,
  dropClaim,
  dueRegistrations,
  markCompleted,
  recordTask,
  releaseClaim,
  retakeClaim,
  type TaskTenant,
  taskTenants,
} from './sla-task-rows';
import {
  mappedOwner,
  outcomeSummary,
  registrationLink,
  taskCrm,
  type TaskLinkSettings,
  taskSubject,
  taskSummary,
} from './sla-task-words';

export interface SlaTaskDeps {
  db: Database;
  /** Each CRM's task writer for a tenant; throws when the tenant cannot be reached there. */
  writers: Partial<Record<CrmKind, (tenantId: string) => Promise<TaskWriter>>>;
  links: TaskLinkSettings;
  /**
   * How long an attempt owns its claim before another sweep may take it (its process presumed
   * dead). Longer than an attempt's retries, and than HubSpot's search index trails a create.
   */
  leaseMs?: number;
}

export const DEFAULT_LEASE_MS = 15 * 60_000;
const HOUR = 3_600_000;

interface SweepResult {
  created: number;
  /** Tasks an attempt that died had made, found by their marker and recorded. */
  recovered: number;
  completed: number;
  /** Second tasks removed: made by an attempt that outlived its lease while another recorded one. */
  removed: number;
  failed: number;
}

/** One sweep's writers and owner look-ups, each asked for once per tenant and CRM. */
class SweepContext {
  private readonly writers = new Map<string, Promise<TaskWriter>>();
  private readonly owners = new Map<string, Promise<string | null>>();

  constructor(private readonly deps: SlaTaskDeps) {}

  writer(tenantId: string, crm: CrmKind): Promise<TaskWriter> {
    const key = `${tenantId}:${crm}`;
    if (!this.writers.has(key)) {
      const open = this.deps.writers[crm];
      this.writers.set(
        key,
        open ? open(tenantId) : Promise.reject(new Error(`No ${crm} task writer here`)),
      );
    }
    return this.writers.get(key)!;
  }

  /** The admin's mapping, else (Salesforce) the org's one active user of the manager's name, else the fallback. */
  async owner(
    tenant: TaskTenant,
    program: Program,
    claim: Claim,
    writer: TaskWriter,
  ): Promise<string | null> {
    const { mapped, fallback } = mappedOwner(program, claim.crm, claim.partner_manager);
    if (mapped) return mapped;
    const manager = claim.partner_manager;
    if (manager && writer.ownerNamed) {
      const key = `${tenant.tenantId}:${claim.crm}:${manager}`;
      if (!this.owners.has(key)) this.owners.set(key, writer.ownerNamed(manager));
      const named = await this.owners.get(key)!;
      if (named) return named;
    }
    return fallback;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One attempt at a claim's task. A first attempt creates it; a retaken claim first looks in the
 * CRM for a task with its marker (an attempt that died after the CRM's answer made one) and
 * records that one instead. A retaken claim of a registration decided since, or of a tenant that
 * has turned SLA tasks off, with no task in the CRM, is dropped.
 */
async function attempt(
  deps: SlaTaskDeps,
  context: SweepContext,
  tenant: TaskTenant,
  claim: Claim,
  result: SweepResult,
  /**
   * The claim was retaken: an attempt before this one may have made its task. Said by the caller,
   * not read from `attempts`: a claim from before markers (migration 0022) counts none.
   */
  retaken: boolean,
) {
  try {
    const writer = await context.writer(tenant.tenantId, claim.crm);
    const { program } = tenant;
    if (retaken || !program) {
      const found = await writer.findByMarker(claim.marker);
      if (found) {
        await recordTask(deps.db, claim, found, null);
        result.recovered += 1;
        return;
      }
      if (claim.status !== 'pending' || !program) {
        await dropClaim(deps.db, claim);
        return;
      }
    }
    const ownerId = await context.owner(tenant, program, claim, writer);
    const dueAt = new Date(claim.submitted_at.getTime() + program.approvalSlaHours * HOUR);
    const taskId = await writer.create({
      marker: claim.marker,
      subject: taskSubject(claim, claim.marker),
      summary: taskSummary(claim, dueAt),
      link: registrationLink(tenant, claim.crm, claim.id, deps.links),
      dueAt,
      ownerId,
      accountId: claim.account_crm === claim.crm ? claim.matched_account_crm_id : null,
    });
    const held = await recordTask(deps.db, claim, taskId, ownerId);
    if (held === taskId) {
      result.created += 1;
      return;
    }
    // This attempt outlived its lease: another recorded its task (or dropped the claim) meanwhile.
    // The task made here is a second one: removed, so the CRM holds one.
    await writer.remove(taskId);
    result.removed += 1;
  } catch (error) {
    result.failed += 1;
    // If the database is what failed, the lease stays and runs out: the next sweep finds the task.
    await releaseClaim(deps.db, claim, messageOf(error)).catch(() => undefined);
  }
}

/** Completes the open tasks of registrations decided since (by a person, the rules, or time). */
async function completeDecided(
  deps: SlaTaskDeps,
  context: SweepContext,
  tenant: TaskTenant,
  now: number,
  result: SweepResult,
) {
  for (const task of await decidedTasks(deps.db, tenant.tenantId)) {
    try {
      const writer = await context.writer(tenant.tenantId, task.crm);
      await writer.complete(task.crm_task_id, {
        summary: outcomeSummary(task.status, task.decided_by),
        link: registrationLink(tenant, task.crm, task.registration_id, deps.links),
      });
      await markCompleted(deps.db, task, new Date(now));
      result.completed += 1;
    } catch {
      result.failed += 1;
    }
  }
}

/**
 * Creates one CRM task per registration that reaches its share of the SLA, in the CRM its account
 * came from, and completes it once the registration is decided (also after the admin turned SLA
 * tasks off: a task already made is never left open). At least once and never twice:
 * the intent is written (with the marker the task carries) before the CRM is called, and a retry
 * looks for the marker in the CRM before creating (docs/registrations.md, SLA tasks).
 */
export async function sweepSlaTasks(deps: SlaTaskDeps, now: number): Promise<SweepResult> {
  const result: SweepResult = { created: 0, recovered: 0, completed: 0, removed: 0, failed: 0 };
  const context = new SweepContext(deps);
  // The sweep's clock: `now`, moved on by the time the sweep has taken so far. A claim's lease
  // runs from when its attempt starts, not from the sweep's start: in a long sweep (a backlog
  // after an outage) the last claims would otherwise be taken with leases already run out.
  const started = Date.now();
  const at = () => new Date(now + (Date.now() - started));
  const leaseOf = (from: Date) => new Date(from.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS));
  for (const tenant of await taskTenants(deps.db)) {
    const connected = new Set(
      [...tenant.crms.keys()].filter((crm) => deps.writers[crm] !== undefined),
    );
    const tried: string[] = [];
    for (;;) {
      const from = at();
      const claim = await retakeClaim(deps.db, tenant.tenantId, from, leaseOf(from), tried);
      if (!claim) break;
      tried.push(claim.id);
      await attempt(deps, context, tenant, claim, result, true);
    }

    const { program } = tenant;
    const due = program
      ? await dueRegistrations(
          deps.db,
          tenant.tenantId,
          new Date(now - program.slaTasks.share * program.approvalSlaHours * HOUR),
        )
      : [];
    for (const facts of due) {
      const crm = taskCrm(facts, connected);
      if (!crm) continue;
      const marker = registrationMarker(facts.id);
      const from = at();
      const claim = await claimTask(deps.db, facts, crm, marker, from, leaseOf(from));
      if (claim) await attempt(deps, context, tenant, claim, result, false);
    }
    await completeDecided(deps, context, tenant, now, result);
  }
  return result;
}
