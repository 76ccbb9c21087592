import type { RequestHandler } from 'express';

import { salesforceError } from './errors';
import { FAULTS } from './faults';
import type { SalesforceOrg } from './org';
import type { SalesforceSandboxStore } from './store';

const MINUTE = 60_000;
const WINDOW = 24 * 60 * MINUTE;

/** An org's API calls over the rolling 24 hours Salesforce counts, in one-minute buckets. */
export class ApiUsage {
  private readonly buckets = new Map<number, number>();
  private offset = 0;

  constructor(private readonly now: () => number) {}

  record(): void {
    const minute = Math.floor(this.now() / MINUTE);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + 1);
  }

  used(): number {
    const oldest = Math.floor((this.now() - WINDOW) / MINUTE);
    let total = this.offset;
    for (const [minute, count] of this.buckets) {
      if (minute <= oldest) this.buckets.delete(minute);
      else total += count;
    }
    return Math.max(0, total);
  }

  /** Test hook: pretend `used` calls have been made already in the window. */
  set(used: number): void {
    this.offset += used - this.used();
  }
}

/**
 * Salesforce's daily API request limit: every call counts, every answer says where the org stands
 * (Sforce-Limit-Info: api-usage=N/M), and past the limit calls get 403 REQUEST_LIMIT_EXCEEDED.
 * Faults queued by a test are served here too, so they look like any other refusal.
 */
export function dailyApiLimit(store: SalesforceSandboxStore): RequestHandler {
  return (_req, res, next) => {
    const org = res.locals.org as SalesforceOrg;
    const usage = store.apiUsage(org.orgId);
    const over = usage.used() >= org.dailyApiLimit;
    if (!over) usage.record();
    res.setHeader('Sforce-Limit-Info', `api-usage=${usage.used()}/${org.dailyApiLimit}`);
    if (over)
      return salesforceError(
        res,
        403,
        'REQUEST_LIMIT_EXCEEDED',
        FAULTS.REQUEST_LIMIT_EXCEEDED.message,
      );
    const fault = store.faults(org.orgId).take();
    if (fault) return salesforceError(res, FAULTS[fault].status, fault, FAULTS[fault].message);
    next();
  };
}
