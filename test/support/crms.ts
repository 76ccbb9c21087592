import { hubspotAdapter } from '../../server/crm/hubspot/adapter';
import type { HubSpotApp } from '../../server/crm/hubspot/credentials';
import { CrmRegistry } from '../../server/crm/port';
import type { Queryable } from '../../server/db/database';
import type { CryptoBox } from '../../server/lib/crypto-box';

/** The CRM registry with the HubSpot adapter only, pointed at a local HubSpot. */
export const hubspotCrms = (db: Queryable, box: CryptoBox, hubspot: HubSpotApp) =>
  new CrmRegistry([hubspotAdapter({ db, box, hubspot, now: Date.now })]);
