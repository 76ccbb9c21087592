import { createHash } from 'node:crypto';

import type { CrmKind } from './port';

/**
 * A CRM task asking a person to decide a registration, in words each CRM renders its own way
 * (HubSpot's task body is HTML, Salesforce's Description plain text).
 */
export interface CrmTask {
  /** The reference the task carries in its subject, so a retry can find it (registrationMarker). */
  marker: string;
  subject: string;
  /** What happened and what is asked, in sentences. */
  summary: string;
  /** Where the registration opens; without it the task says where to look in words. */
  link: { url: string; label: string } | { words: string };
  dueAt: Date;
  /** The CRM's owner (HubSpot owner id, Salesforce User id); the CRM's default when null. */
  ownerId: string | null;
  /** The account the task is about, in that CRM (a HubSpot company id, a Salesforce Account id). */
  accountId: string | null;
}

/** What became of the registration, for the task's closing words. */
export interface TaskOutcome {
  summary: string;
  link: CrmTask['link'];
}

/** What the SLA sweep needs of a tenant's CRM. */
export interface TaskWriter {
  readonly crm: CrmKind;
  /** The task a previous attempt made with this marker, if the CRM has it. */
  findByMarker(marker: string): Promise<string | null>;
  create(task: CrmTask): Promise<string>;
  /**
   * Deletes a task this service made that turned out to be a second one (an attempt that outlived
   * its lease while another attempt recorded its task); nothing when the CRM no longer has it.
   */
  remove(taskId: string): Promise<void>;
  /** Marks the task done with the outcome; `gone` when the CRM no longer has it (a user deleted it). */
  complete(taskId: string, outcome: TaskOutcome): Promise<'completed' | 'gone'>;
  /** The CRM owner of a partner manager the admin did not map, if the CRM can tell (by name). */
  ownerNamed?(manager: string): Promise<string | null>;
}

/**
 * The marker of a registration's task: deterministic (the same on every retry, in every process),
 * one token of letters and digits so HubSpot's CONTAINS_TOKEN and SOQL's LIKE both find it whole.
 */
export const registrationMarker = (registrationId: string) =>
  `PL${createHash('md5').update(registrationId).digest('hex').slice(0, 16)}`;

const MARKER = /^PL[0-9a-f]{16}$/;

/**
 * The marker as a CRM search may take it: exactly registrationMarker's shape. Salesforce's LIKE
 * (SOQL, written as text) and HubSpot's CONTAINS_TOKEN (`*` a wildcard) would read anything else
 * as a query of its own.
 */
export function searchableMarker(marker: string): string {
  if (!MARKER.test(marker)) throw new Error(`Not a registration marker: ${JSON.stringify(marker)}`);
  return marker;
}
