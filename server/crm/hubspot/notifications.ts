import { z } from 'zod';

import type { ChangeNotice } from '../changes';

const id = z.union([z.number(), z.string()]).transform(String);

// A webhook event as HubSpot's projects deliver it (only what PartnerLens relies on is checked).
// Association changes name their two ends (from/to, and the association type) instead of an
// objectId and objectTypeId; merges name the records merged away.
const event = z.object({
  eventId: id,
  portalId: id,
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().max(100),
  objectTypeId: z.string().max(20).optional(),
  objectId: id.optional(),
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  fromObjectTypeId: z.string().max(20).optional(),
  toObjectTypeId: z.string().max(20).optional(),
  associationType: z.string().max(100).optional(),
  primaryObjectId: id.optional(),
  newObjectId: id.optional(),
  mergedObjectIds: z.array(id).max(100).optional(),
});

const OBJECT_TYPES: Record<string, ChangeNotice['objectType']> = {
  '0-3': 'deal',
  '0-2': 'account',
};
const CLASSIC = /^(deal|company)\./;
const ASSOCIATION_ENDS: Record<string, [ChangeNotice['objectType'], ChangeNotice['objectType']]> = {
  DEAL_TO_COMPANY: ['deal', 'account'],
  COMPANY_TO_DEAL: ['account', 'deal'],
};
const NUMERIC = /^\d{1,20}$/;

type Event = z.infer<typeof event>;

/** The two records an association change joins or parts, when they are a deal and a company. */
function associationEnds(e: Event): Array<[ChangeNotice['objectType'], string]> | undefined {
  const byType = e.associationType ? ASSOCIATION_ENDS[e.associationType.toUpperCase()] : undefined;
  const from = byType?.[0] ?? (e.fromObjectTypeId ? OBJECT_TYPES[e.fromObjectTypeId] : undefined);
  const to = byType?.[1] ?? (e.toObjectTypeId ? OBJECT_TYPES[e.toObjectTypeId] : undefined);
  if (!from || !to || from === to || !e.fromObjectId || !e.toObjectId) return undefined;
  return [
    [from, e.fromObjectId],
    [to, e.toObjectId],
  ];
}

/**
 * A HubSpot webhook batch (a JSON array) as the records it names: deals and companies to re-read,
 * never the values it carries. Events of other objects (or associations other than deal–company),
 * or not in HubSpot's shape, are counted as skipped; a body that is not an array is refused.
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
    // HubSpot's eventId is not unique on its own: with the subscription, object and time it is.
    const base = `${e.eventId}:${e.subscriptionType}:${e.objectId ?? `${e.fromObjectId}-${e.toObjectId}`}:${e.occurredAt}`;
    const named: Array<[ChangeNotice['objectType'], string]> = [];
    if (e.subscriptionType.endsWith('associationChange')) {
      const ends = associationEnds(e);
      if (ends) named.push(...ends);
    } else {
      const classic = CLASSIC.exec(e.subscriptionType)?.[1];
      const objectType =
        (e.objectTypeId ? OBJECT_TYPES[e.objectTypeId] : undefined) ??
        (classic === 'deal' ? 'deal' : classic === 'company' ? 'account' : undefined);
      if (objectType)
        for (const objectId of [
          e.objectId,
          e.primaryObjectId,
          e.newObjectId,
          ...(e.mergedObjectIds ?? []),
        ])
          if (objectId !== undefined) named.push([objectType, objectId]);
    }
    const valid = named.filter(([, objectId]) => NUMERIC.test(objectId));
    if (valid.length === 0) {
      skipped++;
      continue;
    }
    const seen = new Set<string>();
    for (const [objectType, objectId] of valid) {
      if (seen.has(`${objectType}:${objectId}`)) continue;
      seen.add(`${objectType}:${objectId}`);
      notices.push({
        externalId: e.portalId,
        key: seen.size === 1 ? base : `${base}:${objectType}:${objectId}`,
        objectType,
        objectId,
        occurredAt: e.occurredAt,
      });
    }
  }
  return { ok: true, notices: notices.slice(0, 5000), skipped };
}
