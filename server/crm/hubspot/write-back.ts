import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec';

import { CrmWriteError, type PartnerRole } from '../port';
import { PARTNER_ROLE_BY_LABEL } from './partner-roles';
import { withRetries } from './rate-limiter';

const LABEL_BY_ROLE = Object.fromEntries(
  Object.entries(PARTNER_ROLE_BY_LABEL).map(([label, role]) => [role, label]),
) as Record<PartnerRole, string>;

/**
 * Puts a partner on a HubSpot deal: the deal associated with the partner's company under the
 * role's label (v4 association labels, then the v4 association create), through the official client.
 */
export async function attachWithLabel(
  client: Client,
  link: { dealCrmId: string; companyCrmId: string; role: PartnerRole },
): Promise<void> {
  const labels = await withRetries(client, (options) =>
    client.crm.associations.v4.schema.definitionsApi.getAll('deals', 'companies', options),
  );
  const label = LABEL_BY_ROLE[link.role];
  const type = labels.results.find((t) => t.label === label);
  if (!type)
    throw new CrmWriteError(
      `The portal has no "${label}" deal→company label; reinstall PartnerLens to create it`,
    );
  await withRetries(client, (options) =>
    client.crm.associations.v4.basicApi.create(
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
      options,
    ),
  );
}
