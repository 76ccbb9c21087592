import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  Table,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';

import { API_BASE, type CardFetcher } from '../card-api.ts';
import { DealPartnersCard } from '../DealPartnersCard.tsx';
import {
  createDealCard,
  createPartner,
  createRegistration,
  createSuggestion,
  respondWith,
  textOf,
} from './fixtures.ts';

const renderCard = (fetcher: CardFetcher) => {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<DealPartnersCard dealId="123" fetcher={fetcher} />);
  return renderer;
};

describe('DealPartnersCard', () => {
  it('shows a spinner while the card API has not answered', () => {
    const { findByTestId, maybeFind } = renderCard(() => new Promise(() => undefined));
    expect(findByTestId(LoadingSpinner, 'card-loading').props.label).toBe('Loading partners');
    expect(maybeFind(Table)).toBeNull();
  });

  it("asks the card API for this deal's card", () => {
    const fetcher = jest.fn<ReturnType<CardFetcher>, Parameters<CardFetcher>>(
      () => new Promise(() => undefined),
    );
    renderCard(fetcher);
    expect(fetcher).toHaveBeenCalledWith(`${API_BASE}/api/v1/deals/123/card`, {
      method: 'GET',
      timeout: 8000,
    });
  });

  describe('when the deal has partners', () => {
    it('lists each partner with its type, tier and role', async () => {
      const card = createDealCard({
        partners: [
          createPartner(),
          createPartner({
            id: 'p2',
            name: 'Fabrikam Integrators',
            type: 'system_integrator',
            tier: 'silver',
            role: 'influenced',
            sharePct: 50,
          }),
        ],
      });
      const { findAll, find, waitFor } = renderCard(() => respondWith(200, card));
      await waitFor(() => expect(findAll(TableRow)).toHaveLength(3));
      const [, first, second] = findAll(TableRow);
      expect(textOf(first!)).toContain('Northwind Cloud Partners');
      expect(first!.find(Tag).props.variant).toBe('success');
      expect(textOf(second!)).toContain('System integrator');
      expect(textOf(second!)).toContain('Influenced (50 %)');
      expect(second!.find(Tag).text).toBe('Silver');
      expect(find(Text, { variant: 'microcopy' }).text).toBe('Account: Acme Corp');
    });
  });

  describe('commission previews', () => {
    it('say what each partner would earn if the deal closed, or why they cannot', async () => {
      const card = createDealCard({
        partners: [
          createPartner({
            commission: {
              basis: 'preview',
              amount: { amount: '3750.00', currency: 'USD' },
              explanation:
                'If this closes at 12,500.00 USD, Northwind Cloud Partners earns 3,750.00 USD: 30 % gold reseller.',
            },
          }),
          createPartner({
            id: 'p2',
            name: 'New Partner',
            type: null,
            role: 'influenced',
            commission: { error: { code: 'RATE.NOT_FOUND', message: 'no rate row' } },
          }),
        ],
      });
      const { findAll, waitFor } = renderCard(() => respondWith(200, card));
      await waitFor(() =>
        expect(
          findAll(Text, (node) => String(node.props.testId).startsWith('commission-preview-')),
        ).toHaveLength(2),
      );
      const [first, second] = findAll(Text, (node) =>
        String(node.props.testId).startsWith('commission-preview-'),
      );
      expect(first!.text).toBe(
        'If this closes at 12,500.00 USD, Northwind Cloud Partners earns 3,750.00 USD: 30 % gold reseller.',
      );
      expect(second!.text).toBe('New Partner: no commission preview (no rate row).');
      expect(textOf(findAll(TableRow)[2]!)).toContain('Unclassified');
    });
  });

  describe('when a partner has registered the account', () => {
    it('says who holds it and for how long, and warns of the partners it clashes with', async () => {
      const card = createDealCard({
        registrations: [
          createRegistration({
            conflicts: [
              {
                kind: 'holder_not_on_deal',
                partnerId: 'p9',
                message: 'Contoso Partners registered this account but is not on this deal.',
              },
            ],
          }),
        ],
      });
      const { findByTestId, find, waitFor } = renderCard(() => respondWith(200, card));
      await waitFor(() =>
        expect(findByTestId(Text, 'registration-hold').text).toBe(
          'Registered by Contoso Partners · 42 days of protection left',
        ),
      );
      expect(find(Alert).props.variant).toBe('warning');
      expect(textOf(find(Alert))).toContain('is not on this deal');
      expect(textOf(find(Alert))).toContain(
        'Registered as Acme Corporation, matched to this account by: Same domain: acme.com',
      );
    });

    it('says how the registration matched the account, by name when not by domain', async () => {
      const card = createDealCard({
        registrations: [
          createRegistration({
            company: { name: 'ACME Corp.', domain: null },
            accountMatch: [{ kind: 'name', score: 0.94, left: 'acme', right: 'acme corp' }],
          }),
        ],
      });
      const { findByTestId, waitFor } = renderCard(() => respondWith(200, card));
      await waitFor(() =>
        expect(findByTestId(Text, 'registration-match-r1').text).toBe(
          'Registered as ACME Corp., matched to this account by: Names 94 % alike: "acme" and "acme corp"',
        ),
      );
    });

    it('opens a pending registration in the triage page', async () => {
      const onOpenTriage = jest.fn();
      const card = createDealCard({
        registrations: [createRegistration({ status: 'pending', daysLeft: null })],
      });
      const renderer = createRenderer('crm.record.tab');
      renderer.render(
        <DealPartnersCard
          dealId="123"
          fetcher={() => respondWith(200, card)}
          onOpenTriage={onOpenTriage}
        />,
      );
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Button, 'open-triage-r1')).toBeDefined(),
      );
      renderer.findByTestId(Button, 'open-triage-r1').trigger('onClick');
      expect(onOpenTriage).toHaveBeenCalledWith('r1');
    });

    it('offers no triage link for an approved registration', async () => {
      const card = createDealCard({ registrations: [createRegistration()] });
      const renderer = createRenderer('crm.record.tab');
      renderer.render(
        <DealPartnersCard
          dealId="123"
          fetcher={() => respondWith(200, card)}
          onOpenTriage={jest.fn()}
        />,
      );
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Text, 'registration-hold')).toBeDefined(),
      );
      expect(renderer.maybeFind(Button, { testId: 'open-triage-r1' })).toBeNull();
    });

    it('shows the registration even before any partner is on the deal', async () => {
      const card = createDealCard({
        partners: [],
        registrations: [createRegistration({ status: 'pending', daysLeft: null })],
      });
      const { findByTestId, maybeFind, waitFor } = renderCard(() => respondWith(200, card));
      await waitFor(() =>
        expect(findByTestId(Text, 'registration-hold').text).toBe(
          'Registered by Contoso Partners, awaiting a decision',
        ),
      );
      expect(maybeFind(EmptyState)).toBeNull();
    });
  });

  describe('when the deal has no partner', () => {
    it('says so instead of showing an empty table', async () => {
      const { find, maybeFind, waitFor } = renderCard(() =>
        respondWith(200, createDealCard({ partners: [] })),
      );
      await waitFor(() => expect(find(EmptyState).props.title).toBe('No partner on this deal yet'));
      expect(maybeFind(Table)).toBeNull();
    });
  });

  describe('when the card API fails', () => {
    it("shows the service's error message and retries on request", async () => {
      const fetcher = jest
        .fn<ReturnType<CardFetcher>, Parameters<CardFetcher>>()
        .mockImplementationOnce(() =>
          respondWith(404, {
            error: { code: 'DEAL.NOT_FOUND', message: 'Deal 123 is not in PartnerLens yet' },
          }),
        )
        .mockImplementationOnce(() => respondWith(200, createDealCard()));
      const renderer = renderCard(fetcher);
      await renderer.waitFor(() =>
        expect(textOf(renderer.find(ErrorState))).toContain('Deal 123 is not in PartnerLens yet'),
      );
      renderer.find(Button).trigger('onClick');
      await renderer.waitFor(() => expect(renderer.findAll(TableRow)).toHaveLength(2));
      expect(fetcher).toHaveBeenCalledTimes(2);
    });

    it('treats a malformed answer as an error, not as data', async () => {
      const { find, waitFor } = renderCard(() => respondWith(200, { deal: { id: 1 } }));
      await waitFor(() =>
        expect(find(ErrorState).props.title).toBe('PartnerLens could not load this deal'),
      );
    });

    it('shows network failures as errors', async () => {
      const { find, waitFor } = renderCard(() =>
        Promise.reject(new Error('timeout after 8000 ms')),
      );
      await waitFor(() => expect(textOf(find(ErrorState))).toContain('timeout after 8000 ms'));
    });
  });

  describe('partner context', () => {
    it('shows the registration countdown, the track record, the manager and certifications', async () => {
      const card = createDealCard({
        partners: [
          createPartner({
            partnerManager: 'Maya Chen',
            certifications: ['Certified Implementer'],
            registration: { id: 'r1', status: 'approved', daysLeft: 42 },
            performance: {
              won12m: 3,
              lost12m: 1,
              winRate: 0.75,
              byVertical: { COMPUTER_SOFTWARE: { won: 2, lost: 0 } },
              sourcedWon12m: [{ amount: '10000.00', currency: 'USD' }],
              influencedWon12m: [{ amount: '2500.50', currency: 'USD' }],
              openPipeline: [{ amount: '1250000', currency: 'JPY' }],
              avgCycleDays: 40,
            },
          }),
          createPartner({ id: 'p2', name: 'Newcomer', role: 'influenced' }),
        ],
      });
      const { findAll, waitFor } = renderCard(() => respondWith(200, card));
      await waitFor(() => expect(findAll(TableRow)).toHaveLength(3));
      const [, first, second] = findAll(TableRow);
      expect(textOf(first!)).toContain('Registered, 42 days left');
      expect(textOf(first!)).toContain('Won 3 of 4 (75 %)');
      expect(textOf(first!)).toContain('Won revenue 12,500.50 USD');
      expect(textOf(first!)).toContain('Open pipeline 1,250,000 JPY');
      expect(textOf(first!)).toContain('2 of 2 in computer software');
      expect(textOf(first!)).toContain('40 days to close');
      expect(textOf(first!)).toContain('Manager: Maya Chen · Certified Implementer');
      expect(textOf(second!)).toContain('None');
      expect(textOf(second!)).toContain('Not counted yet');
    });
  });

  describe('co-sell suggestions', () => {
    const withSuggestion = (partners = [createPartner()]) =>
      createDealCard({ partners, suggestions: [createSuggestion()] });

    it('list each suggested partner with its tier and the reasons for it', async () => {
      const { findByTestId, waitFor } = renderCard(() => respondWith(200, withSuggestion()));
      await waitFor(() =>
        expect(textOf(findByTestId(Flex, 'suggestion-s1'))).toContain('Contoso Cloud'),
      );
      const text = textOf(findByTestId(Flex, 'suggestion-s1'));
      expect(text).toContain('Has Acme Corp as a customer in its account list');
      expect(text).toContain('Works in computer software');
      expect(findByTestId(Flex, 'suggestion-s1').find(Tag).text).toBe('platinum');
    });

    it('show the suggestions even on a deal without partners', async () => {
      const { findByTestId, maybeFind, waitFor } = renderCard(() =>
        respondWith(200, withSuggestion([])),
      );
      await waitFor(() => expect(findByTestId(Flex, 'suggestions')).toBeDefined());
      expect(maybeFind(EmptyState)).toBeNull();
    });

    it('add a partner as co-seller, then reload', async () => {
      const fetcher = jest
        .fn<ReturnType<CardFetcher>, Parameters<CardFetcher>>()
        .mockImplementationOnce(() =>
          respondWith(
            200,
            withSuggestion([
              createPartner(),
              createPartner({ id: 'p2', role: 'influenced', sharePct: 30 }),
            ]),
          ),
        )
        .mockImplementationOnce(() => respondWith(201, {}))
        .mockImplementation(() => respondWith(200, createDealCard()));
      const renderer = renderCard(fetcher);
      await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'add-s1')).toBeDefined());
      renderer.findByTestId(Button, 'add-s1').trigger('onClick');
      await renderer.waitFor(() => expect(fetcher).toHaveBeenCalledTimes(3));
      expect(fetcher).toHaveBeenNthCalledWith(2, `${API_BASE}/api/v1/deals/123/partners`, {
        method: 'POST',
        timeout: 8000,
        body: { partnerId: 's1', role: 'influenced' },
      });
    });

    it('say why adding failed, and keep the suggestion', async () => {
      const fetcher = jest
        .fn<ReturnType<CardFetcher>, Parameters<CardFetcher>>()
        .mockImplementationOnce(() => respondWith(200, withSuggestion()))
        .mockImplementationOnce(() =>
          respondWith(502, {
            error: { code: 'CRM.WRITE_FAILED', message: 'The CRM did not take the change' },
          }),
        );
      const renderer = renderCard(fetcher);
      await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'add-s1')).toBeDefined());
      renderer.findByTestId(Button, 'add-s1').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'suggestion-error').text).toContain(
          'The CRM did not take the change',
        ),
      );
      expect(renderer.findByTestId(Flex, 'suggestion-s1')).toBeDefined();
    });

    it('decline a partner for the account, then reload', async () => {
      const fetcher = jest
        .fn<ReturnType<CardFetcher>, Parameters<CardFetcher>>()
        .mockImplementationOnce(() => respondWith(200, withSuggestion()))
        .mockImplementationOnce(() => respondWith(201, { declined: true }))
        .mockImplementation(() => respondWith(200, createDealCard()));
      const renderer = renderCard(fetcher);
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Button, 'decline-s1')).toBeDefined(),
      );
      renderer.findByTestId(Button, 'decline-s1').trigger('onClick');
      await renderer.waitFor(() => expect(fetcher).toHaveBeenCalledTimes(3));
      expect(fetcher.mock.calls[1]![0]).toBe(`${API_BASE}/api/v1/deals/123/suggestions/s1/decline`);
      await renderer.waitFor(() =>
        expect(renderer.maybeFind(Flex, { testId: 'suggestions' })).toBeNull(),
      );
    });
  });
});
