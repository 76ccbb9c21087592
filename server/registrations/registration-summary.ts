import { UTCDate } from '@date-fns/utc';
import { startOfISOWeek } from 'date-fns';

import type { Queryable } from '../db/database';

interface SummaryRow {
  pending: string;
  overdue: string;
  oldest_pending_at: Date | null;
  approved: string;
  rejected: string;
}

/**
 * The triage page's header: what waits, what waits past the SLA, and what was decided since
 * Monday 00:00 UTC (ISO week), by a person or by the program's rules. An approval is dated by its
 * window's start (a later conversion or expiry re-dates `decided_at`, never the window).
 */
export async function registrationSummary(
  db: Queryable,
  tenantId: string,
  now: number,
  slaHours: number,
) {
  const weekStart = startOfISOWeek(new UTCDate(now));
  const [row] = await db.query<SummaryRow>(
    `select count(*) filter (where status = 'pending')::text as pending,
            count(*) filter (where status = 'pending' and submitted_at < $2)::text as overdue,
            min(submitted_at) filter (where status = 'pending') as oldest_pending_at,
            count(*) filter (where status in ('approved', 'converted', 'expired')
                               and window_start >= $3 and window_start <= $4)::text as approved,
            count(*) filter (where status = 'rejected' and decided_at >= $3 and decided_at <= $4)::text as rejected
       from registrations where tenant_id = $1`,
    [tenantId, new Date(now - slaHours * 3_600_000), weekStart, new Date(now)],
  );
  const approved = Number(row!.approved);
  const rejected = Number(row!.rejected);
  return {
    pending: Number(row!.pending),
    overdue: Number(row!.overdue),
    oldestPendingAt: row!.oldest_pending_at?.toISOString() ?? null,
    decidedThisWeek: { approved, rejected, total: approved + rejected },
    weekStart: weekStart.toISOString(),
    approvalSlaHours: slaHours,
  };
}

export type RegistrationSummary = Awaited<ReturnType<typeof registrationSummary>>;
