import { createHash } from 'node:crypto';

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

/**
 * RFC 9110 §13.1.2: whether If-None-Match names the representation (weak comparison, `*` for
 * any). Express's req.fresh is not used: it answers 200 to any request with Cache-Control:
 * no-cache, which fetch() sends with every conditional request it is given.
 */
function noneMatchHas(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

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
    // The tag is the card's own bytes: any change to anything on it is a new tag, and a reload
    // of an unchanged card is a 304. Each caller's own, asked again on every view.
    const body = JSON.stringify(card);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    res.set({ ETag: etag, 'Cache-Control': 'private, no-cache' });
    if (noneMatchHas(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(body);
  });
  return router;
}
