import type { Program } from '../../src/program/program';
import type { CrmKind } from '../crm/port';
import type { CrmTask } from '../crm/tasks';
import type { RegistrationFacts, TaskTenant } from './sla-task-rows';

/** Where the registration links go. */
export interface TaskLinkSettings {
  /** The HubSpot app's id (the developer project's app); without it HubSpot tasks say where in words. */
  hubspotAppId?: string | undefined;
  /** HubSpot's app domain: https://app.hubspot.com (EU portals are redirected to app-eu1 by HubSpot). */
  hubspotAppUrl?: string;
}

/** The API name of the Salesforce triage tab (extensions/salesforce/…/tabs/PartnerLens_Triage). */
export const SALESFORCE_TRIAGE_TAB = 'PartnerLens_Triage';

/**
 * The registration's page in the CRM the task is in: HubSpot's app page with `?registration=`
 * (the triage page opens it, docs/hubspot-screens.md), Salesforce's triage tab with
 * `c__registration` (Lightning passes only namespaced state to a tab).
 */
export function registrationLink(
  tenant: TaskTenant,
  crm: CrmKind,
  registrationId: string,
  settings: TaskLinkSettings,
): CrmTask['link'] {
  const label = 'Open the registration in PartnerLens';
  const id = encodeURIComponent(registrationId);
  if (crm === 'hubspot') {
    const portalId = tenant.crms.get('hubspot')?.externalId;
    if (settings.hubspotAppId && portalId)
      return {
        url: `${settings.hubspotAppUrl ?? 'https://app.hubspot.com'}/app/${portalId}/${settings.hubspotAppId}?registration=${id}`,
        label,
      };
    return {
      words: `Open PartnerLens in HubSpot (Marketplace apps → PartnerLens), registration ${registrationId}.`,
    };
  }
  const instanceUrl = tenant.crms.get('salesforce')?.instanceUrl;
  if (instanceUrl)
    return {
      url: `${instanceUrl.replace(/\/$/, '')}/lightning/n/${SALESFORCE_TRIAGE_TAB}?c__registration=${id}`,
      label,
    };
  return { words: `Open the Partner Triage tab in Salesforce, registration ${registrationId}.` };
}

/**
 * The CRM a registration's task goes to: the one its matched account's mirror record came from,
 * when that CRM is connected (otherwise it waits). A new logo has no account: Salesforce when the
 * tenant has it (its sales team works there when both are connected), else HubSpot.
 */
export function taskCrm(facts: RegistrationFacts, connected: Set<CrmKind>): CrmKind | null {
  if (facts.account_crm) return connected.has(facts.account_crm) ? facts.account_crm : null;
  if (connected.has('salesforce')) return 'salesforce';
  return connected.has('hubspot') ? 'hubspot' : null;
}

const SUBJECT_MAX = 255;

export function taskSubject(facts: RegistrationFacts, marker: string): string {
  const company = facts.company_name || facts.company_domain || 'a company';
  const words = `Decide ${facts.partner_name}'s registration of ${company}`;
  const room = SUBJECT_MAX - marker.length - 3;
  return `${words.length > room ? `${words.slice(0, room - 1)}…` : words} [${marker}]`;
}

export function taskSummary(facts: RegistrationFacts, dueAt: Date): string {
  const company = facts.company_name || facts.company_domain || 'a company';
  return `${facts.partner_name} registered ${company}; it is due for a decision by ${dueAt.toISOString()}.`;
}

const OUTCOME: Record<string, string> = {
  approved: 'approved',
  rejected: 'rejected',
  converted: 'approved, and has since been converted',
  expired: 'approved, and its protection has since expired',
};

export const outcomeSummary = (status: string, decidedBy: string | null) =>
  `The registration was ${OUTCOME[status] ?? status}${decidedBy ? ` by ${decidedBy}` : ''}.`;

/** The owner the admin mapped for the partner's manager in this CRM, else its fallback owner. */
export function mappedOwner(program: Program, crm: CrmKind, manager: string | null) {
  const owners = crm === 'hubspot' ? program.slaTasks : program.slaTasks.salesforce;
  return {
    mapped: (manager ? owners.ownersByManager[manager] : undefined) ?? null,
    fallback: owners.fallbackOwnerId ?? null,
  };
}
