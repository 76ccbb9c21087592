import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';

import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

import { PartnerDirectory } from '../cosell/partner-directory';
import type { CrmRegistry } from '../crm/port';
import type { Database } from '../db/database';
import type { CryptoBox } from '../lib/crypto-box';
import type {
  CommissionsQueue,
  CrmChangesQueue,
  CrmSyncQueue,
  ReconcileQueue,
} from '../queue/queues';
import { mountAt, publicRoute } from './access';
import { authenticate, type PreviousSecret } from './auth/authenticate';
import { errorMiddleware, HttpError, notFound, unauthorized } from './errors';
import { guardRequest, refuseMisencodedJson } from './request-guard';
import { commissionRoutes } from './routes/commissions';
import { cosellRoutes } from './routes/cosell';
import { dealRoutes } from './routes/deals';
import { mergeCandidateRoutes } from './routes/merge-candidates';
import { hubspotInstallRoutes, type HubSpotInstallSettings } from './routes/oauth-hubspot';
import { salesforceInstallRoutes, type SalesforceInstallSettings } from './routes/oauth-salesforce';
import { partnerImportRoutes } from './routes/partner-import';
import { partnerRoutes } from './routes/partners';
import { programRoutes } from './routes/program';
import { registrationRoutes } from './routes/registrations';
import { syncRoutes } from './routes/sync';
import { webhookRoutes } from './routes/webhooks';
import { whoamiRoutes } from './routes/whoami';

export interface AppDependencies {
  db: Database;
  logger: Logger;
  crmSync: CrmSyncQueue;
  reconcile: ReconcileQueue;
  /** Asked to bring the ledger in line when the program changes; absent in tests that do not need it. */
  commissions?: CommissionsQueue;
  /** The CRMs partner attachments are written back to; without them they stay in PartnerLens only. */
  crms?: CrmRegistry;
  hubspotClientSecret: string;
  /** During a rotation of the app's client secret, the one it replaced (server/config.ts). */
  hubspotPreviousClientSecret?: PreviousSecret;
  /** Opens the Salesforce orgs' callout signing secrets; without it Salesforce callouts are refused. */
  box?: CryptoBox;
  publicUrl?: string;
  /** The bearer token Prometheus scrapes /metrics with; without it, /metrics answers loopback only. */
  metricsToken?: string;
  /** The HubSpot marketplace install (its routes are there only with it and `box`). */
  hubspotInstall?: HubSpotInstallSettings;
  /** Connecting a Salesforce org (its routes are there only with it and `box`). */
  salesforceInstall?: SalesforceInstallSettings;
  /** Where HubSpot's webhook events go to be re-read; without it they are kept for the sweep. */
  crmChanges?: CrmChangesQueue;
  /** Each named check resolves when its dependency answers. */
  readiness: Record<string, () => Promise<unknown>>;
  now?: () => number;
}

const READINESS_TIMEOUT_MS = 2000;

