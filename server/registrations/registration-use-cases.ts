import { randomUUID } from 'node:crypto';

import { type Program, protectionDaysOf } from '../../src/program/program';
import { detectConflicts, holderOf } from '../../src/registrations/detect-conflicts';
import { windowEnd } from '../../src/registrations/time';
import type { PartnerFacts } from '../../src/registrations/types';
import { isAutoApprovable, verdictOf } from '../../src/registrations/verdict';
import { recordAudit } from '../db/audit';
import type { Database, Queryable } from '../db/database';
import { KeyedSerial } from '../lib/keyed-serial';
import { blockingWords, rejectionReasonOf } from './conflict-view';
import { loadProgram } from './program-store';
import {
  findRegistration,
  type RegistrationRow,
  type RegistrationView,
  viewsOf,
} from './registration-view';
import { worldAt } from './world';

export type Outcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: { code: string; message: string; status: 400 | 404 | 409; details?: unknown };
    };

export interface Submission {
  partnerId: string;
  companyName: string;
  companyDomain: string | null;
  amount: string | null;
  currency: string | null;
}

// Registrations of one tenant are judged one at a time: of two submitted together for one company,
// exactly one holds it (first to register by server time).
const lockTenant = (db: Queryable, tenantId: string) =>
  db.query(`select pg_advisory_xact_lock(hashtext('registrations:' || $1))`, [tenantId]);

/**
 * The same, within this process, before a connection is taken: submissions waiting for the lock
 * would otherwise each hold one of the pool's connections, and a burst of them starve the cards
 * (the soak bench saw card reads time out waiting for a connection).
 */
const oneAtATime = new KeyedSerial();

/**
 * The time a submission or decision happens, read under the tenant's lock: a request that read
 * the clock first may take the lock second, and must not then count as earlier than the one that
 * holds the company. Never before the tenant's latest submission or window start either (another
 * replica's clock may run ahead).
 */
async function tenantTime(tx: Queryable, tenantId: string, clock: () => number) {
  const [latest] = await tx.query<{ submitted: Date | null; started: Date | null }>(
    `select (select max(submitted_at) from registrations where tenant_id = $1) as submitted,
            (select max(window_start) from registrations where tenant_id = $1) as started`,
    [tenantId],
  );
  return Math.max(clock(), latest?.submitted?.getTime() ?? 0, latest?.started?.getTime() ?? 0);
}

async function partnerFacts(
  db: Queryable,
  tenantId: string,
  partnerId: string,
): Promise<PartnerFacts | undefined> {
  const [row] = await db.query<PartnerFacts>(
    'select id, tier, status from partners where tenant_id = $1 and id = $2',
    [tenantId, partnerId],
  );
  return row;
}

async function recordDecision(
  db: Queryable,
  tenantId: string,
  registrationId: string,
  action: string,
  actor: string,
  reason: string | null,
  conflicts?: unknown,
) {
  await db.query(
    'insert into registration_decisions (tenant_id, registration_id, action, actor, reason, conflicts) values ($1, $2, $3, $4, $5, $6)',
    [
      tenantId,
      registrationId,
      action,
      actor,
      reason,
      conflicts === undefined ? null : JSON.stringify(conflicts),
    ],
  );
  await recordAudit(db, {
    tenantId,
    actor,
    action: `registration.${action}`,
    subjectType: 'registration',
    subjectId: registrationId,
    details: reason ? { reason } : {},
  });
}

