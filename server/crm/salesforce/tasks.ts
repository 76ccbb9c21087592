import { z } from 'zod';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { CrmWriteError } from '../port';
import { type CrmTask, searchableMarker, type TaskOutcome, type TaskWriter } from '../tasks';
import { openOrgSession, type SalesforceApp } from './credentials';
import { DEFAULT_LIMITS, type LimitSettings, OrgApi } from './limits';

const idRow = z.object({ Id: z.string().min(15) });
const statusRow = z.object({
  ApiName: z.string().min(1),
  IsClosed: z.boolean(),
  IsDefault: z.boolean(),
});
const priorityRow = z.object({
  ApiName: z.string().min(1),
  IsHighPriority: z.boolean(),
});

/** The Task picklist values an org uses (admins rename and add them), read once per sweep. */
interface TaskValues {
  open: string;
  closed: string;
  high: string;
}

const rows = <T>(schema: z.ZodType<T>, records: unknown[]) =>
  records.flatMap((r) => {
    const parsed = schema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });

/**
 * The org's default open status, its first closed status and its high priority, from the
 * TaskStatus and TaskPriority value objects; a new org's values where the org says nothing.
 */
async function taskValues(api: OrgApi): Promise<TaskValues> {
  const statuses = rows(
    statusRow,
    (
      await api.call(() =>
        api.conn.query('SELECT ApiName, IsClosed, IsDefault FROM TaskStatus ORDER BY SortOrder'),
      )
    ).records,
  );
  const priorities = rows(
    priorityRow,
    (
      await api.call(() =>
        api.conn.query('SELECT ApiName, IsHighPriority FROM TaskPriority ORDER BY SortOrder'),
      )
    ).records,
  );
  return {
    open:
      statuses.find((s) => s.IsDefault && !s.IsClosed)?.ApiName ??
      statuses.find((s) => !s.IsClosed)?.ApiName ??
      'Not Started',
    closed: statuses.find((s) => s.IsClosed)?.ApiName ?? 'Completed',
    high: priorities.find((p) => p.IsHighPriority)?.ApiName ?? 'High',
  };
}

/** Salesforce's Description is plain text; Lightning shows the URL on its own line as a link. */
export function taskDescription(summary: string, link: CrmTask['link']): string {
  return `${summary}\n\n${'url' in link ? `${link.label}: ${link.url}` : link.words}`;
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors: Array<string | { errorCode?: string; statusCode?: string; message: string }>;
}

const refusal = (result: SaveResult) =>
  result.errors
    .map((e) => (typeof e === 'string' ? e : `${e.errorCode ?? e.statusCode ?? ''}: ${e.message}`))
    .join('; ');

/** jsforce throws for an error answer of one record; its code and words are kept. */
async function save(request: () => Promise<SaveResult>): Promise<SaveResult> {
  try {
    return await request();
  } catch (error) {
    const e = error as { errorCode?: string; name?: string; message?: string };
    if (typeof e.errorCode !== 'string') throw error;
    return {
      success: false,
      errors: [{ errorCode: e.errorCode ?? e.name ?? '', message: e.message ?? '' }],
    };
  }
}

const GONE = /ENTITY_IS_DELETED|NOT_FOUND|INVALID_CROSS_REFERENCE_KEY/;

/** A tenant's org as a TaskWriter, through jsforce on its stored tokens. */
export function salesforceTaskWriters(deps: {
  db: Queryable;
  box: CryptoBox;
  salesforce: SalesforceApp;
  limits?: Partial<LimitSettings>;
}) {
  return async (tenantId: string): Promise<TaskWriter> => {
    const session = await openOrgSession(deps.db, deps.box, deps.salesforce, tenantId);
    const api = new OrgApi(session, { ...DEFAULT_LIMITS, ...deps.limits });
    let values: Promise<TaskValues> | undefined;
    const valuesOf = () => (values ??= taskValues(api));
    const tasks = () => api.conn.sobject('Task');
    return {
      crm: 'salesforce',
      async findByMarker(marker) {
        // Only registrationMarker's letters and digits reach the SOQL: nothing to escape in LIKE.
        const like = searchableMarker(marker);
        const found = await api.call(() =>
          api.conn.query(
            `SELECT Id FROM Task WHERE Subject LIKE '%${like}%' ORDER BY CreatedDate LIMIT 1`,
          ),
        );
        return rows(idRow, found.records)[0]?.Id ?? null;
      },
      async create(task: CrmTask) {
        const { open, high } = await valuesOf();
        const result = await save(() =>
          api.call(
            () =>
              tasks().create({
                Subject: task.subject,
                Description: taskDescription(task.summary, task.link),
                ActivityDate: task.dueAt.toISOString().slice(0, 10),
                Status: open,
                Priority: high,
                ...(task.accountId ? { WhatId: task.accountId } : {}),
                ...(task.ownerId ? { OwnerId: task.ownerId } : {}),
              }) as Promise<SaveResult>,
          ),
        );
        if (!result.success || !result.id)
          throw new CrmWriteError(`Salesforce refused the task: ${refusal(result)}`);
        return result.id;
      },
      async remove(taskId: string) {
        const result = await save(
          () => api.call(() => tasks().destroy(taskId)) as Promise<SaveResult>,
        );
        if (!result.success && !GONE.test(refusal(result)))
          throw new CrmWriteError(`Salesforce refused to delete the task: ${refusal(result)}`);
      },
      async complete(taskId: string, outcome: TaskOutcome) {
        const { closed } = await valuesOf();
        const result = await save(() =>
          api.call(
            () =>
              tasks().update({
                Id: taskId,
                Status: closed,
                Description: taskDescription(outcome.summary, outcome.link),
              }) as Promise<SaveResult>,
          ),
        );
        if (result.success) return 'completed';
        if (GONE.test(refusal(result))) return 'gone';
        throw new CrmWriteError(`Salesforce refused to complete the task: ${refusal(result)}`);
      },
      async ownerNamed(manager: string) {
        // jsforce writes the condition and escapes the name; two users of one name decide nothing.
        const found = await api.call(() =>
          api.conn.sobject('User').find({ Name: manager, IsActive: true }, ['Id'], { limit: 2 }),
        );
        const users = rows(idRow, found as unknown[]);
        return users.length === 1 ? users[0]!.Id : null;
      },
    };
  };
}
