import { Flex, useExtensionContext } from '@hubspot/ui-extensions';
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

const Layout = ({ children }: { children: ReactNode }) => (
  <Flex direction="column" gap="md">
    <Flex direction="row" gap="md">
      <PageLink to="/">Registrations</PageLink>
      <PageLink to="/merge-candidates">Merge candidates</PageLink>
    </Flex>
    {children}
  </Flex>
);

/** The app's pages on one fetcher: `/` the triage queue, `/merge-candidates`. */
export function createAppPages(fetcher: ApiFetcher) {
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

  return createPageRouter(
    <PageRoutes layoutComponent={Layout}>
      <PageRoutes.IndexRoute component={Triage} id="triage" />
      <PageRoutes.Route
        path="/merge-candidates"
        component={MergeCandidates}
        id="merge-candidates"
      />
      <PageRoutes.AnyRoute component={Triage} />
    </PageRoutes>,
  );
}
