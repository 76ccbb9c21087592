import { hubspot } from '@hubspot/ui-extensions';

import type { ApiFetcher } from '../pages/api.ts';
import { SettingsPage } from './SettingsPage.tsx';

// hubspot.fetch signs the call (signature v3) and adds portalId, which the service uses as the tenant.
const fetcher: ApiFetcher = (url, options) => hubspot.fetch(url, options);

hubspot.extend<'settings'>(() => <SettingsPage fetcher={fetcher} />);
