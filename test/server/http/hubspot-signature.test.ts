import { createHmac } from 'node:crypto';

import { signHubSpotV3, verifyHubSpotV3 } from '../../../server/http/auth/hubspot-signature';

const SECRET = 'app-client-secret';
const NOW = 1_790_000_000_000;

const request = (overrides: Partial<Parameters<typeof verifyHubSpotV3>[0]> = {}) => {
  const base = {
    method: 'POST',
    url: 'https://app.partnerlens.io/api/v1/deals/42/card?portalId=123&userId=7',
    rawBody: '{"a":1}',
    timestamp: String(NOW - 1000),
  };
  return { ...base, signature: signHubSpotV3(base, SECRET), ...overrides };
};

describe('HubSpot signature v3', () => {
  it('signs base64(HMAC-SHA256(secret, method + url + body + timestamp)) as HubSpot documents', () => {
    const expected = createHmac('sha256', SECRET)
      .update(
        `POSThttps://app.partnerlens.io/api/v1/deals/42/card?portalId=123&userId=7{"a":1}${NOW - 1000}`,
      )
      .digest('base64');
    expect(request().signature).toBe(expected);
  });

  it('accepts a fresh, correctly signed request', () => {
    expect(verifyHubSpotV3(request(), SECRET, NOW)).toEqual({ ok: true });
  });

  it('rejects a timestamp older than five minutes', () => {
    const stale = {
      method: 'GET',
      url: 'https://x.io/a',
      rawBody: '',
      timestamp: String(NOW - 5 * 60 * 1000 - 1),
    };
    expect(
      verifyHubSpotV3({ ...stale, signature: signHubSpotV3(stale, SECRET) }, SECRET, NOW),
    ).toEqual({ ok: false, reason: 'stale' });
  });

  it('accepts a timestamp just inside the window', () => {
    const edge = {
      method: 'GET',
      url: 'https://x.io/a',
      rawBody: '',
      timestamp: String(NOW - 5 * 60 * 1000),
    };
    expect(
      verifyHubSpotV3({ ...edge, signature: signHubSpotV3(edge, SECRET) }, SECRET, NOW),
    ).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    expect(verifyHubSpotV3(request({ rawBody: '{"a":2}' }), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a tampered URL, such as another portalId', () => {
    expect(
      verifyHubSpotV3(
        request({ url: 'https://app.partnerlens.io/api/v1/deals/42/card?portalId=124&userId=7' }),
        SECRET,
        NOW,
      ),
    ).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyHubSpotV3(request(), 'another-secret', NOW)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a request without signature or timestamp', () => {
    expect(verifyHubSpotV3(request({ signature: undefined }), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(verifyHubSpotV3(request({ timestamp: undefined }), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('decodes the escapes HubSpot decodes before signing', () => {
    const encoded = {
      method: 'GET',
      url: 'https://x.io/a?q=a%3Ab%2Cc%20d',
      rawBody: '',
      timestamp: String(NOW),
    };
    const decoded = { ...encoded, url: 'https://x.io/a?q=a:b,c%20d' };
    expect(signHubSpotV3(encoded, SECRET)).toBe(signHubSpotV3(decoded, SECRET));
  });
});
