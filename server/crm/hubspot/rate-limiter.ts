/**
 * One portal's share of HubSpot's rate limit (110 calls per rolling 10 s for an app), shared by
 * everything this process sends it: the sync and the webhook re-reads alike. It spaces calls to
 * stay just under the limit, follows the X-HubSpot-RateLimit-* headers each answer carries, and
 * pauses the portal for a window after a 429.
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

  /** What an answer says of the limit: its headers, or a 429 (wait out the window). */
  observe(status: number, headers: Record<string, string | undefined>): void {
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
    const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
    if (Number.isFinite(max) && max > 0) this.max = max;
    if (Number.isFinite(interval) && interval > 0) this.windowMs = interval;
    const at = this.now();
    if (status === 429) this.pausedUntil = Math.max(this.pausedUntil, at + this.windowMs);
    else if (Number.isFinite(remaining) && remaining < this.headroom && this.sent.length > 0)
      this.pausedUntil = Math.max(this.pausedUntil, this.sent[0]! + this.windowMs);
  }
}

const limiters = new Map<string, PortalLimiter>();

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
 * One call to HubSpot (through the portal's limiter, which the client's middleware applies), retried on a 429 (after the window the
 * limiter waits out) and on 5xx (with a growing pause); other errors are HubSpot's answer.
 */
export async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = (error as { code?: number }).code ?? 0;
      const retryable = status === 429 || (status >= 500 && status < 600);
      if (!retryable || attempt >= RETRIES) throw error;
      // A 429 paused the limiter for the window: the retry's own turn waits it out.
      if (status >= 500) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}
