/**
 * One portal's share of HubSpot's rate limit (110 calls per rolling 10 s for an app), shared by
 * everything this process sends it: the sync and the webhook re-reads alike. It spaces calls to
 * stay just under the limit, follows the X-HubSpot-RateLimit-* headers of the error answers it sees,
 * and pauses the portal on a 429 by what those headers say.
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
const clientLimiters = new WeakMap<object, PortalLimiter>();

/** Ties a client to its portal's limiter, whose turns withRetries takes for each call. */
export function bindLimiter<C extends object>(client: C, limiter: PortalLimiter | undefined): C {
  if (limiter) clientLimiters.set(client, limiter);
  return client;
}

/** The limiter a client's calls go through, if it was given one. */
export const limiterOf = (client: object) => clientLimiters.get(client);

/** The limiter of a portal, shared in this process. */
export function limiterForPortal(portalKey: string): PortalLimiter {
  let limiter = limiters.get(portalKey);
  if (!limiter) {
    limiter = new PortalLimiter();
    limiters.set(portalKey, limiter);
  }
  return limiter;
}

const RETRIES = 6;

/**
 * One call to HubSpot, in a turn of the client's portal limiter, retried on a 429 (the limiter
 * pauses: see `refused`) and on 5xx (with a growing pause); other errors are HubSpot's answer.
 * Error answers carry their rate-limit headers, which the limiter follows.
 */
export async function withRetries<T>(client: object, call: () => Promise<T>): Promise<T> {
  const limiter = limiterOf(client);
  for (let attempt = 0; ; attempt++) {
    await limiter?.acquire();
    try {
      return await call();
    } catch (error) {
      const { code, headers, name } = (
        typeof error === 'object' && error !== null ? error : {}
      ) as {
        code?: unknown;
        headers?: Record<string, string>;
        name?: string;
      };
      const status = typeof code === 'number' ? code : 0;
      if (limiter && headers) limiter.observe(headers);
      // A dropped connection or a timeout (node-fetch's FetchError, an abort) is tried again too.
      const network =
        status === 0 &&
        (name === 'FetchError' || name === 'AbortError' || typeof code === 'string');
      const retryable = status === 429 || (status >= 500 && status < 600) || network;
      if (!retryable || attempt >= RETRIES) throw error;
      if (status === 429) {
        if (limiter) limiter.refused(attempt, headers);
        else await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      } else await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}
