import { signHubSpotV3 } from '../../http/auth/hubspot-signature';
import type { HubSpotSandboxStore, SandboxChange } from './store';

/** HubSpot sends at most 100 events a request. */
const BATCH = 100;
/** Up to 10 attempts, spread out (HubSpot spreads them over 24 h; the sandbox over about a minute). */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000];
/** HubSpot gives up on an answer after 5 s and counts it as a failure. */
const ANSWER_TIMEOUT_MS = 5000;

const OBJECT_TYPE_IDS = { deals: '0-3', companies: '0-2' } as const;
const PRIMARY_COMPANY_TYPE = 5;

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId?: number;
  objectTypeId?: string;
  changeSource: string;
  propertyName?: string;
  propertyValue?: string;
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

export interface WebhookDelivery {
  /** Sends what is waiting now (tests; normally it goes out within 50 ms). */
  flush(): Promise<void>;
  close(): void;
  /** Batches answered 2xx, and attempts that failed. */
  readonly stats: { delivered: number; failed: number };
}

/**
 * Signed webhook delivery to the app, in HubSpot's batch shape (a JSON array, signature v3 over
 * method + URL + body + timestamp with the app's secret), for the portals the app is installed
 * in. A failed or slow answer is retried with the next attemptNumber; order is not guaranteed.
 */
export function startWebhookDelivery(
  store: HubSpotSandboxStore,
  target: () => string | undefined,
  options: { appId?: number; retryDelaysMs?: number[] } = {},
): WebhookDelivery {
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const waiting: WebhookEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const stats = { delivered: 0, failed: 0 };
  let nextEventId = 1;
  let closed = false;
  let flushing: Promise<void> = Promise.resolve();

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  store.onChange((change) => {
    if (closed || !store.installed.has(change.portalId)) return;
    waiting.push(toEvent(change, nextEventId++, options.appId ?? 1));
    if (waiting.length === 1) later(50, () => void flush());
  });

  async function send(events: WebhookEvent[], attempt: number): Promise<void> {
    const url = target();
    if (!url || closed) return;
    const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt })));
    const timestamp = String(Date.now());
    const signature = signHubSpotV3(
      { method: 'POST', url, rawBody: body, timestamp },
      store.app.clientSecret,
    );
    let ok = false;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': signature,
          'x-hubspot-request-timestamp': timestamp,
        },
        body,
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      });
      ok = response.ok;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      ok = false;
    }
    if (ok) {
      stats.delivered++;
      return;
    }
    stats.failed++;
    const delay = delays[attempt];
    if (delay !== undefined) later(delay, () => void send(events, attempt + 1));
  }

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      const byPortal = new Map<number, WebhookEvent[]>();
      for (const event of waiting.splice(0))
        byPortal.set(event.portalId, [...(byPortal.get(event.portalId) ?? []), event]);
      const sends: Promise<void>[] = [];
      for (const events of byPortal.values())
        for (let i = 0; i < events.length; i += BATCH)
          sends.push(send(events.slice(i, i + BATCH), 0));
      await Promise.all(sends);
    });
    return flushing;
  }

  return {
    flush,
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    stats,
  };
}

function toEvent(change: SandboxChange, eventId: number, appId: number): WebhookEvent {
  const base = {
    eventId,
    subscriptionId: { creation: 1, propertyChange: 2, associationChange: 3, deletion: 4 }[
      change.kind
    ],
    portalId: Number(change.portalId),
    appId,
    occurredAt: Date.now(),
    subscriptionType: `object.${change.kind}`,
    attemptNumber: 0,
    objectId: Number(change.objectId),
    objectTypeId: OBJECT_TYPE_IDS[change.objectType],
    changeSource: 'CRM_UI',
  };
  if (change.kind === 'propertyChange')
    return {
      ...base,
      propertyName: change.propertyName,
      propertyValue: change.propertyValue ?? '',
    };
  if (change.kind === 'associationChange') {
    // HubSpot's association events name their two ends, not an objectId or objectTypeId.
    const { objectId: _objectId, objectTypeId: _objectTypeId, ...ends } = base;
    return {
      ...ends,
      associationType: 'DEAL_TO_COMPANY',
      fromObjectId: Number(change.objectId),
      toObjectId: Number(change.toObjectId),
      associationRemoved: change.removed,
      isPrimaryAssociation: change.typeId === PRIMARY_COMPANY_TYPE,
    };
  }
  return base;
}
