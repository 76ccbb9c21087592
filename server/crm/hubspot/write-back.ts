import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec';

import type { Queryable } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { hubspotAccessToken, type HubSpotApp, hubspotClient } from './credentials';
import { PARTNER_ROLE_BY_LABEL, type PartnerRole } from './partner-roles';

/** Writes what PartnerLens decides back to the CRM the tenant lives in. */
export interface CrmWriter {
  /**
   * The tenant's CRM, ready to write: its credentials are read (and refreshed) here, so call it
   * before opening the transaction the write belongs to (that transaction holds the connection).
   */
  open(tenantId: string): Promise<CrmWriteSession>;
}

export interface CrmWriteSession {
  /** Puts a partner on a deal in the CRM: the deal associated with the partner's company, labelled with the role. */
  attachPartner(link: {
    dealCrmId: string;
    companyCrmId: string;
    role: PartnerRole;
  }): Promise<void>;
}

export class CrmWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrmWriteError';
  }
}

const LABEL_BY_ROLE = Object.fromEntries(
  Object.entries(PARTNER_ROLE_BY_LABEL).map(([label, role]) => [role, label]),
) as Record<PartnerRole, string>;

/** HubSpot through its official client: v4 association labels and the v4 association create. */
export function hubspotWriter(deps: {
  db: Queryable;
  box: CryptoBox;
  hubspot: HubSpotApp;
  now: () => number;
}): CrmWriter {
  return {
    async open(tenantId) {
      const token = await hubspotAccessToken(deps.db, deps.box, deps.hubspot, tenantId, deps.now());
      const client = hubspotClient(deps.hubspot, token);
      return { attachPartner: (link) => attachWithLabel(client, link) };
    },
  };
}

async function attachWithLabel(
  client: Client,
  link: { dealCrmId: string; companyCrmId: string; role: PartnerRole },
): Promise<void> {
  const labels = await client.crm.associations.v4.schema.definitionsApi.getAll(
    'deals',
    'companies',
  );
  const label = LABEL_BY_ROLE[link.role];
  const type = labels.results.find((t) => t.label === label);
  if (!type)
    throw new CrmWriteError(
      `The portal has no "${label}" deal→company label; reinstall PartnerLens to create it`,
    );
  await client.crm.associations.v4.basicApi.create(
    'deals',
    link.dealCrmId,
    'companies',
    link.companyCrmId,
    [
      {
        associationCategory: type.category as unknown as AssociationSpecAssociationCategoryEnum,
        associationTypeId: type.typeId,
      },
    ],
  );
}
