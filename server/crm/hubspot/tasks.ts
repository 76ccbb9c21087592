import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/models/AssociationSpec';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/models/Filter';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { escapeHtml } from '../../lib/escape-html';
import { type CrmTask, searchableMarker, type TaskOutcome, type TaskWriter } from '../tasks';
import { hubspotAccessToken, type HubSpotApp, hubspotClient } from './credentials';
import { limiterForPortal, withRetries } from './rate-limiter';

/** HubSpot-defined association type of a task with a company. */
const TASK_TO_COMPANY = 192;

/** A task's body is HTML in HubSpot: the summary as a paragraph, the link as an anchor. */
export function taskBodyHtml(summary: string, link: CrmTask['link']): string {
  const where =
    'url' in link
      ? `<a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a>`
      : escapeHtml(link.words);
  return `<p>${escapeHtml(summary)}</p><p>${where}</p>`;
}

const statusOf = (error: unknown) =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

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
      crm: 'hubspot',
      findByMarker: (marker) => findHubSpotTask(client, marker),
      create: (task) => createHubSpotTask(client, task),
      remove: (taskId) => removeHubSpotTask(client, taskId),
      complete: (taskId, outcome) => completeHubSpotTask(client, taskId, outcome),
    };
  };
}

/**
 * The task whose subject carries the marker, through the CRM search API (CONTAINS_TOKEN on
 * hs_task_subject). HubSpot's search index trails a write by a few seconds; the sweep retries a
 * row only after its lease, minutes later.
 */
export async function findHubSpotTask(client: Client, marker: string): Promise<string | null> {
  const token = searchableMarker(marker);
  const found = await withRetries(client, (options) =>
    client.crm.objects.tasks.searchApi.doSearch(
      {
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'hs_task_subject',
                operator: FilterOperatorEnum.ContainsToken,
                value: token,
              },
            ],
          },
        ],
        properties: ['hs_task_subject'],
        sorts: ['hs_createdate'],
        limit: 10,
      },
      options,
    ),
  );
  // The token is matched whole; a subject that merely contains it in a longer word is not ours.
  const ours = found.results.filter((task) =>
    (task.properties.hs_task_subject ?? '').split(/[^A-Za-z0-9]+/).includes(marker),
  );
  return ours[0]?.id ?? null;
}

/** Creates a task through the official client (CRM v3 objects), linked to its company. */
export async function createHubSpotTask(client: Client, task: CrmTask): Promise<string> {
  const created = await withRetries(client, (options) =>
    client.crm.objects.tasks.basicApi.create(
      {
        properties: {
          hs_task_subject: task.subject,
          hs_task_body: taskBodyHtml(task.summary, task.link),
          hs_timestamp: task.dueAt.toISOString(),
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: 'HIGH',
          ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
        },
        associations: task.accountId
          ? [
              {
                to: { id: task.accountId },
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
export async function completeHubSpotTask(
  client: Client,
  taskId: string,
  outcome: TaskOutcome,
): Promise<'completed' | 'gone'> {
  try {
    await withRetries(client, (options) =>
      client.crm.objects.tasks.basicApi.update(
        taskId,
        {
          properties: {
            hs_task_status: 'COMPLETED',
            hs_task_body: taskBodyHtml(outcome.summary, outcome.link),
          },
        },
        undefined,
        options,
      ),
    );
    return 'completed';
  } catch (error) {
    if (statusOf(error) === 404) return 'gone';
    throw error;
  }
}

/** Archives a task (HubSpot's delete); one already gone is left so. */
export async function removeHubSpotTask(client: Client, taskId: string): Promise<void> {
  try {
    await withRetries(client, (options) =>
      client.crm.objects.tasks.basicApi.archive(taskId, options),
    );
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}
