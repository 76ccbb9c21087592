import { createHash, createHmac, randomBytes } from 'node:crypto';

import {
  issueCalloutSecret,
  ROTATION_GRACE_MS,
} from '../../../server/db/salesforce-callout-secrets';
import { createTenant, type Tenant } from '../../../server/db/tenants';
import {
  canonicalSalesforceRequest,
  SALESFORCE_HEADERS,
  type SalesforceSignedRequest,
  signSalesforceRequest,
  verifySalesforceRequest,
} from '../../../server/http/auth/salesforce-signature';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { salesforceId18 } from '../../../server/lib/salesforce-id';
import { startTestApi, type TestApi } from '../../support/api';
import { createTestDatabase, type TestDatabase } from '../../support/services';

const ORG = '00D5g0000004XyZEAU';
const USER = '0055g00000AbCdEAAV';

describe('Salesforce callouts signed with the org secret', () => {
  const box = new CryptoBox(randomBytes(32));
  let database: TestDatabase;
  let api: TestApi;
  let tenant: Tenant;
  let secret: string;
  let clock = Date.now();

  const issue = async (rotate: boolean) => {
    const outcome = await issueCalloutSecret(database.db, box, {
      tenantId: tenant.id,
      orgId: ORG,
      rotate,
      now: clock,
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value.secret;
  };

  /** A call as PartnerLensClient.cls makes it; `tamper` changes what is sent after signing. */
  const signedCall = async (
    options: {
      method?: string;
      path?: string;
      body?: string;
      key?: string;
      timestamp?: number;
      orgId?: string;
      tamper?: { body?: string; path?: string; userId?: string };
    } = {},
  ) => {
    const method = options.method ?? 'GET';
    const path = options.path ?? '/api/v1/whoami';
    const body = options.body ?? '';
    const timestamp = String(options.timestamp ?? clock);
    const orgId = options.orgId ?? ORG;
    const signature = signSalesforceRequest(
      { method, path, rawBody: body, timestamp, orgId, userId: USER },
      options.key ?? secret,
    );
    const response = await fetch(`${api.url}${options.tamper?.path ?? path}`, {
      method,
      headers: {
        [SALESFORCE_HEADERS.orgId]: orgId,
        [SALESFORCE_HEADERS.userId]: options.tamper?.userId ?? USER,
        [SALESFORCE_HEADERS.timestamp]: timestamp,
        [SALESFORCE_HEADERS.signature]: signature,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: method === 'GET' ? undefined : (options.tamper?.body ?? body),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        tenantId?: string;
        via?: string;
        error?: { code: string };
      },
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await createTenant(database.db, { name: 'Salesforce Co' });
    api = await startTestApi(database.db, { box, now: () => clock });
    secret = await issue(false);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it("accepts a fresh, correctly signed call as the org's tenant", async () => {
    expect(await signedCall()).toEqual({
      status: 200,
      body: { tenantId: tenant.id, via: 'salesforce', role: 'admin' },
    });
  });

  it('signs a body and a query string too', async () => {
    const response = await signedCall({
      method: 'POST',
      path: '/api/v1/registrations?source=salesforce',
      body: JSON.stringify({ partnerId: 'not-a-uuid' }),
    });
    // Authenticated (a 400 names the field), so the signature over body and query held.
    expect(response.status).toBe(400);
  });

  it('rejects a body changed after signing', async () => {
    const response = await signedCall({
      method: 'POST',
      path: '/api/v1/sync',
      body: '{"a":1}',
      tamper: { body: '{"a":2}' },
    });
    expect(response).toEqual({
      status: 401,
      body: { error: expect.objectContaining({ code: 'AUTH.SIGNATURE_MISMATCH' }) },
    });
  });

  it('rejects a path or user changed after signing', async () => {
    expect((await signedCall({ tamper: { path: '/api/v1/whoami?x=1' } })).body.error?.code).toBe(
      'AUTH.SIGNATURE_MISMATCH',
    );
    expect((await signedCall({ tamper: { userId: '0055g00000ZzZzZAAV' } })).body.error?.code).toBe(
      'AUTH.SIGNATURE_MISMATCH',
    );
  });

  it('rejects a timestamp more than five minutes off', async () => {
    const stale = await signedCall({ timestamp: clock - 5 * 60_000 - 1 });
    expect(stale.status).toBe(401);
    expect(stale.body.error?.code).toBe('AUTH.SIGNATURE_STALE');
    expect((await signedCall({ timestamp: clock + 5 * 60_000 + 1 })).body.error?.code).toBe(
      'AUTH.SIGNATURE_STALE',
    );
  });

  it('refuses an org that has no secret here, and one signed with another secret', async () => {
    const unknown = await signedCall({ orgId: '00D000000000001EAA' });
    expect(unknown.status).toBe(403);
    expect(unknown.body.error?.code).toBe('AUTH.ORG_NOT_CONNECTED');
    expect((await signedCall({ key: 'plsf_not-the-secret' })).body.error?.code).toBe(
      'AUTH.SIGNATURE_MISMATCH',
    );
  });

  it('refuses a call that names no org', async () => {
    const response = await signedCall({ orgId: 'acme' });
    expect(response.status).toBe(401);
    expect(response.body.error?.code).toBe('AUTH.UNAUTHORIZED');
  });

  describe('when the admin rotates the secret', () => {
    let previous: string;
    beforeAll(async () => {
      previous = secret;
      secret = await issue(true);
    });

    it('accepts the new secret at once', async () => {
      expect((await signedCall()).status).toBe(200);
    });

    it('keeps accepting the old one during the grace period', async () => {
      clock += ROTATION_GRACE_MS - 60_000;
      expect((await signedCall({ key: previous })).status).toBe(200);
    });

    it('refuses the old one once the grace period is over', async () => {
      clock += 2 * 60_000;
      expect((await signedCall({ key: previous })).body.error?.code).toBe(
        'AUTH.SIGNATURE_MISMATCH',
      );
      expect((await signedCall()).status).toBe(200);
    });
  });

  it('stores the secrets sealed, never in clear', async () => {
    const [row] = await database.db.query<{ secret_enc: string; previous_secret_enc: string }>(
      'select secret_enc, previous_secret_enc from salesforce_callout_secrets where org_id = $1',
      [ORG],
    );
    expect(row!.secret_enc).toMatch(/^v1\./);
    expect(row!.secret_enc).not.toContain(secret);
    expect(row!.previous_secret_enc).toMatch(/^v1\./);
  });

  it('binds an org to one tenant', async () => {
    const other = await createTenant(database.db, { name: 'Intruder' });
    const outcome = await issueCalloutSecret(database.db, box, {
      tenantId: other.id,
      orgId: ORG,
      rotate: false,
      now: clock,
    });
    expect(outcome).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'SALESFORCE_SECRET.OTHER_TENANT' }),
    });
  });
});

/**
 * PartnerLensSigner.cls step by step: the canonical lines, the body's SHA-256 in hex
 * (EncodingUtil.convertToHex(Crypto.generateDigest('SHA-256', Blob.valueOf(body)))), the canonical
 * string base64-encoded into the Named Credential formula, which decodes it and signs it:
 * HEX(HMAC('hmacSHA256', BASE64DECODE('…'), BLOB($Credential.PartnerLens.SigningSecret))).
 */
function signAsApexDoes(request: Omit<SalesforceSignedRequest, 'signature'>, secret: string) {
  const bodyDigest = createHash('sha256')
    .update(Buffer.from(request.rawBody, 'utf8'))
    .digest('hex');
  const canonical = [
    request.method.toUpperCase(),
    request.path,
    request.timestamp,
    request.orgId,
    request.userId,
    bodyDigest,
  ].join('\n');
  const formulaInput = Buffer.from(canonical, 'utf8').toString('base64');
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(formulaInput, 'base64'))
    .digest('hex')
    .toUpperCase();
}

