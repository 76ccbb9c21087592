import {
  Button,
  Checkbox,
  EmptyState,
  ErrorState,
  LoadingSpinner,
  Select,
  StatisticsItem,
  StatusTag,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';

import { API_BASE, type ApiFetcher } from '../api.ts';
import { TriagePage } from '../TriagePage.tsx';
import {
  answers,
  change,
  createQueuePage,
  createRegistration,
  createSummary,
  ok,
  routeFetcher,
  textOf,
} from './fixtures.ts';

// Three days after the oldest registration of the captured queue was submitted.
const NOW = Date.parse(answers.queuePage1.items[0]!.submittedAt) + 72 * 3_600_000;

const renderTriage = (fetcher: ApiFetcher, registrationId: string | null = null) => {
  const renderer = createRenderer('pages');
  renderer.render(
    <TriagePage
      fetcher={fetcher}
      portalId={4000001}
      now={() => NOW}
      registrationId={registrationId}
    />,
  );
  return renderer;
};

const pageRoutes = (queue: Parameters<typeof routeFetcher>[0][string]) => ({
  'GET /api/v1/registrations': queue,
  'GET /api/v1/registrations/summary': ok(createSummary()),
  'GET /api/v1/partners': ok(answers.partners),
});

describe('TriagePage', () => {
  it('shows a spinner while the queue has not answered', () => {
    const { findByTestId } = renderTriage(() => new Promise(() => undefined));
    expect(findByTestId(LoadingSpinner, 'queue-loading').props.label).toBe('Loading the queue');
  });

  it('asks for the pending queue first, oldest first, a page at a time', () => {
    const fetcher = routeFetcher({});
    renderTriage(fetcher);
    expect(fetcher).toHaveBeenCalledWith(
      `${API_BASE}/api/v1/registrations?limit=20&status=pending`,
      { method: 'GET', timeout: 8000 },
    );
    expect(fetcher).toHaveBeenCalledWith(`${API_BASE}/api/v1/registrations/summary`, {
      method: 'GET',
      timeout: 8000,
    });
  });

  describe('with a page of registrations', () => {
    it('lists each with its age and where it stands against the SLA', async () => {
      const { findAll, findByTestId, waitFor } = renderTriage(
        routeFetcher(pageRoutes(ok(answers.queuePage1))),
      );
      await waitFor(() => expect(findAll(TableRow)).toHaveLength(3));
      const [, overdue, decided] = findAll(TableRow);
      const [first, second] = answers.queuePage1.items;
      expect(textOf(overdue!)).toContain(first!.company.name);
      expect(textOf(overdue!)).toContain(first!.partner.name);
      expect(textOf(overdue!)).toContain('3 days');
      expect(findByTestId(StatusTag, `sla-${first!.id}`).props.variant).toBe('danger');
      expect(findByTestId(StatusTag, `sla-${first!.id}`).text).toBe('Overdue by 24 h');
      expect(findByTestId(StatusTag, `sla-${second!.id}`).text).toBe('Rejected');
      expect(textOf(decided!)).toContain(second!.partner.name);
    });

    it('shows the counts of the summary', async () => {
      const { findAll, waitFor } = renderTriage(routeFetcher(pageRoutes(ok(answers.queuePage1))));
      await waitFor(() => expect(findAll(StatisticsItem)).toHaveLength(3));
      expect(findAll(StatisticsItem).map((item) => [item.props.label, item.props.number])).toEqual([
        ['Pending', 2],
        ['Overdue (SLA 48 h)', 1],
        ['Decided this week', 1],
      ]);
    });

    it('says how long is left when a registration is not overdue', async () => {
      const fresh = createRegistration({
        id: 'fresh',
        overdue: false,
        submittedAt: new Date(NOW - 10 * 3_600_000).toISOString(),
      });
      const { findByTestId, waitFor } = renderTriage(
        routeFetcher(pageRoutes(ok(createQueuePage({ items: [fresh], nextCursor: null })))),
      );
      await waitFor(() => expect(findByTestId(StatusTag, 'sla-fresh').text).toBe('Due in 38 h'));
    });

    it('pages forward with the cursor and back again', async () => {
      const fetcher = routeFetcher(
        pageRoutes([ok(answers.queuePage1), ok(answers.queuePage2), ok(answers.queuePage1)]),
      );
      const renderer = renderTriage(fetcher);
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Button, 'next-page')).toBeDefined(),
      );
      expect(renderer.findByTestId(Button, 'previous-page').props.disabled).toBe(true);
      renderer.findByTestId(Button, 'next-page').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Button, 'previous-page').props.disabled).toBe(false),
      );
      expect(fetcher).toHaveBeenCalledWith(
        `${API_BASE}/api/v1/registrations?limit=20&status=pending&cursor=${answers.queuePage1.nextCursor}`,
        { method: 'GET', timeout: 8000 },
      );
      expect(textOf(renderer.findByTestId(Text, 'page-number'))).toBe('Page 2');
      renderer.findByTestId(Button, 'previous-page').trigger('onClick');
      await renderer.waitFor(() =>
        expect(textOf(renderer.findByTestId(Text, 'page-number'))).toBe('Page 1'),
      );
      expect(renderer.findByTestId(Button, 'previous-page').props.disabled).toBe(true);
      expect(fetcher.mock.calls.at(-3)![0]).toBe(
        `${API_BASE}/api/v1/registrations?limit=20&status=pending`,
      );
    });
  });

  describe('filters', () => {
    it('ask again by status, partner and overdue, from the first page', async () => {
      const fetcher = routeFetcher(pageRoutes(ok(answers.queuePage1)));
      const renderer = renderTriage(fetcher);
      await renderer.waitFor(() => expect(renderer.findAll(TableRow)).toHaveLength(3));
      const partner = answers.partners.items[0]!;
      change(renderer.findByTestId(Select, 'filter-status'), 'any');
      await renderer.waitFor(() => expect(renderer.findAll(TableRow)).toHaveLength(3));
      change(renderer.findByTestId(Select, 'filter-partner'), partner.id);
      await renderer.waitFor(() => expect(renderer.findAll(TableRow)).toHaveLength(3));
      change(renderer.findByTestId(Checkbox, 'filter-overdue'), true);
      await renderer.waitFor(() =>
        expect(fetcher).toHaveBeenCalledWith(
          `${API_BASE}/api/v1/registrations?limit=20&overdue=true&partnerId=${partner.id}`,
          { method: 'GET', timeout: 8000 },
        ),
      );
      expect(
        renderer.findByTestId(Select, 'filter-partner').props.options.map((o) => o.label),
      ).toContain(partner.name);
    });
  });

  describe('when nothing matches', () => {
    it('says so instead of an empty table', async () => {
      const { find, maybeFind, waitFor } = renderTriage(
        routeFetcher(pageRoutes(ok(createQueuePage({ items: [], nextCursor: null })))),
      );
      await waitFor(() => expect(find(EmptyState).props.title).toBe('Nothing waits here'));
      expect(maybeFind(TableRow)).toBeNull();
    });
  });

  describe('when the queue cannot be loaded', () => {
    it("shows the service's message and retries on request", async () => {
      const fetcher = routeFetcher(
        pageRoutes([
          {
            status: 503,
            body: { error: { code: 'SERVICE.UNAVAILABLE', message: 'The database is restarting' } },
          },
          ok(answers.queuePage1),
        ]),
      );
      const renderer = renderTriage(fetcher);
      await renderer.waitFor(() =>
        expect(textOf(renderer.find(ErrorState))).toContain('The database is restarting'),
      );
      renderer.find(ErrorState).find(Button).trigger('onClick');
      await renderer.waitFor(() => expect(renderer.findAll(TableRow)).toHaveLength(3));
    });

    it('treats a malformed answer as an error, not as data', async () => {
      const { find, waitFor } = renderTriage(routeFetcher(pageRoutes(ok({ items: [{ id: 1 }] }))));
      await waitFor(() =>
        expect(find(ErrorState).props.title).toBe('PartnerLens could not load the queue'),
      );
    });
  });
});
