import { randomUUID } from 'node:crypto';

import type { Response } from 'express';

/** HubSpot's error body: { status: 'error', message, correlationId, category }. */
export function hubspotError(
  res: Response,
  status: number,
  category: string,
  message: string,
): void {
  res.status(status).json({ status: 'error', message, correlationId: randomUUID(), category });
}
