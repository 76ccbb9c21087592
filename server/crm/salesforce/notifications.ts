import { z } from 'zod';

import type { ChangeNotice } from '../changes';

// A Change Data Capture event as the streaming API delivers it (only what PartnerLens relies on).
const changeEvent = z.object({
  payload: z.object({
    ChangeEventHeader: z.object({
      entityName: z.string().max(100),
      recordIds: z.array(z.string().max(18)).max(10_000),
      changeType: z.string().max(40),
      commitTimestamp: z.number().int().nonnegative(),
    }),
  }),
  event: z.object({ replayId: z.number().int() }),
});

const OBJECT_TYPES: Record<string, ChangeNotice['objectType']> = {
  Account: 'account',
  Opportunity: 'deal',
};
// A wildcard id: the event is about many records of the entity (a gap or an overflow).
const RECORD_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

export type DecodedChange =
  | { ok: true; replayId: number; notices: ChangeNotice[]; catchUp: boolean }
  | { ok: false; reason: string };

/**
 * One CDC event as the records it names, to be re-read (never its values: an UPDATE carries only
 * what changed, a GAP_ event nothing). Events of other objects name nothing; an event whose
 * record ids are wildcards or whose type is an overflow asks for a SystemModstamp catch-up.
 */
export function decodeChangeEvent(orgId: string, message: unknown): DecodedChange {
  const parsed = changeEvent.safeParse(message);
  if (!parsed.success)
    return {
      ok: false,
      reason: parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', '),
    };
  const { ChangeEventHeader: header } = parsed.data.payload;
  const replayId = parsed.data.event.replayId;
  const objectType = OBJECT_TYPES[header.entityName];
  const ids = header.recordIds.filter((id) => RECORD_ID.test(id));
  const catchUp = header.changeType === 'GAP_OVERFLOW' || ids.length < header.recordIds.length;
  if (!objectType) return { ok: true, replayId, notices: [], catchUp };
  return {
    ok: true,
    replayId,
    catchUp,
    notices: ids.map((id) => ({
      externalId: orgId,
      key: `${replayId}:${id}`,
      objectType,
      objectId: id,
      occurredAt: header.commitTimestamp,
    })),
  };
}
