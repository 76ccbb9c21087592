import { Router } from 'express';
import { z } from 'zod';

import { PARTNER_TYPES } from '../../../src/program/program';
import type { Queryable } from '../../db/database';
import { allow, ownPartnerOnly, READERS } from '../access';
import { callerOf } from '../auth/authenticate';
import { HttpError, notFound } from '../errors';

const listQuery = z.strictObject({
  query: z.string().trim().max(200).optional(),
  type: z.enum(PARTNER_TYPES).optional(),
  tier: z.string().trim().min(1).max(40).optional(),
  status: z.enum(['active', 'inactive']).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const cursorSchema = z.object({ n: z.string(), i: z.uuid() });

interface PartnerRow {
  id: string;
  name: string;
  domain: string | null;
  type: string;
  tier: string;
  status: string;
  partner_manager: string | null;
  regions: string[];
  verticals: string[];
  certifications: string[];
  sources: Array<{ source: string; id: string }>;
}

const COLUMNS = `p.id, p.name, p.domain, p.type, p.tier, p.status, p.partner_manager, p.regions, p.verticals, p.certifications,
  coalesce((select json_agg(json_build_object('source', l.source, 'id', l.external_id) order by l.source, l.external_id)
              from partner_links l where l.tenant_id = p.tenant_id and l.partner_id = p.id), '[]') as sources`;

const toJson = (row: PartnerRow) => ({
  id: row.id,
  name: row.name,
  domain: row.domain,
  type: row.type,
  tier: row.tier,
  status: row.status,
  partnerManager: row.partner_manager,
  regions: row.regions,
  verticals: row.verticals,
  certifications: row.certifications,
  /** The records this partner was reconciled from: CRM companies and program rows. */
  sources: row.sources,
});

const encodeCursor = (row: PartnerRow) =>
  Buffer.from(JSON.stringify({ n: row.name, i: row.id })).toString('base64url');
function decodeCursor(text: string) {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'REQUEST.INVALID', 'The request is not valid', [
      { path: 'cursor', message: 'is not a cursor this API gave out' },
    ]);
  }
}

/** The tenant's partners, to find the ids registrations, imports and payouts need. */
export function partnerRoutes(db: Queryable): Router {
  const router = Router();

  /** By name, a part of it, or the domain; filtered by type, tier, status; by name, keyset-paged. */
  router.get('/partners', allow(...READERS), async (req, res) => {
    const options = listQuery.parse(req.query);
    const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
    const pattern = options.query
      ? `%${options.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      : null;
    const rows = await db.query<PartnerRow>(
      `select ${COLUMNS} from partners p
        where p.tenant_id = $1
          and ($2::text is null or lower(p.name) like $2 or lower(coalesce(p.domain, '')) like $2)
          and ($3::text is null or p.type = $3)
          and ($4::text is null or p.tier = $4)
          and ($5::text is null or p.status = $5)
          and ($6::text is null or (p.name collate "C", p.id) > ($6::text collate "C", $7::uuid))
        order by p.name collate "C", p.id
        limit $8`,
      [
        callerOf(req).tenantId,
        pattern,
        options.type ?? null,
        options.tier ?? null,
        options.status ?? null,
        cursor?.n ?? null,
        cursor?.i ?? null,
        options.limit + 1,
      ],
    );
    const page = rows.slice(0, options.limit);
    res.json({
      items: page.map(toJson),
      nextCursor: rows.length > options.limit ? encodeCursor(page[page.length - 1]!) : null,
    });
  });

  router.get('/partners/:partnerId', allow(...READERS, 'partner'), async (req, res, next) => {
    const id = z.uuid().safeParse(req.params.partnerId);
    // Other routes live under /partners/… (merge-candidates): a word that is not an id goes on.
    if (!id.success) return next();
    ownPartnerOnly(req, id.data, 'PARTNER');
    const [row] = await db.query<PartnerRow>(
      `select ${COLUMNS} from partners p where p.tenant_id = $1 and p.id = $2`,
      [callerOf(req).tenantId, id.data],
    );
    if (!row) throw notFound('PARTNER.NOT_FOUND', `No partner ${id.data}`);
    res.json(toJson(row));
  });

  return router;
}
