import { Router } from 'express';
import { z } from 'zod';

import { AccountListError, importAccountList } from '../../cosell/account-lists';
import type { Database } from '../../db/database';
import { actorOf, callerOf } from '../auth/authenticate';
import { HttpError, notFound } from '../errors';

/** Partner account lists, and (on the deal) co-sell attach and decline. */
export function cosellRoutes(db: Database, _now: () => number): Router {
  const router = Router();

  /** `text/csv` body `name,domain,population`, streamed; bad rows are reported, the rest kept. */
  router.post('/partners/:partnerId/accounts/import', async (req, res) => {
    const partnerId = z.uuid().safeParse(req.params.partnerId);
    if (!partnerId.success) throw notFound('PARTNER.NOT_FOUND', 'No such partner');
    if (!/^text\/csv\b/i.test(req.get('content-type') ?? ''))
      throw new HttpError(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Send the list as text/csv');
    const caller = callerOf(req);
    try {
      const result = await importAccountList(
        db,
        caller.tenantId,
        partnerId.data,
        req,
        actorOf(caller),
      );
      res.status(201).json(result);
    } catch (error) {
      if (error instanceof AccountListError) {
        // Whatever the client still sends is not read; say so and close.
        res.setHeader('connection', 'close');
        throw error.code === 'PARTNER.NOT_FOUND'
          ? notFound(error.code, error.message)
          : new HttpError(400, error.code, error.message);
      }
      if ((error as { code?: string }).code?.startsWith('CSV_'))
        throw new HttpError(400, 'CSV.INVALID', (error as Error).message);
      throw error;
    }
  });

  return router;
}
