/** The failures a test can ask the sandbox to answer with, as Salesforce sends them. */
export const FAULTS = {
  SERVER_UNAVAILABLE: { status: 503, message: 'Server temporarily unavailable' },
  REQUEST_LIMIT_EXCEEDED: { status: 403, message: 'TotalRequests Limit exceeded.' },
  INVALID_SESSION_ID: { status: 401, message: 'Session expired or invalid' },
  UNABLE_TO_LOCK_ROW: { status: 400, message: 'unable to obtain exclusive access to this record' },
} as const;
export type Fault = keyof typeof FAULTS;

/** The faults queued for one org's next calls, served in order. */
export class FaultPlan {
  private readonly queue: Array<{ fault: Fault; remaining: number }> = [];

  add(count: number, fault: Fault): void {
    if (count > 0) this.queue.push({ fault, remaining: count });
  }

  /** The fault for this call, if one is queued. */
  take(): Fault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    if (--head.remaining === 0) this.queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
