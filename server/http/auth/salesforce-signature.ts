import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { SIGNATURE_MAX_AGE_MS, type SignatureCheck } from './hubspot-signature';

/** The headers the Salesforce package's Apex client (PartnerLensClient.cls) sends on every callout. */
export const SALESFORCE_HEADERS = {
  orgId: 'x-partnerlens-org-id',
  userId: 'x-partnerlens-user-id',
  timestamp: 'x-partnerlens-timestamp',
  signature: 'x-partnerlens-signature',
} as const;

export interface SalesforceSignedRequest {
  method: string;
  /** The path and query as sent, after the Named Credential's URL: `/api/v1/deals/006…/card`. */
  path: string;
  rawBody: string;
  /** Milliseconds since the epoch, as Apex's Datetime.now().getTime() gives them. */
  timestamp: string | undefined;
  orgId: string;
  /** The Salesforce user making the call (005…), or '' for none. */
  userId: string;
  signature: string | undefined;
}

/**
 * The string that is signed, one field a line: method, path with query, timestamp, org id, user
 * id, and the hex SHA-256 of the raw body. The body enters as its digest so the whole string stays
 * short enough for the Named Credential formula that signs it in the org (PartnerLensSigner.cls).
 */
export function canonicalSalesforceRequest(
  request: Omit<SalesforceSignedRequest, 'signature'>,
): string {
  return [
    request.method.toUpperCase(),
    request.path,
    request.timestamp ?? '',
    request.orgId,
    request.userId,
    createHash('sha256').update(request.rawBody, 'utf8').digest('hex'),
  ].join('\n');
}

/** hex(HMAC-SHA256(secret, canonical)), lower case (the service accepts either case). */
export function signSalesforceRequest(
  request: Omit<SalesforceSignedRequest, 'signature'>,
  secret: string,
): string {
  return createHmac('sha256', secret)
    .update(canonicalSalesforceRequest(request), 'utf8')
    .digest('hex');
}

/** Valid when the timestamp is within five minutes and any of `secrets` signed it (constant-time). */
export function verifySalesforceRequest(
  request: SalesforceSignedRequest,
  secrets: readonly string[],
  nowMs: number,
): SignatureCheck {
  if (
    !request.signature ||
    !/^[0-9a-fA-F]{64}$/.test(request.signature) ||
    !request.timestamp ||
    !/^\d{10,16}$/.test(request.timestamp)
  )
    return { ok: false, reason: 'missing' };
  const age = nowMs - Number(request.timestamp);
  if (age > SIGNATURE_MAX_AGE_MS || age < -SIGNATURE_MAX_AGE_MS)
    return { ok: false, reason: 'stale' };
  const presented = Buffer.from(request.signature, 'hex');
  // Every secret is tried, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signSalesforceRequest(request, secret), 'hex');
    if (timingSafeEqual(expected, presented)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
