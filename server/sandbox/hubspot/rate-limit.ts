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

/**
 * HubSpot's daily limit, as its answers state it: `X-HubSpot-RateLimit-Daily` (calls a day) and
 * `-Daily-Remaining` on every answer to a private-app token, and a 429 of policy DAILY once none
 * remain, until the day turns. Calls with OAuth tokens have no daily limit and carry neither header.
 */
export function dailyLimit(now: () => number = Date.now): RequestHandler {
  return (_req, res, next) => {
    if (!res.locals.privateApp) return next();
    const { daily } = res.locals.portal as SandboxPortal;
    const day = new Date(now()).toISOString().slice(0, 10);
    if (daily.day !== day) Object.assign(daily, { day, used: 0 });
    const spent = daily.used >= daily.limit;
    if (!spent) daily.used++;
    res.setHeader('X-HubSpot-RateLimit-Daily', String(daily.limit));
    res.setHeader(
      'X-HubSpot-RateLimit-Daily-Remaining',
      String(Math.max(0, daily.limit - daily.used)),
    );
    if (spent)
      return res.status(429).json({
        status: 'error',
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        correlationId: crypto.randomUUID(),
        policyName: 'DAILY',
      });
    next();
  };
}

/** Calls to fail on purpose, to try what the app does with a 429 or 5xx storm. */
export interface FaultOptions {
  /** One call in this many fails (deterministic: every n-th call of a portal). */
  every: number;
  /** Answers taken in turn: 429 (ten-secondly) and 5xx. */
  statuses: ReadonlyArray<429 | 500 | 502 | 503>;
}

/** Fails every n-th call with HubSpot's answers for it (429 with its policy, 5xx). */
export function injectFaults(faults: () => FaultOptions | undefined): RequestHandler {
  const counts = new Map<string, number>();
  return (_req, res, next) => {
    const options = faults();
    if (!options) return next();
    const portal = res.locals.portal as SandboxPortal;
    const count = (counts.get(portal.portalId) ?? 0) + 1;
    counts.set(portal.portalId, count);
    if (count % options.every !== 0) return next();
    const status = options.statuses[(count / options.every) % options.statuses.length]!;
    if (status === 429)
      return res.status(429).json({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: crypto.randomUUID(),
        policyName: 'TEN_SECONDLY_ROLLING',
      });
    res.status(status).json({
      status: 'error',
      message: 'internal error',
      correlationId: crypto.randomUUID(),
      category: 'INTERNAL_ERROR',
    });
  };
}
