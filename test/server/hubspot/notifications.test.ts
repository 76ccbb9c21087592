import { decodeHubSpotNotifications } from '../../../server/crm/hubspot/notifications';

const at = 1_796_300_000_000;

/** HubSpot's webhook events, as the records PartnerLens re-reads for them. */
describe('HubSpot webhook events', () => {
  it('reads a property change as its deal or company', () => {
    const decoded = decodeHubSpotNotifications([
      {
        eventId: 1,
        portalId: 7,
        occurredAt: at,
        subscriptionType: 'object.propertyChange',
        objectId: 11,
        objectTypeId: '0-3',
      },
      {
        eventId: 2,
        portalId: 7,
        occurredAt: at,
        subscriptionType: 'company.creation',
        objectId: 12,
      },
    ]);
    expect(decoded).toMatchObject({
      ok: true,
      skipped: 0,
      notices: [
        { externalId: '7', objectType: 'deal', objectId: '11' },
        { externalId: '7', objectType: 'account', objectId: '12' },
      ],
    });
  });

  it('reads an association change by its two ends, as HubSpot sends it (no objectId)', () => {
    const decoded = decodeHubSpotNotifications([
      {
        eventId: 3,
        portalId: 7,
        occurredAt: at,
        subscriptionType: 'object.associationChange',
        associationType: 'DEAL_TO_COMPANY',
        fromObjectId: 21,
        toObjectId: 22,
        associationRemoved: false,
      },
      // A deal's contact is not something the mirror holds.
      {
        eventId: 4,
        portalId: 7,
        occurredAt: at,
        subscriptionType: 'object.associationChange',
        associationType: 'DEAL_TO_CONTACT',
        fromObjectId: 21,
        toObjectId: 99,
      },
    ]);
    expect(decoded).toMatchObject({
      ok: true,
      skipped: 1,
      notices: [
        { objectType: 'deal', objectId: '21' },
        { objectType: 'account', objectId: '22' },
      ],
    });
  });

  it('reads a merge as the record kept and the ones merged away', () => {
    const decoded = decodeHubSpotNotifications([
      {
        eventId: 5,
        portalId: 7,
        occurredAt: at,
        subscriptionType: 'object.merge',
        objectTypeId: '0-2',
        objectId: 31,
        primaryObjectId: 31,
        mergedObjectIds: [32, 33],
      },
    ]);
    expect(decoded.ok && decoded.notices.map((n) => [n.objectType, n.objectId])).toEqual([
      ['account', '31'],
      ['account', '32'],
      ['account', '33'],
    ]);
  });

  it('refuses a body that is not a list, and skips events not in the shape', () => {
    expect(decodeHubSpotNotifications({ events: [] })).toEqual({ ok: false });
    expect(
      decodeHubSpotNotifications([{ eventId: 'x' }, { subscriptionType: 'object.creation' }]),
    ).toEqual({
      ok: true,
      notices: [],
      skipped: 2,
    });
  });
});
