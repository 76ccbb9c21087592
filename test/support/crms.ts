import { hubspotAdapter } from '../../server/crm/hubspot/adapter';
import type { HubSpotApp } from '../../server/crm/hubspot/credentials';
import { CrmRegistry } from '../../server/crm/port';
import { salesforceAdapter } from '../../server/crm/salesforce/adapter';
import type { SalesforceApp } from '../../server/crm/salesforce/credentials';
import type { Queryable } from '../../server/db/database';
import type { CryptoBox } from '../../server/lib/crypto-box';

/** The CRM registry with the HubSpot adapter only, pointed at a local HubSpot. */
export const hubspotCrms = (db: Queryable, box: CryptoBox, hubspot: HubSpotApp) =>
  new CrmRegistry([hubspotAdapter({ db, box, hubspot, now: Date.now })]);

/** The CRM registry with the Salesforce adapter, pointed at a local Salesforce. */
export const salesforceCrms = (
  db: Queryable,
  box: CryptoBox,
  salesforce: SalesforceApp,
  options: { bulkThreshold?: number; backoffMs?: number } = {},
) =>
  new CrmRegistry([
    salesforceAdapter({
      db,
      box,
      salesforce,
      ...(options.bulkThreshold !== undefined ? { bulkThreshold: options.bulkThreshold } : {}),
      limits: { backoffMs: options.backoffMs ?? 20 },
    }),
  ]);
