import { readFileSync } from 'node:fs';
import path from 'node:path';

import { COMPANY_PROPERTIES, DEAL_PROPERTIES } from '../../../server/crm/hubspot/records';
import { HUBSPOT_SCOPES } from '../../../server/crm/hubspot/scopes';

const APP = path.join(__dirname, '../../../extensions/hubspot/src/app');
const read = (file: string) => JSON.parse(readFileSync(path.join(APP, file), 'utf8')) as never;

interface Subscription {
  subscriptionType: string;
  objectType: string;
  propertyName?: string;
  active: boolean;
}

/** The HubSpot project declares what the service relies on: its scopes, and webhooks for what it mirrors. */
describe('the HubSpot project', () => {
  const app: { config: { auth: { requiredScopes: string[]; redirectUrls: string[] } } } =
    read('app-hsmeta.json');
  const webhooks: {
    type: string;
    config: { settings: { targetUrl: string }; subscriptions: { crmObjects: Subscription[] } };
  } = read('webhooks/webhooks-hsmeta.json');

  it('asks at install for the scopes the app declares', () => {
    expect([...HUBSPOT_SCOPES].sort()).toEqual([...app.config.auth.requiredScopes].sort());
  });

  it('sends its webhooks to the service that takes its install', () => {
    expect(webhooks.type).toBe('webhooks');
    const target = new URL(webhooks.config.settings.targetUrl);
    expect(target.pathname).toBe('/webhooks/hubspot');
    expect(app.config.auth.redirectUrls.map((url) => new URL(url).origin)).toContain(target.origin);
  });

  it('subscribes to each change of a deal or company that the mirror reads', () => {
    const active = webhooks.config.subscriptions.crmObjects.filter((s) => s.active);
    for (const objectType of ['deal', 'company'])
      for (const kind of ['creation', 'deletion', 'restore', 'merge', 'associationChange'])
        expect(active).toContainEqual(
          expect.objectContaining({ subscriptionType: `object.${kind}`, objectType }),
        );
    // Set once (createdate) or calculated from dealstage: a dealstage change brings them along.
    const derived = new Set(['createdate', 'hs_is_closed', 'hs_is_closed_won']);
    const watched = (objectType: string) =>
      active
        .filter(
          (s) => s.objectType === objectType && s.subscriptionType === 'object.propertyChange',
        )
        .map((s) => s.propertyName)
        .sort();
    expect(watched('deal')).toEqual(DEAL_PROPERTIES.filter((p) => !derived.has(p)).sort());
    expect(watched('company')).toEqual([...COMPANY_PROPERTIES].sort());
  });
});