/** True when the check resolves within the time; a hung dependency is as unready as a failed one. */
async function answersWithin(check: () => Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      check().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics (docs/reliability.md): with a token, whoever presents it as a bearer (how
 * Prometheus scrapes: `authorization: { credentials_file }`); without one, loopback callers only —
 * a sidecar or the developer's machine. req.ip is the client behind a loopback proxy.
 */
function metricsAccess(token: string | undefined): express.RequestHandler {
  const expected = token === undefined ? undefined : sha256(token);
  return (req, _res, next) => {
    if (!expected) {
      if (LOOPBACK.has(req.ip ?? '')) return next();
      return next(
        new HttpError(
          403,
          'METRICS.FORBIDDEN',
          'Metrics answer loopback callers only; set METRICS_TOKEN to scrape them from elsewhere',
        ),
      );
    }
    const [scheme, presented] = (req.get('authorization') ?? '').split(' ');
    if (
      scheme?.toLowerCase() !== 'bearer' ||
      !presented ||
      !timingSafeEqual(sha256(presented), expected)
    )
      return next(
        unauthorized('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"'),
      );
    next();
  };
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [metrics],
  });

  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id =
          (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Card calls carry the HubSpot user in the query: log the path only. Of the answer, its
      // status: the headers are the same security headers on every line.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customSuccessMessage: (req, res, responseTime) =>
        `${req.method} ${req.url?.split('?')[0]} ${res.statusCode} ${Math.round(responseTime)} ms`,
      customErrorMessage: (req, res) =>
        `${req.method} ${req.url?.split('?')[0]} ${res.statusCode} failed`,
    }),
  );
  app.use((req, res, next) => {
    const end = requestDuration.startTimer({ method: req.method });
    res.on('finish', () =>
      end({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }),
    );
    next();
  });
  // Signature v3 covers the exact bytes, whatever their content type: keep them for every body.
  const keepRawBody = (req: express.Request, _res: unknown, buffer: Buffer) => {
    req.rawBody = buffer;
  };
  app.use(
    express.json({
      limit: '1mb',
      verify: (req: express.Request, res: unknown, buffer: Buffer, encoding: string) => {
        refuseMisencodedJson(buffer, encoding);
        keepRawBody(req, res, buffer);
      },
    }),
  );
  // CSV uploads (account lists) are streamed by their route, never buffered here.
  const streamed = (req: express.Request) => /^text\/csv\b/i.test(req.get('content-type') ?? '');
  app.use(
    express.raw({
      type: (req) => !streamed(req as express.Request),
      limit: '1mb',
      verify: keepRawBody,
    }),
  );

  app.use(guardRequest);

  app.get('/healthz', publicRoute('a liveness probe: says nothing but ok'), (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', publicRoute('a readiness probe: dependency names only'), async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(deps.readiness).map(
        async ([name, check]) =>
          [
            name,
            (await answersWithin(check, READINESS_TIMEOUT_MS)) ? 'ok' : 'unavailable',
          ] as const,
      ),
    );
    const ready = checks.every(([, status]) => status === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(checks) });
  });
  app.get(
    '/metrics',
    publicRoute('METRICS_TOKEN bearer, or loopback without one'),
    metricsAccess(deps.metricsToken),
    async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.metrics());
    },
  );

  const api = express.Router();
  api.use(
    authenticate({
      db: deps.db,
      hubspotClientSecret: deps.hubspotClientSecret,
      ...(deps.hubspotPreviousClientSecret
        ? { hubspotPreviousClientSecret: deps.hubspotPreviousClientSecret }
        : {}),
      publicUrl: deps.publicUrl,
      box: deps.box,
      now: deps.now ?? Date.now,
    }),
  );
  api.use(whoamiRoutes());
  api.use(dealRoutes(deps.db, deps.now ?? Date.now, new PartnerDirectory(deps.db)));
  api.use(syncRoutes(deps.db, deps.crmSync, deps.now ?? Date.now));
  api.use(mergeCandidateRoutes(deps.db, deps.reconcile));
  api.use(partnerImportRoutes(deps.db, deps.reconcile));
  api.use(partnerRoutes(deps.db));
  api.use(programRoutes(deps.db, deps.commissions));
  api.use(commissionRoutes(deps.db, deps.now ?? Date.now));
  api.use(registrationRoutes(deps.db, deps.now ?? Date.now));
  api.use(cosellRoutes(deps.db, { crms: deps.crms, commissions: deps.commissions }));
  mountAt(app, '/api/v1', api);

  // Outside /api/v1: HubSpot signs its webhooks, and the install is a browser's redirect chain.
  app.use(
    webhookRoutes({
      db: deps.db,
      hubspotClientSecret: deps.hubspotClientSecret,
      ...(deps.hubspotPreviousClientSecret
        ? { hubspotPreviousClientSecret: deps.hubspotPreviousClientSecret }
        : {}),
      publicUrl: deps.publicUrl,
      now: deps.now ?? Date.now,
      changes: deps.crmChanges,
      logger: deps.logger,
    }),
  );
  if (deps.hubspotInstall && deps.box)
    app.use(
      hubspotInstallRoutes({
        db: deps.db,
        box: deps.box,
        install: deps.hubspotInstall,
        crmSync: deps.crmSync,
        now: deps.now ?? Date.now,
        logger: deps.logger,
      }),
    );
  if (deps.salesforceInstall && deps.box)
    app.use(
      salesforceInstallRoutes({
        db: deps.db,
        box: deps.box,
        install: deps.salesforceInstall,
        crmSync: deps.crmSync,
        now: deps.now ?? Date.now,
        logger: deps.logger,
      }),
    );

  app.use((req, _res, next) =>
    next(notFound('ROUTE.NOT_FOUND', `No route for ${req.method} ${req.path}`)),
  );
  app.use(errorMiddleware);
  return app;
}
