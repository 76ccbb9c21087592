import express, { type Express, Router } from 'express';

import { bulkRoutes } from './bulk-routes';
import { cometdEndpoint, type StreamingHooks } from './cometd';
import { compositeRoutes } from './composite-routes';
import { notFound, salesforceError } from './errors';
import { oauthRoutes } from './oauth-routes';
import { objectRoutes } from './object-routes';
import type { SalesforceOrg } from './org';
import { queryRoutes } from './query-routes';
import { dailyApiLimit } from './rate-limit';
import type { SalesforceSandboxStore } from './store';
import { apiVersions, servedVersion } from './versions';

export interface SalesforceSandboxOptions {
  /** How long a CometD long poll is held open without events (Salesforce: 110 s). */
  streamingTimeoutSeconds?: number;
}

/**
 * The subset of Salesforce's REST, Bulk 2.0 and Streaming APIs that PartnerLens uses, with
 * Salesforce's paths, shapes, errors and limits, so that jsforce works against it unchanged
 * (DESIGN.md §2, "local CRM sandbox").
 */
export function createSalesforceSandbox(
  store: SalesforceSandboxStore,
  options: SalesforceSandboxOptions = {},
): { app: Express; streaming: StreamingHooks; close(): void } {
  const app = express();
  app.disable('x-powered-by');
  // faye reads the CometD request bodies itself, so its route comes before the body parsers.
  const cometd = cometdEndpoint(store, { timeoutSeconds: options.streamingTimeoutSeconds });
  app.post('/cometd/:version', (req, res, next) =>
    servedVersion(`v${String(req.params.version)}`)
      ? cometd.handler(req, res, next)
      : notFound(res),
  );
  app.use(express.json({ limit: '10mb' }));
  app.use(express.urlencoded({ extended: false }));
  app.use(oauthRoutes(store));

  app.get('/services/data', (_req, res) => res.json(apiVersions()));
  app.use(
    '/services/data/:version',
    (req, res, next) => {
      const version = servedVersion(String(req.params.version));
      if (!version) return notFound(res);
      res.locals.version = version;
      next();
    },
    dataApi(store),
  );

  app.use((_req, res) => notFound(res));
  app.use(((error, _req, res, _next) => {
    const status = (error as { status?: number }).status;
    if (status && status < 500)
      return salesforceError(res, 400, 'JSON_PARSER_ERROR', (error as Error).message);
    salesforceError(res, 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.');
  }) as express.ErrorRequestHandler);
  return { app, streaming: cometd.hooks, close: cometd.close };
}

function dataApi(store: SalesforceSandboxStore): Router {
  const api = Router({ mergeParams: true });
  api.use((req, res, next) => {
    const token = /^(?:Bearer|OAuth) (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const session = token ? store.session(token) : undefined;
    if (!session?.ok)
      return salesforceError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    res.locals.org = session.org;
    res.locals.userId = session.userId;
    next();
  });
  api.use(dailyApiLimit(store));

  api.get('/', (_req, res) => {
    const base = `/services/data/v${res.locals.version as string}`;
    const org = res.locals.org as SalesforceOrg;
    res.json({
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      composite: `${base}/composite`,
      limits: `${base}/limits`,
      jobs: `${base}/jobs`,
      identity: `${store.baseUrl}/id/${org.orgId}/${res.locals.userId as string}`,
    });
  });
  api.get('/limits', (_req, res) => {
    const org = res.locals.org as SalesforceOrg;
    const used = store.apiUsage(org.orgId).used();
    const limit = (max: number, remaining: number) => ({
      Max: max,
      Remaining: Math.max(0, remaining),
    });
    res.json({
      DailyApiRequests: limit(org.dailyApiLimit, org.dailyApiLimit - used),
      DailyBulkV2QueryJobs: limit(10_000, 10_000),
      DailyBulkV2QueryFileStorageMB: limit(976_562, 976_562),
      DailyDeliveredPlatformEvents: limit(50_000, 50_000),
      MonthlyPlatformEventsUsageEntitlement: limit(1_500_000, 1_500_000),
      DataStorageMB: limit(5, 5),
    });
  });
  api.use(queryRoutes());
  api.use(objectRoutes());
  api.use(compositeRoutes());
  api.use(bulkRoutes({ pageSize: () => store.bulkPageSize }));
  api.use((_req, res) => notFound(res));
  return api;
}