describe('the signature PartnerLensSigner.cls makes', () => {
  // The same vector is asserted in PartnerLensSignerTest.cls, so both sides sign alike.
  const request = {
    method: 'post',
    path: '/api/v1/registrations/8c1f0a52-7d3e-4b8a-9a51-0e6f2b7c9d10/decision',
    rawBody: '{"decision":"reject","reason":"Duplicate of an open deal"}',
    timestamp: '1790000000000',
    orgId: '00D5g0000004XyZEAU',
    userId: '0055g00000AbCdEAAV',
  };
  const VECTOR = 'b57db9c32df6e451c30ffbe7e45dac418935789fe6f025f23b3a711dfb3e9d58';

  it('signs HMAC-SHA256 as the reference vector says', () => {
    expect(createHmac('sha256', 'key').update('message').digest('hex')).toBe(
      '6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a',
    );
  });

  it('is method, path, timestamp, org, user and the body digest, one a line', () => {
    expect(canonicalSalesforceRequest(request)).toBe(
      'POST\n/api/v1/registrations/8c1f0a52-7d3e-4b8a-9a51-0e6f2b7c9d10/decision\n1790000000000\n' +
        '00D5g0000004XyZEAU\n0055g00000AbCdEAAV\n' +
        'cd53500ff482cdd0427006f729d7e8d6dc2305997f8f93c9b9cbb7a6cc551dd3',
    );
  });

  it('matches the fixed vector, and the service accepts it in upper or lower case', () => {
    const apex = signAsApexDoes(request, 'key');
    expect(apex.toLowerCase()).toBe(VECTOR);
    expect(signSalesforceRequest(request, 'key')).toBe(VECTOR);
    const now = Number(request.timestamp);
    expect(verifySalesforceRequest({ ...request, signature: apex }, ['key'], now)).toEqual({
      ok: true,
    });
  });
});

describe('Salesforce ids', () => {
  it('turns a 15-character id into its 18-character form and checks an 18-character one', () => {
    expect(salesforceId18('00D5g0000004XyZ')).toBe('00D5g0000004XyZEAU');
    expect(salesforceId18('00D5g0000004XyZEAU')).toBe('00D5g0000004XyZEAU');
    expect(salesforceId18('00D5g0000004XyZAAA')).toBeUndefined();
    expect(salesforceId18('not an id')).toBeUndefined();
  });
});
