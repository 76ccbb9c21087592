import { Flex, hubspot, useExtensionContext } from '@hubspot/ui-extensions';
import {
  createPageRouter,
  PageLink,
  PageRoutes,
  PageTitle,
  usePageRoute,
} from '@hubspot/ui-extensions/pages';
import type { ReactNode } from 'react';

import type { ApiFetcher } from './api.ts';
import { MergeCandidatesPage } from './MergeCandidatesPage.tsx';
import { TriagePage } from './TriagePage.tsx';

// hubspot.fetch signs the call (signature v3) and adds portalId, which the service uses as the tenant.
const fetcher: ApiFetcher = (url, options) => hubspot.fetch(url, options);

const Layout = ({ children }: { children: ReactNode }) => (
  <Flex direction="column" gap="md">
    <Flex direction="row" gap="md">
      <PageLink to="/">Registrations</PageLink>
      <PageLink to="/merge-candidates">Merge candidates</PageLink>
    </Flex>
    {children}
  </Flex>
);

/** The queue; `?registration=<id>` (the deal card's link) opens that registration. */
const Triage = () => {
  const context = useExtensionContext<'pages'>();
  const { params } = usePageRoute();
  return (
    <>
      <PageTitle>Registrations</PageTitle>
      <TriagePage
        fetcher={fetcher}
        portalId={context.portal.id}
        registrationId={params.registration ?? null}
      />
    </>
  );
};

const MergeCandidates = () => (
  <>
    <PageTitle>Merge candidates</PageTitle>
    <MergeCandidatesPage fetcher={fetcher} />
  </>
);

const PageRouter = createPageRouter(
  <PageRoutes layoutComponent={Layout}>
    <PageRoutes.IndexRoute component={Triage} id="triage" />
    <PageRoutes.Route path="/merge-candidates" component={MergeCandidates} id="merge-candidates" />
    <PageRoutes.AnyRoute component={Triage} />
  </PageRoutes>,
);

hubspot.extend<'pages'>(() => <PageRouter />);
