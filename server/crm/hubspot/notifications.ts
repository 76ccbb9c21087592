import { z } from 'zod';

import type { ChangeNotice } from '../changes';

// A webhook event as HubSpot's projects deliver it (only what PartnerLens relies on is checked).
const event = z.object({
  eventId: z.union([z.number(), z.string()]).transform(String),
  portalId: z.union([z.number(), z.string()]).transform(String),
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().max(100),
  objectTypeId: z.string().max(20).optional(),
  objectId: z.union([z.number(), z.string()]).transform(String),
  fromObjectId: z.union([z.number(), z.string()]).transform(String).optional(),
  toObjectId: z.union([z.number(), z.string()]).transform(String).optional(),
  associationType: z.string().max(100).optional(),
});

const OBJECT_TYPES: Record<string, ChangeNotice['objectType']> = {
  '0-3': 'deal',
  '0-2': 'account',
};
const CLASSIC = /^(deal|company)\./;

/**
 * A HubSpot webhook batch (a JSON array) as the records it names: deals and companies to re-read,
 * never the values it carries. Events of other objects, or not in HubSpot's shape, are counted as
 * skipped; a body that is not an array is refused.
 */
export function decodeHubSpotNotifications(
  body: unknown,
): { ok: true; notices: ChangeNotice[]; skipped: number } | { ok: false } {
  if (!Array.isArray(body) || body.length > 1000) return { ok: false };
  const notices: ChangeNotice[] = [];
  let skipped = 0;
  for (const raw of body) {
    const parsed = event.safeParse(raw);
    if (!parsed.success) {
      skipped++;
      continue;
    }
    const e = parsed.data;
    const classic = CLASSIC.exec(e.subscriptionType)?.[1];
    const objectType =
      (e.objectTypeId ? OBJECT_TYPES[e.objectTypeId] : undefined) ??
      (classic === 'deal' ? 'deal' : classic === 'company' ? 'account' : undefined);
    if (!objectType || !/^\d{1,20}$/.test(e.objectId)) {
      skipped++;
      continue;
    }
    // HubSpot's eventId is not unique on its own: with the subscription, object and time it is.
    const key = `${e.eventId}:${e.subscriptionType}:${e.objectId}:${e.occurredAt}`;
    notices.push({
      externalId: e.portalId,
      key,
      objectType,
      objectId: e.objectId,
      occurredAt: e.occurredAt,
    });
    // An association change names the deal; its company may be a partner that changed too.
    if (
      e.subscriptionType.endsWith('associationChange') &&
      e.toObjectId &&
      /^\d+$/.test(e.toObjectId)
    )
      notices.push({
        externalId: e.portalId,
        key: `${key}:to`,
        objectType: objectType === 'deal' ? 'account' : 'deal',
        objectId: e.toObjectId,
        occurredAt: e.occurredAt,
      });
  }
  return { ok: true, notices: notices.slice(0, 5000), skipped };
}
