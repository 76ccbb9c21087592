import type { RequestHandler } from 'express';

import type { SandboxPortal } from './store';

export interface RateLimitOptions {
  /** Requests per rolling window per portal; HubSpot's public apps get 110 per 10 s. */
  max: number;
  windowMs: number;
  now?: () => number;
}

/** HubSpot's ten-secondly rolling limit, with its headers and 429 body (the client retries on policyName). */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const calls = new Map<string, number[]>();
  return (_req, res, next) => {
    const portal = res.locals.portal as SandboxPortal;
    const at = now();
    const recent = (calls.get(portal.portalId) ?? []).filter((t) => t > at - options.windowMs);
    const remaining = Math.max(0, options.max - recent.length - 1);
    res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(options.windowMs));
    res.setHeader('X-HubSpot-RateLimit-Max', String(options.max));
    res.setHeader('X-HubSpot-RateLimit-Remaining', String(remaining));
    if (recent.length >= options.max) {
      calls.set(portal.portalId, recent);
      res.status(429).json({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: crypto.randomUUID(),
        policyName: 'TEN_SECONDLY_ROLLING',
      });
      return;
    }
    recent.push(at);
    calls.set(portal.portalId, recent);
    next();
  };
}
