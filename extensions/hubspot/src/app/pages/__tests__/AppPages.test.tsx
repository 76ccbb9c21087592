import { Flex, Link, Tile } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';

import { createAppPages } from '../AppPages.tsx';
import {
  answers,
  createMergeCandidate,
  createRegistrationDetail,
  createSummary,
  ok,
  routeFetcher,
} from './fixtures.ts';

const detail = createRegistrationDetail();
const fetcher = () =>
  routeFetcher({
    'GET /api/v1/registrations': ok(answers.queuePage1),
    'GET /api/v1/registrations/summary': ok(createSummary()),
    'GET /api/v1/partners': ok(answers.partners),
    [`GET /api/v1/registrations/${detail.id}`]: ok(detail),
    'GET /api/v1/partners/merge-candidates': ok({ items: [createMergeCandidate()] }),
  });

const renderAt = (path: string, params: Record<string, string> = {}) => {
  const AppPages = createAppPages(fetcher());
  const renderer = createRenderer('pages');
  renderer.mocks.setPageLocation({ path, params });
  renderer.render(<AppPages />);
  return renderer;
};

describe('the app pages', () => {
  it("open the deal card's registration in the triage page, with the portal's record links", async () => {
    const renderer = renderAt('/', { registration: detail.id });
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Flex, 'registration-panel')).toBeDefined(),
    );
    const portalId = renderer.mocks.context.portal.id;
    expect(renderer.findByTestId(Link, 'matched-account').props.href).toEqual({
      url: `https://app.hubspot.com/contacts/${portalId}/record/0-2/${detail.matchedAccountId}`,
      external: true,
    });
  });

  it('show the merge candidates at /merge-candidates', async () => {
    const renderer = renderAt('/merge-candidates');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Tile, `candidate-${createMergeCandidate().id}`)).toBeDefined(),
    );
  });
});
