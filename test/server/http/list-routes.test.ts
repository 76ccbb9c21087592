import express from 'express';

import { listRoutes, mountAt, publicRoute } from '../../../server/http/access';

/**
 * listRoutes is what the route-table suites (access, cross-tenant, bad input) call: a route it
 * names at the wrong path is sent only requests that answer 404 ROUTE.NOT_FOUND, and passes.
 */
describe('listing the routes of an app', () => {
  const handler = (_req: express.Request, res: express.Response) => {
    res.json({ ok: true });
  };

  it('names a route of a router mounted with a plain use(path, router) at its full path', () => {
    const app = express();
    const reports = express.Router();
    reports.get('/reports/:id', publicRoute('a test route'), handler);
    const nested = express.Router();
    nested.post('/runs', publicRoute('a test route'), handler);
    reports.use('/batch/', nested);
    app.use('/api/v2', reports);
    const api = express.Router();
    api.get('/things', publicRoute('a test route'), handler);
    mountAt(app, '/api/v1', api);
    app.get('/healthz', publicRoute('a test route'), handler);
    expect(listRoutes(app).map((route) => `${route.method} ${route.path}`)).toEqual([
      'GET /api/v2/reports/:id',
      'POST /api/v2/batch/runs',
      'GET /api/v1/things',
      'GET /healthz',
    ]);
  });

  it('refuses to guess the paths of a router mounted at a pattern', () => {
    const app = express();
    const router = express.Router();
    router.get('/x', publicRoute('a test route'), handler);
    app.use(/^\/v\d+/, router);
    expect(() => listRoutes(app)).toThrow(/mount it at a plain path/);
  });
});