/** Validates, matches, judges and stores a registration (DESIGN.md §4); the verdict decides its status. */
export async function submitRegistration(
  db: Database,
  tenantId: string,
  submission: Submission,
  actor: string,
  clock: () => number,
): Promise<Outcome<RegistrationView>> {
  return oneAtATime.run(tenantId, () =>
    db.transaction(async (tx) => {
      await lockTenant(tx, tenantId);
      const now = await tenantTime(tx, tenantId, clock);
      const { program } = await loadProgram(tx, tenantId);
      const partner = await partnerFacts(tx, tenantId, submission.partnerId);
      if (!partner)
        return failure('PARTNER.NOT_FOUND', `No partner ${submission.partnerId}`, 400, [
          { path: 'partnerId', message: 'is not a partner of this tenant' },
        ]);
      const world = await worldAt(
        tx,
        tenantId,
        program,
        partner,
        { name: submission.companyName, domain: submission.companyDomain },
        now,
      );
      const conflicts = detectConflicts(partner.id, { ...world, program, partner });
      const verdict = verdictOf(conflicts, isAutoApprovable(program, partner, submission));
      const status =
        verdict === 'approved' ? 'approved' : verdict === 'rejected' ? 'rejected' : 'pending';
      const id = randomUUID();
      const rejection = rejectionReasonOf(conflicts);
      await tx.query(
        `insert into registrations (tenant_id, id, partner_id, company_name, company_domain, amount, currency, submitted_at, status, verdict,
         conflicts, matched_account_crm_id, account_match, holder_registration_id, window_start, window_end, rejection_reason, decided_by, decided_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
        [
          tenantId,
          id,
          partner.id,
          submission.companyName,
          submission.companyDomain,
          submission.amount,
          submission.currency,
          new Date(now),
          status,
          verdict,
          JSON.stringify(conflicts),
          world.matchedAccountId,
          JSON.stringify(world.accountMatch),
          holderOf(conflicts),
          status === 'approved' ? new Date(now) : null,
          status === 'approved'
            ? new Date(windowEnd(now, protectionDaysOf(program, partner.tier)))
            : null,
          status === 'rejected' ? rejection : null,
          status === 'pending' ? null : 'rules',
          status === 'pending' ? null : new Date(now),
        ],
      );
      await recordDecision(tx, tenantId, id, 'submitted', actor, null, conflicts);
      if (status !== 'pending')
        await recordDecision(
          tx,
          tenantId,
          id,
          status,
          'rules',
          status === 'rejected' ? rejection : "auto-approved by the program's rules",
          conflicts,
        );
      return {
        ok: true,
        value: (
          await viewsOf(
            tx,
            tenantId,
            [(await findRegistration(tx, tenantId, id))!],
            now,
            program.approvalSlaHours,
          )
        )[0]!,
      };
    }),
  );
}

export type Decision = { decision: 'approve' } | { decision: 'reject'; reason: string };

type Failure = Extract<Outcome<never>, { ok: false }>;

const failure = (
  code: string,
  message: string,
  status: Failure['error']['status'],
  details?: unknown,
): Failure => ({
  ok: false,
  error: details === undefined ? { code, message, status } : { code, message, status, details },
});

/**
 * What deciding on and extending a registration share: one change at a time per tenant, the row
 * locked while it is read, 404 when there is none, and the view re-read after `change` wrote.
 */
async function changeRegistration(
  db: Database,
  tenantId: string,
  id: string,
  clock: () => number,
  change: (
    tx: Queryable,
    program: Program,
    row: RegistrationRow,
    now: number,
  ) => Promise<Failure | undefined>,
): Promise<Outcome<RegistrationView>> {
  return oneAtATime.run(tenantId, () =>
    db.transaction(async (tx) => {
      await lockTenant(tx, tenantId);
      const now = await tenantTime(tx, tenantId, clock);
      const { program } = await loadProgram(tx, tenantId);
      const row = await findRegistration(tx, tenantId, id, true);
      if (!row) return failure('REGISTRATION.NOT_FOUND', `No registration ${id}`, 404);
      const failed = await change(tx, program, row, now);
      if (failed) return failed;
      return {
        ok: true,
        value: (
          await viewsOf(
            tx,
            tenantId,
            [(await findRegistration(tx, tenantId, id))!],
            now,
            program.approvalSlaHours,
          )
        )[0]!,
      };
    }),
  );
}

/** A partner manager's decision; approval re-checks the conflicts, because the world may have changed. */
export function decideRegistration(
  db: Database,
  tenantId: string,
  id: string,
  decision: Decision,
  actor: string,
  clock: () => number,
): Promise<Outcome<RegistrationView>> {
  return changeRegistration(db, tenantId, id, clock, async (tx, program, row, now) => {
    if (row.status !== 'pending')
      return failure(
        'REGISTRATION.DECIDED',
        `Registration ${id} is ${row.status}, not pending`,
        409,
      );
    if (decision.decision === 'reject') {
      await tx.query(
        `update registrations set status = 'rejected', rejection_reason = $3, decided_by = $4, decided_at = $5 where tenant_id = $1 and id = $2`,
        [tenantId, id, decision.reason, actor, new Date(now)],
      );
      await recordDecision(tx, tenantId, id, 'rejected', actor, decision.reason);
      return undefined;
    }
    const partner = (await partnerFacts(tx, tenantId, row.partner_id))!;
    const world = await worldAt(
      tx,
      tenantId,
      program,
      partner,
      { name: row.company_name, domain: row.company_domain },
      now,
      id,
    );
    const conflicts = detectConflicts(partner.id, { ...world, program, partner });
    const blocking = conflicts.filter((c) => c.severity === 'block');
    if (blocking.length > 0)
      return failure(
        'REGISTRATION.CONFLICTS',
        `The registration of ${row.company_name || row.company_domain} by ${row.partner_name} cannot be approved now: ${blockingWords(blocking)}`,
        409,
        blocking,
      );
    await tx.query(
      `update registrations set status = 'approved', conflicts = $3, window_start = $4, window_end = $5, decided_by = $6, decided_at = $4
        where tenant_id = $1 and id = $2`,
      [
        tenantId,
        id,
        JSON.stringify(conflicts),
        new Date(now),
        new Date(windowEnd(now, protectionDaysOf(program, partner.tier))),
        actor,
      ],
    );
    await recordDecision(tx, tenantId, id, 'approved', actor, null, conflicts);
    return undefined;
  });
}

/** One more protection period for an approved registration, up to the program's extension.max. */
export function extendRegistration(
  db: Database,
  tenantId: string,
  id: string,
  actor: string,
  clock: () => number,
): Promise<Outcome<RegistrationView>> {
  return changeRegistration(db, tenantId, id, clock, async (tx, program, row, now) => {
    if (row.status !== 'approved' || !row.window_end || row.window_end.getTime() <= now)
      return failure(
        'REGISTRATION.NOT_EXTENDABLE',
        `Only an approved registration in its window can be extended; ${id} is ${row.status}`,
        409,
      );
    if (row.extensions >= program.extension.max)
      return failure(
        'REGISTRATION.EXTENSION_LIMIT',
        `Registration ${id} has had its ${program.extension.max} extension(s)`,
        409,
      );
    await tx.query(
      'update registrations set window_end = window_end + make_interval(days => $3), extensions = extensions + 1 where tenant_id = $1 and id = $2',
      [tenantId, id, program.extension.days],
    );
    await recordDecision(tx, tenantId, id, 'extended', actor, `+${program.extension.days} days`);
    return undefined;
  });
}

/**
 * Approved registrations whose partner now has a deal on the account, created in the window, are
 * converted (linked to it); those whose window ran out without one expire. Every tenant, audited.
 */
export async function sweepRegistrations(
  db: Database,
  now: number,
): Promise<{ converted: number; expired: number }> {
  const at = new Date(now);
  return db.transaction(async (tx) => {
    const converted = await tx.query<{ tenant_id: string; id: string; deal: string }>(
      `update registrations r set status = 'converted', converted_deal_crm_id = c.deal, decided_by = 'rules', decided_at = $1
         from (select distinct on (r2.tenant_id, r2.id) r2.tenant_id, r2.id, d.crm_id as deal
                 from registrations r2
                 join deals d on d.tenant_id = r2.tenant_id and d.account_crm_id = r2.matched_account_crm_id and d.archived_at is null
                 join deal_partners dp on dp.tenant_id = d.tenant_id and dp.deal_id = d.id and dp.partner_id = r2.partner_id
                where r2.status = 'approved' and coalesce(d.crm_created_at, d.synced_at) >= r2.window_start
                  and coalesce(d.crm_created_at, d.synced_at) < r2.window_end
                order by r2.tenant_id, r2.id, coalesce(d.crm_created_at, d.synced_at), d.crm_id) c
        where r.tenant_id = c.tenant_id and r.id = c.id
        returning r.tenant_id, r.id, c.deal`,
      [at],
    );
    for (const row of converted)
      await recordDecision(tx, row.tenant_id, row.id, 'converted', 'rules', `deal ${row.deal}`);
    const expired = await tx.query<{ tenant_id: string; id: string }>(
      `update registrations set status = 'expired', decided_by = 'rules', decided_at = $1
        where status = 'approved' and window_end <= $1 returning tenant_id, id`,
      [at],
    );
    for (const row of expired)
      await recordDecision(
        tx,
        row.tenant_id,
        row.id,
        'expired',
        'rules',
        'protection window ended unconverted',
      );
    return { converted: converted.length, expired: expired.length };
  });
}
