import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  LoadingSpinner,
  Tile,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';

import { API_BASE, type ApiFetcher } from '../api.ts';
import { MergeCandidatesPage } from '../MergeCandidatesPage.tsx';
import { answerOf, answers, createMergeCandidate, ok, routeFetcher, textOf } from './fixtures.ts';

const candidate = createMergeCandidate();
const LIST = 'GET /api/v1/partners/merge-candidates';
const DECIDE = `POST /api/v1/partners/merge-candidates/${candidate.id}/decision`;

const renderPage = (fetcher: ApiFetcher) => {
  const renderer = createRenderer('pages');
  renderer.render(<MergeCandidatesPage fetcher={fetcher} />);
  return renderer;
};

describe('MergeCandidatesPage', () => {
  it('shows a spinner while the candidates have not answered', () => {
    const { findByTestId } = renderPage(routeFetcher({}));
    expect(findByTestId(LoadingSpinner, 'merge-loading')).toBeDefined();
  });

  it('shows each record with the partners it matches and the evidence for each', async () => {
    const { findByTestId, waitFor } = renderPage(
      routeFetcher({ [LIST]: ok({ items: [candidate] }) }),
    );
    await waitFor(() => expect(findByTestId(Tile, `candidate-${candidate.id}`)).toBeDefined());
    const text = textOf(findByTestId(Tile, `candidate-${candidate.id}`));
    expect(text).toContain('program row P-TANGENT');
    expect(text).toContain('Matches 2 partners that cannot be merged into one.');
    expect(text).toContain('Tangent Advisory (through HubSpot company 19000000002)');
    expect(text).toContain('Names 100 % alike: "tangent advisory" and "tangent advisory"');
  });

  it('keeps a record apart, says so and reloads', async () => {
    const fetcher = routeFetcher({
      [LIST]: [ok({ items: [candidate] }), ok({ items: [] })],
      [DECIDE]: answerOf(answers.keptApart),
    });
    const renderer = renderPage(fetcher);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, `keep-apart-${candidate.id}`)).toBeDefined(),
    );
    renderer.findByTestId(Button, `keep-apart-${candidate.id}`).trigger('onClick');
    await renderer.waitFor(() => expect(renderer.find(EmptyState)).toBeDefined());
    expect(renderer.findByTestId(Alert, 'merge-notice').props.title).toBe('Kept apart');
    expect(fetcher).toHaveBeenCalledWith(`${API_BASE}${DECIDE.slice(5)}`, {
      method: 'POST',
      timeout: 8000,
      body: { decision: 'keep_apart' },
    });
  });

  it('merges into the partner chosen', async () => {
    const [first] = candidate.candidates;
    const fetcher = routeFetcher({
      [LIST]: ok({ items: [candidate] }),
      [DECIDE]: ok({ id: candidate.id, status: 'merged' }),
    });
    const renderer = renderPage(fetcher);
    const button = `merge-${candidate.id}-${first!.partnerId}`;
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, button)).toBeDefined());
    renderer.findByTestId(Button, button).trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'merge-notice').props.title).toBe('Merged'),
    );
    expect(fetcher.mock.calls.find(([, o]) => o.method === 'POST')![1].body).toEqual({
      decision: 'merge',
      partnerId: first!.partnerId,
    });
  });

  it('shows a 409 as decided by someone else, and reloads', async () => {
    const fetcher = routeFetcher({
      [LIST]: ok({ items: [candidate] }),
      [DECIDE]: answerOf(answers.mergeAlreadyDecided),
    });
    const renderer = renderPage(fetcher);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, `keep-apart-${candidate.id}`)).toBeDefined(),
    );
    renderer.findByTestId(Button, `keep-apart-${candidate.id}`).trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'merge-notice').props.title).toBe(
        'Someone decided this one already',
      ),
    );
    expect(renderer.findByTestId(Alert, 'merge-notice').props.variant).toBe('warning');
  });

  it('says so when there is nothing to decide', async () => {
    const { find, waitFor } = renderPage(routeFetcher({ [LIST]: ok({ items: [] }) }));
    await waitFor(() => expect(find(EmptyState).props.title).toBe('No partner record to decide'));
  });

  it("shows the service's error and retries on request", async () => {
    const fetcher = routeFetcher({
      [LIST]: [
        { status: 500, body: { error: { code: 'INTERNAL', message: 'Something broke' } } },
        ok({ items: [] }),
      ],
    });
    const renderer = renderPage(fetcher);
    await renderer.waitFor(() =>
      expect(textOf(renderer.find(ErrorState))).toContain('Something broke'),
    );
    renderer.find(ErrorState).find(Button).trigger('onClick');
    await renderer.waitFor(() => expect(renderer.find(EmptyState)).toBeDefined());
  });
});
