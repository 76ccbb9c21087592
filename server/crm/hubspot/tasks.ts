import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/models/AssociationSpec';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { hubspotAccessToken, type HubSpotApp, hubspotClient } from './credentials';
import { limiterForPortal, withRetries } from './rate-limiter';

/** HubSpot-defined association type of a task with a company. */
const TASK_TO_COMPANY = 192;

export interface CrmTask {
  subject: string;
  body: string;
  dueAt: Date;
  ownerId: string | null;
  companyId: string | null;
}

/** What the SLA sweep needs of a tenant's CRM: tasks created and completed. */
export interface TaskWriter {
  create(task: CrmTask): Promise<string>;
  complete(taskId: string, note: string): Promise<void>;
}

/** A tenant's portal as a TaskWriter, on its access token (refreshed when due). */
export function hubspotTaskWriters(deps: {
  db: Queryable;
  box: CryptoBox;
  hubspot: HubSpotApp;
  now: () => number;
}) {
  return async (tenantId: string): Promise<TaskWriter> => {
    const { token, portalId } = await hubspotAccessToken(
      deps.db,
      deps.box,
      deps.hubspot,
      tenantId,
      deps.now(),
    );
    const client = hubspotClient(deps.hubspot, token, limiterForPortal(portalId ?? tenantId));
    return {
      create: (task) => createHubSpotTask(client, task),
      complete: (taskId, note) => completeHubSpotTask(client, taskId, note),
    };
  };
}

/** Creates a task through the official client (CRM v3 objects), linked to its company. */
export async function createHubSpotTask(client: Client, task: CrmTask): Promise<string> {
  const created = await withRetries(client, (options) =>
    client.crm.objects.tasks.basicApi.create(
      {
        properties: {
          hs_task_subject: task.subject,
          hs_task_body: task.body,
          hs_timestamp: task.dueAt.toISOString(),
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: 'HIGH',
          ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
        },
        associations: task.companyId
          ? [
              {
                to: { id: task.companyId },
                types: [
                  {
                    associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
                    associationTypeId: TASK_TO_COMPANY,
                  },
                ],
              },
            ]
          : [],
      },
      options,
    ),
  );
  return created.id;
}

/** Marks a task done, with what became of the registration in its body. */
export async function completeHubSpotTask(client: Client, taskId: string, note: string) {
  await withRetries(client, (options) =>
    client.crm.objects.tasks.basicApi.update(
      taskId,
      { properties: { hs_task_status: 'COMPLETED', hs_task_body: note } },
      undefined,
      options,
    ),
  );
}
