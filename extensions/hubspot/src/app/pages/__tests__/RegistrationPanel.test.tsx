import {
  Alert,
  Button,
  ErrorState,
  Flex,
  Link,
  LoadingSpinner,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';

import { API_BASE, type ApiFetcher } from '../api.ts';
import { RegistrationPanel } from '../RegistrationPanel.tsx';
import {
  answerOf,
  answers,
  change,
  createRegistrationDetail,
  ok,
  routeFetcher,
  textOf,
} from './fixtures.ts';

const detail = createRegistrationDetail();
const ROUTE = `GET /api/v1/registrations/${detail.id}`;
const DECIDE = `POST /api/v1/registrations/${detail.id}/decision`;
const EXTEND = `POST /api/v1/registrations/${detail.id}/extend`;

const renderPanel = (fetcher: ApiFetcher, onChanged = jest.fn()) => {
  const renderer = createRenderer('pages');
  renderer.render(
    <RegistrationPanel
      fetcher={fetcher}
      portalId={4000001}
      registrationId={detail.id}
      onChanged={onChanged}
      onClose={jest.fn()}
    />,
  );
  return renderer;
};

const loaded = async (renderer: ReturnType<typeof renderPanel>) =>
  renderer.waitFor(() => expect(renderer.findByTestId(Flex, 'registration-panel')).toBeDefined());

describe('RegistrationPanel', () => {
  it('shows a spinner while the registration has not answered', () => {
    const { findByTestId } = renderPanel(routeFetcher({}));
    expect(findByTestId(LoadingSpinner, 'panel-loading')).toBeDefined();
  });

  describe('a pending registration', () => {
    it('shows the matched account with a link to it and the evidence of the match', async () => {
      const renderer = renderPanel(routeFetcher({ [ROUTE]: ok(detail) }));
      await loaded(renderer);
      const account = renderer.findByTestId(Link, 'matched-account');
      expect(account.props.href).toEqual({
        url: `https://app.hubspot.com/contacts/4000001/record/0-2/${detail.matchedAccountId}`,
        external: true,
      });
      expect(textOf(renderer.findByTestId(Flex, 'match-evidence'))).toBe(
        `Same domain: ${detail.company.domain}`,
      );
    });

    it('explains each conflict in a sentence, with a link to the CRM record it names', async () => {
      const renderer = renderPanel(routeFetcher({ [ROUTE]: ok(detail) }));
      await loaded(renderer);
      const alerts = renderer.findByTestId(Flex, 'conflicts').findAll(Alert);
      expect(alerts).toHaveLength(detail.conflicts.length);
      const [first] = detail.conflicts;
      expect(textOf(alerts[0]!)).toContain(first!.explanation);
      expect(alerts[0]!.find(Link).props.href).toEqual({
        url: `https://app.hubspot.com/contacts/4000001/record/0-3/${first!.dealId}`,
        external: true,
      });
      expect(alerts[0]!.props.variant).toBe('warning');
    });

    it('shows its history', async () => {
      const renderer = renderPanel(routeFetcher({ [ROUTE]: ok(detail) }));
      await loaded(renderer);
      expect(textOf(renderer.findByTestId(Flex, 'history'))).toMatch(/^Submitted by api_key on /);
    });

    it('approves it, says so, tells the queue and reloads', async () => {
      const onChanged = jest.fn();
      const fetcher = routeFetcher({
        [ROUTE]: [ok(detail), ok(answers.registrationApproved)],
        [DECIDE]: answerOf(answers.approved),
      });
      const renderer = renderPanel(fetcher, onChanged);
      await loaded(renderer);
      renderer.findByTestId(Button, 'approve').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'outcome-done').props.title).toBe(
          'Registration approved',
        ),
      );
      expect(fetcher).toHaveBeenCalledWith(`${API_BASE}${DECIDE.slice(5)}`, {
        method: 'POST',
        timeout: 8000,
        body: { decision: 'approve' },
      });
      expect(onChanged).toHaveBeenCalledTimes(1);
      expect(renderer.findByTestId(Button, 'extend')).toBeDefined();
    });

    it('shows a 409 as the conflict that appeared since it was loaded, not as a failure', async () => {
      const fetcher = routeFetcher({
        [ROUTE]: ok(detail),
        [DECIDE]: answerOf(answers.approveConflictsChanged),
      });
      const renderer = renderPanel(fetcher);
      await loaded(renderer);
      renderer.findByTestId(Button, 'approve').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'outcome-conflict').props.title).toBe(
          'The registration changed since you opened it',
        ),
      );
      expect(textOf(renderer.findByTestId(Alert, 'outcome-conflict'))).toContain(
        answers.approveConflictsChanged.error.message,
      );
      expect(renderer.maybeFind(Alert, { testId: 'outcome-failed' })).toBeNull();
    });

    it('needs a reason to reject, before asking the server', async () => {
      const fetcher = routeFetcher({ [ROUTE]: ok(detail) });
      const renderer = renderPanel(fetcher);
      await loaded(renderer);
      renderer.findByTestId(Button, 'start-reject').trigger('onClick');
      renderer.findByTestId(Button, 'confirm-reject').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(TextArea, 'reason').props.validationMessage).toBe(
          'A reason is required to reject',
        ),
      );
      expect(fetcher.mock.calls.some(([, options]) => options.method === 'POST')).toBe(false);
    });

    it("shows the server's word on the reason at the reason field", async () => {
      const fetcher = routeFetcher({
        [ROUTE]: ok(detail),
        [DECIDE]: answerOf(answers.rejectWithoutReason),
      });
      const renderer = renderPanel(fetcher);
      await loaded(renderer);
      renderer.findByTestId(Button, 'start-reject').trigger('onClick');
      change(renderer.findByTestId(TextArea, 'reason'), '​');
      renderer.findByTestId(Button, 'confirm-reject').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(TextArea, 'reason').props.error).toBe(true),
      );
      expect(renderer.findByTestId(TextArea, 'reason').props.validationMessage).toBe(
        answers.rejectWithoutReason.error.details[0]!.message,
      );
    });

    it('rejects it with the reason given', async () => {
      const fetcher = routeFetcher({
        [ROUTE]: [ok(detail), ok({ ...detail, status: 'rejected', rejectionReason: 'House' })],
        [DECIDE]: answerOf(answers.rejected),
      });
      const renderer = renderPanel(fetcher);
      await loaded(renderer);
      renderer.findByTestId(Button, 'start-reject').trigger('onClick');
      change(renderer.findByTestId(TextArea, 'reason'), ' A house account ');
      renderer.findByTestId(Button, 'confirm-reject').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'outcome-done').props.title).toBe(
          'Registration rejected',
        ),
      );
      expect(fetcher.mock.calls.find(([, o]) => o.method === 'POST')![1].body).toEqual({
        decision: 'reject',
        reason: 'A house account',
      });
    });
  });

  describe('an approved registration', () => {
    it('is extended, and a second extension past the limit is explained', async () => {
      const fetcher = routeFetcher({
        [ROUTE]: ok(answers.registrationApproved),
        [EXTEND]: [answerOf(answers.extended), answerOf(answers.extendRefused)],
      });
      const renderer = renderPanel(fetcher);
      await loaded(renderer);
      renderer.findByTestId(Button, 'extend').trigger('onClick');
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Alert, 'outcome-done').props.title).toBe(
          'Protection extended',
        ),
      );
      await loaded(renderer);
      renderer.findByTestId(Button, 'extend').trigger('onClick');
      await renderer.waitFor(() =>
        expect(textOf(renderer.findByTestId(Alert, 'outcome-conflict'))).toContain(
          answers.extendRefused.error.message,
        ),
      );
    });
  });

  describe('when the registration cannot be loaded', () => {
    it("shows the service's message and retries on request", async () => {
      const fetcher = routeFetcher({
        [ROUTE]: [
          {
            status: 404,
            body: { error: { code: 'REGISTRATION.NOT_FOUND', message: 'No registration x' } },
          },
          ok(detail),
        ],
      });
      const renderer = renderPanel(fetcher);
      await renderer.waitFor(() =>
        expect(textOf(renderer.find(ErrorState))).toContain('No registration x'),
      );
      renderer.find(ErrorState).find(Button).trigger('onClick');
      await loaded(renderer);
    });

    it('says a network failure on a decision failed, and keeps the panel', async () => {
      const fetcher = jest.fn<ReturnType<ApiFetcher>, Parameters<ApiFetcher>>((_url, options) =>
        options.method === 'GET'
          ? routeFetcher({ [ROUTE]: ok(detail) })(_url, options)
          : Promise.reject(new Error('timeout after 8000 ms')),
      );
      const renderer = renderPanel(fetcher);
      await loaded(renderer);
      renderer.findByTestId(Button, 'approve').trigger('onClick');
      await renderer.waitFor(() =>
        expect(textOf(renderer.findByTestId(Alert, 'outcome-failed'))).toContain(
          'timeout after 8000 ms',
        ),
      );
    });
  });
});
