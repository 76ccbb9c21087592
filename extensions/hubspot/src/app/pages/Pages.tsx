import { hubspot } from '@hubspot/ui-extensions';

import type { ApiFetcher } from './api.ts';
import { createAppPages } from './AppPages.tsx';

// hubspot.fetch signs the call (signature v3) and adds portalId, which the service uses as the tenant.
const fetcher: ApiFetcher = (url, options) => hubspot.fetch(url, options);
const AppPages = createAppPages(fetcher);

hubspot.extend<'pages'>(() => <AppPages />);
