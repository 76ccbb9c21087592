import type { DailyBudget } from './daily-budget';

/**
 * One portal's share of HubSpot's rate limit (110 calls per rolling 10 s for an app), shared by
 * everything this process sends it: the sync and the webhook re-reads alike. It spaces calls to
 * stay just under the limit, follows the X-HubSpot-RateLimit-* headers of every answer (successes
 * too: a window other processes or apps use up shows in its Remaining), and pauses the portal on a
 * 429 by what those headers say.
 */
export class PortalLimiter {
  private readonly sent: number[] = [];
  private pausedUntil = 0;
  private max: number;
  private windowMs: number;
  private readonly headroom: number;

  constructor(
    options: { max?: number; windowMs?: number; headroom?: number } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.max = options.max ?? 110;
    this.windowMs = options.windowMs ?? 10_000;
    this.headroom = options.headroom ?? 2;
  }

  /** Resolves when one more call fits in the window. */
  async acquire(): Promise<void> {
    for (;;) {
      const at = this.now();
      while (this.sent.length > 0 && this.sent[0]! <= at - this.windowMs) this.sent.shift();
      const wait = Math.max(
        this.pausedUntil - at,
        this.sent.length >= this.max - this.headroom ? this.sent[0]! + this.windowMs - at : 0,
      );
      if (wait <= 0) {
        this.sent.push(at);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, this.windowMs)));
    }
  }

  /**
   * A call refused with a 429. When its headers say the window still has room, the refusal was not
   * this window's (a burst or secondary limit): a short pause, growing with each attempt. When the
   * window is used up (or the headers do not say), the first refusal waits for the oldest call this
   * process made to leave it; a second in a row means others share the portal's budget, and the
   * whole window is waited out.
   */
  refused(attempt: number, headers: Record<string, string | undefined> = {}): void {
    const at = this.now();
    const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
    const oldest = this.sent[0];
    const wait =
      Number.isFinite(remaining) && remaining > 0
        ? Math.min(this.windowMs, 250 * 2 ** attempt)
        : attempt === 0 && oldest !== undefined
          ? Math.max(250, oldest + this.windowMs - at)
          : this.windowMs;
    this.pausedUntil = Math.max(this.pausedUntil, at + wait);
  }

  /** What an answer's rate-limit headers say: the limit, and a window nearly used up. */
  observe(headers: Record<string, string | undefined>): void {
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
    const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
    // Never at or below the headroom: the limiter would wait for a call it has not made.
    if (Number.isFinite(max) && max > 0) this.max = Math.max(max, this.headroom + 1);
    if (Number.isFinite(interval) && interval > 0) this.windowMs = interval;
    if (Number.isFinite(remaining) && remaining < this.headroom && this.sent.length > 0)
      this.pausedUntil = Math.max(this.pausedUntil, this.sent[0]! + this.windowMs);
  }
}

const limiters = new Map<string, PortalLimiter>();

/** What a client's calls go through: its portal's limiter and this connection's daily budget. */
export interface CallGuards {
  limiter?: PortalLimiter;
  budget?: DailyBudget;
}
const clientGuards = new WeakMap<object, CallGuards>();

/** Ties a client to its portal's limiter (and daily budget), which withRetries applies to each call. */
export function bindLimiter<C extends object>(
  client: C,
  limiter: PortalLimiter | undefined,
  budget?: DailyBudget,
): C {
  if (limiter || budget) clientGuards.set(client, { limiter, budget });
  return client;
}

/** The limiter a client's calls go through, if it was given one. */
export const limiterOf = (client: object) => clientGuards.get(client)?.limiter;

/** The daily budget a client's calls are counted against, if it was given one. */
export const budgetOf = (client: object) => clientGuards.get(client)?.budget;

/** The limiter of a portal, shared in this process. */
export function limiterForPortal(portalKey: string): PortalLimiter {
  let limiter = limiters.get(portalKey);
  if (!limiter) {
    limiter = new PortalLimiter();
    limiters.set(portalKey, limiter);
  }
  return limiter;
}

type Headers = Record<string, string | undefined>;

/**
 * Call-time options of the official client's generated APIs: a middleware that hands every
 * answer's headers to the limiter and the budget. (@hubspot/api-client 13.5 ignores the
 * `middleware` option of its Client; only call-time middleware sees a success's headers.)
 */
export interface CallOptions {
  middleware: Array<{
    pre<R>(context: R): Promise<R>;
    post<R>(context: R): Promise<R>;
  }>;
  middlewareMergeStrategy: 'append';
}

function callOptions(observe: (headers: Headers) => void): CallOptions {
  return {
    middleware: [
      {
        pre: (context) => Promise.resolve(context),
        post: (context) => {
          const headers = (context as { headers?: unknown }).headers;
          if (headers && typeof headers === 'object') observe(headers as Headers);
          return Promise.resolve(context);
        },
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

const RETRIES = 6;

/**
 * One call to HubSpot, in a turn of the client's portal limiter, retried on a 429 (the limiter
 * pauses: see `refused`) and on 5xx (with a growing pause); other errors are HubSpot's answer.
 * Every answer's rate-limit headers reach the limiter and the daily budget through `options`,
 * which the call passes to the client; a budget spent into its reserve is a CrmBudgetError, before
 * the call is sent.
 */
export async function withRetries<T>(
  client: object,
  call: (options: CallOptions) => Promise<T>,
): Promise<T> {
  const limiter = limiterOf(client);
  const budget = budgetOf(client);
  const options = callOptions((headers) => {
    limiter?.observe(headers);
    budget?.observe(headers);
  });
  for (let attempt = 0; ; attempt++) {
    budget?.check();
    await limiter?.acquire();
    try {
      return await call(options);
    } catch (error) {
      const { code, headers, name } = (
        typeof error === 'object' && error !== null ? error : {}
      ) as {
        code?: unknown;
        headers?: Headers;
        name?: string;
      };
      const status = typeof code === 'number' ? code : 0;
      if (headers) {
        limiter?.observe(headers);
        budget?.observe(headers);
      }
      // A dropped connection or a timeout (node-fetch's FetchError, an abort) is tried again too.
      const network =
        status === 0 &&
        (name === 'FetchError' || name === 'AbortError' || typeof code === 'string');
      const retryable = status === 429 || (status >= 500 && status < 600) || network;
      if (!retryable || attempt >= RETRIES) throw error;
      if (status === 429) {
        // A 429 of the daily limit: waiting seconds will not mend it.
        budget?.check();
        if (limiter) limiter.refused(attempt, headers);
        else await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      } else await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}
