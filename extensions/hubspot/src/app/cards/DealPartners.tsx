import { hubspot } from '@hubspot/ui-extensions';

import { DealPartnersCard } from './DealPartnersCard.tsx';

// hubspot.fetch signs the call (signature v3) and adds portalId, which the service uses as the tenant.
// A pending registration opens in the app pages' triage (Pages.tsx reads ?registration=).
hubspot.extend<'crm.record.tab'>(({ context, actions }) => (
  <DealPartnersCard
    dealId={String(context.crm.objectId)}
    fetcher={(url, options) => hubspot.fetch(url, options)}
    onOpenTriage={(registrationId) =>
      actions.navigateToPage({ to: '/', params: { registration: registrationId } })
    }
  />
));
