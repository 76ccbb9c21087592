import type { ApiFetcher } from '../api.ts';
import type { MergeCandidate } from '../merge-api.ts';
import type { Registration, RegistrationDetail, RegistrationPage, Summary } from '../triage-api.ts';
import approveConflictsChanged from './data/approve-conflicts-changed.json' with { type: 'json' };
import approved from './data/approved.json' with { type: 'json' };
import extendRefused from './data/extend-refused.json' with { type: 'json' };
import extended from './data/extended.json' with { type: 'json' };
import keptApart from './data/kept-apart.json' with { type: 'json' };
import mergeAlreadyDecided from './data/merge-already-decided.json' with { type: 'json' };
import mergeCandidates from './data/merge-candidates.json' with { type: 'json' };
import partners from './data/partners.json' with { type: 'json' };
import queuePage1 from './data/queue-page-1.json' with { type: 'json' };
import queuePage2 from './data/queue-page-2.json' with { type: 'json' };
import registration from './data/registration.json' with { type: 'json' };
import registrationApproved from './data/registration-approved.json' with { type: 'json' };
import rejectWithoutReason from './data/reject-without-reason.json' with { type: 'json' };
import rejected from './data/rejected.json' with { type: 'json' };
import summary from './data/summary.json' with { type: 'json' };

// Answers of the real API on the seeded demo (test/server/http/hubspot-page-fixtures.test.ts
// writes and checks them); the factories take overrides, as the card's do.
export const answers = {
  approveConflictsChanged,
  approved,
  extendRefused,
  extended,
  keptApart,
  mergeAlreadyDecided,
  rejectWithoutReason,
  rejected,
  registrationApproved,
  partners,
  queuePage1,
  queuePage2,
};

export const createRegistrationDetail = (
  overrides: Partial<RegistrationDetail> = {},
): RegistrationDetail => ({ ...(registration as RegistrationDetail), ...overrides });

export const createRegistration = (overrides: Partial<Registration> = {}): Registration => {
  const { history: _history, ...view } = createRegistrationDetail();
  return { ...view, ...overrides };
};

export const createQueuePage = (overrides: Partial<RegistrationPage> = {}): RegistrationPage => ({
  ...(queuePage1 as RegistrationPage),
  ...overrides,
});

export const createSummary = (overrides: Partial<Summary> = {}): Summary => ({
  ...summary,
  ...overrides,
});

export const createMergeCandidate = (overrides: Partial<MergeCandidate> = {}): MergeCandidate => ({
  ...(mergeCandidates.items[0] as MergeCandidate),
  ...overrides,
});

type Answer = { status: number; body: unknown };
/**
 * A captured error answer keeps its HTTP status beside the body (a number); a registration's own
 * `status` is a word, and the whole fixture is the body.
 */
export const answerOf = (fixture: object): Answer => {
  if (!('status' in fixture) || typeof fixture.status !== 'number')
    return { status: 200, body: fixture };
  const { status, ...body } = fixture;
  return { status: status as number, body };
};

export const respondWith = (status: number, body: unknown): ReturnType<ApiFetcher> =>
  Promise.resolve({ ok: status >= 200 && status < 300, status, json: () => Promise.resolve(body) });

/**
 * A fetcher that answers by method and path (the path's start, query aside), and records calls.
 * Unknown routes never answer, as a slow service would not.
 */
export function routeFetcher(routes: Record<string, Answer | Answer[] | (() => Answer)>) {
  const queues = new Map(Object.entries(routes));
  const fetcher = jest.fn<ReturnType<ApiFetcher>, Parameters<ApiFetcher>>((url, options) => {
    const { pathname } = new URL(url);
    const key = [...queues.keys()]
      .filter((route) => {
        const [method, routePath] = route.split(' ');
        return method === options.method && routePath === pathname;
      })
      .at(0);
    if (key === undefined) return new Promise(() => undefined);
    const route = queues.get(key)!;
    if (typeof route === 'function') {
      const answer = route();
      return respondWith(answer.status, answer.body);
    }
    if (Array.isArray(route)) {
      const answer = route.length > 1 ? route.shift()! : route[0]!;
      return respondWith(answer.status, answer.body);
    }
    return respondWith(route.status, route.body);
  });
  return fetcher;
}

export const ok = (body: unknown): Answer => ({ status: 200, body });

interface RenderedNode {
  text?: string | null;
  childNodes?: RenderedNode[];
}

/** All text under a rendered node: the testing renderer only sets .text where the children are plain text. */
export const textOf = (node: RenderedNode): string =>
  node.childNodes && node.childNodes.length > 0
    ? node.childNodes.map(textOf).join(' ')
    : (node.text ?? '');

/**
 * Fires an input's event with its value. trigger()'s type in 0.17 takes the handler itself as
 * the argument; at run time it passes the value on (testing/internal/element.js).
 */
export const change = (node: { trigger: unknown }, value: unknown, event = 'onChange') =>
  (node.trigger as (name: string, arg: unknown) => void)(event, value);
