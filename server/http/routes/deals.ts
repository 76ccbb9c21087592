import { Router } from 'express';
import { z } from 'zod';

import type { PartnerDirectory } from '../../cosell/partner-directory';
import type { Queryable } from '../../db/database';
import { findDealCard } from '../../db/deal-card';
import { allow, READERS } from '../access';
import { callerOf } from '../auth/authenticate';
import { notFound } from '../errors';

// HubSpot object ids are digits; Salesforce ids are 15 or 18 alphanumerics.
const dealParams = z.object({
  dealId: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be a CRM record id'),
});

export function dealRoutes(db: Queryable, now: () => number, directory: PartnerDirectory): Router {
  const router = Router();
  router.get('/deals/:dealId/card', allow(...READERS), async (req, res) => {
    const { dealId } = dealParams.parse(req.params);
    const card = await findDealCard(db, callerOf(req).tenantId, dealId, now(), directory);
    if (!card)
      throw notFound(
        'DEAL.NOT_FOUND',
        `Deal ${dealId} is not in PartnerLens (yet: it appears after the next sync)`,
      );
    res.json(card);
  });
  return router;
}
