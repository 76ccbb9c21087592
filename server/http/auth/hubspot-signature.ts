import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

// HubSpot decodes exactly these escapes in the URL before signing (its signature v3 spec).
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export interface SignedRequest {
  method: string;
  /** The full URL HubSpot called, scheme and host included. */
  url: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export function signHubSpotV3(
  request: Omit<SignedRequest, 'signature'>,
  clientSecret: string,
): string {
  const url = request.url.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (escape) => DECODED_ESCAPES[escape.toUpperCase()]!,
  );
  return createHmac('sha256', clientSecret)
    .update(
      `${request.method.toUpperCase()}${url}${request.rawBody}${request.timestamp ?? ''}`,
      'utf8',
    )
    .digest('base64');
}

/**
 * Written here rather than taken from @hubspot/api-client's Signature.isValid because that helper
 * compares with === (not constant-time), does not apply the URL decoding and throws on a stale timestamp.
 * Several secrets (the current one and, during a rotation, the previous one): any may have signed.
 */
export function verifyHubSpotV3(
  request: SignedRequest,
  clientSecrets: string | readonly string[],
  nowMs: number,
): SignatureCheck {
  if (!request.signature || !request.timestamp || !/^\d{10,16}$/.test(request.timestamp)) {
    return { ok: false, reason: 'missing' };
  }
  const age = nowMs - Number(request.timestamp);
  if (age > SIGNATURE_MAX_AGE_MS || age < -SIGNATURE_MAX_AGE_MS)
    return { ok: false, reason: 'stale' };
  const presented = Buffer.from(request.signature, 'base64');
  // Every secret is tried, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of typeof clientSecrets === 'string' ? [clientSecrets] : clientSecrets) {
    const expected = Buffer.from(signHubSpotV3(request, secret), 'base64');
    if (expected.length === presented.length && timingSafeEqual(expected, presented))
      matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
