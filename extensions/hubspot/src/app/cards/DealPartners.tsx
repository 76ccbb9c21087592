import { hubspot } from '@hubspot/ui-extensions';

import { DealPartnersCard } from './DealPartnersCard.tsx';

// hubspot.fetch signs the call (signature v3) and adds portalId, which the service uses as the tenant.
hubspot.extend<'crm.record.tab'>(({ context }) => (
  <DealPartnersCard
    dealId={String(context.crm.objectId)}
    fetcher={(url, options) => hubspot.fetch(url, options)}
  />
));
