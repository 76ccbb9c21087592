import type { Queryable } from './database';

export interface AuditEvent {
  tenantId: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Queryable, event: AuditEvent): Promise<void> {
  await db.query(
    'insert into audit_events (tenant_id, actor, action, subject_type, subject_id, details) values ($1, $2, $3, $4, $5, $6)',
    [
      event.tenantId,
      event.actor,
      event.action,
      event.subjectType,
      event.subjectId,
      JSON.stringify(event.details ?? {}),
    ],
  );
}
