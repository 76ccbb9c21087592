import fc from 'fast-check';

import type { ListedRoute } from '../../server/http/access';

/** The real ids of one tenant a suite calls routes with. */
export interface Ids {
  partnerId: string;
  dealId: string;
  entryId: string;
  id: string;
  period: string;
}

/** A request body as bytes on the wire, with the content type it claims (none: no header). */
export interface BodyCase {
  kind: string;
  contentType: string | undefined;
  payload: string | Buffer;
}

/** A number JSON can spell but JSON.stringify cannot: kept as a marker and spliced in raw. */
const RAW = (token: string) => `\u0001${token}\u0001`;
const spliceRaw = (json: string) => json.replace(/"\\u0001([^"\\]*)\\u0001"/g, '$1');
const toJson = (value: unknown) => spliceRaw(JSON.stringify(value) ?? 'null');

const HUGE = 'x'.repeat(1_100_000);
const LARGE = 'y'.repeat(900_000);

/** Text a schema might let through and the database or a parser might not. */
export const badString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'NaN',
      'Infinity',
      '-Infinity',
      '-1',
      '0',
      '1e309',
      '-1e309',
      '0x1F',
      '9'.repeat(40),
      '-9223372036854775809',
      '__proto__',
      'constructor',
      'prototype',
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfffy',
      '\ufeff',
      '\u202e',
      '=HYPERLINK("http://evil.example","x")',
      '+cmd|" /C calc"!A0',
      '../../etc/passwd',
      "'; drop table partners; --",
      '2026-13-45',
      '2026-02-30T25:61:00Z',
      '9999-12-31T23:59:59Z',
      '0000-01-01',
      'true',
      'null',
      '{}',
      '[]',
      'x'.repeat(5000),
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  // Any UTF-16 code unit, so lone surrogates too.
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
      maxLength: 8,
    }),
  },
);

const badNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0.5,
    1.5,
    2 ** 31,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.constantFrom('1e309', '-1e309', '123456789012345678901234567890', '1e-400', '-0').map(RAW),
  fc.double(),
  fc.integer(),
);

const FIELDS = [
  'partnerId',
  'companyName',
  'companyDomain',
  'amount',
  'currency',
  'decision',
  'reason',
  'requestId',
  'refundId',
  'dealId',
  'entryIds',
  'throughPeriod',
  'reference',
  'role',
  'sharePct',
  'csv',
  'version',
  'program',
  'confirm',
];
const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ...FIELDS),
  badString,
);

/** Any JSON value of the wrong kind: strings, numbers out of range, arrays, objects with odd keys. */
export const badValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    badString,
    badNumber,
    fc.constantFrom(null, true, false),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const nested = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  undefined,
];

/** Every path down a JSON value (objects and arrays), the value itself first. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  return [
    at,
    ...Object.entries(value).flatMap(([k, child]) =>
      pathsOf(child, [...at, Array.isArray(value) ? Number(k) : k]),
    ),
  ];
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string,
    unknown
  >;
  const [head, ...rest] = path;
  copy[head!] = setAt(copy[head!], rest, replacement);
  return copy;
}

/** A valid body with one place replaced by a bad value, or given an extra key. */
const mutated = (valid: unknown): fc.Arbitrary<unknown> => {
  const paths = pathsOf(valid);
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...paths), badValue)
      .map(([path, replacement]) => setAt(valid, path, replacement)),
    fc.tuple(fc.constantFrom(...paths), key, badValue).map(([path, name, extra]) => {
      const target = path.reduce<unknown>(
        (node, step) => (node as Record<string, unknown>)[step],
        valid,
      );
      if (target === null || typeof target !== 'object' || Array.isArray(target))
        return setAt(valid, path, { [name]: extra });
      // JSON text is what is sent: a "__proto__" key arrives as a key, as it would from a client.
      return setAt(valid, path, Object.fromEntries([...Object.entries(target), [name, extra]]));
    }),
  );
};

/** A valid body with NUL or half a surrogate pair put into one of its texts. */
const unstorable = (valid: unknown): fc.Arbitrary<unknown> => {
  const at = (path: (string | number)[]) =>
    path.reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], valid);
  const texts = pathsOf(valid).filter((path) => typeof at(path) === 'string');
  if (texts.length === 0) return mutated(valid);
  return fc
    .tuple(fc.constantFrom(...texts), fc.constantFrom('\u0000', '\ud800', '\udfff'), fc.nat())
    .map(([path, bad, n]) => {
      const text = at(path) as string;
      const i = n % (text.length + 1);
      return setAt(valid, path, `${text.slice(0, i)}${bad}${text.slice(i)}`);
    });
};

const json = (kind: string, text: string, contentType = 'application/json'): BodyCase => ({
  kind,
  contentType,
  payload: text,
});

/**
 * A bad body for a route: its valid body with one place gone wrong (the deepest checks), any JSON
 * of the wrong shape, malformed or oversized JSON, bytes that are not UTF-8, or a wrong content type.
 */
export function badBody(valid: unknown): fc.Arbitrary<BodyCase> {
  const base = valid ?? {};
  return fc.oneof(
    {
      weight: 5,
      arbitrary: mutated(base).map((value) => json('valid body with a bad value', toJson(value))),
    },
    {
      weight: 2,
      arbitrary: unstorable(base).map((value) =>
        json('valid body with NUL or a lone surrogate in a text', toJson(value)),
      ),
    },
    {
      weight: 2,
      arbitrary: badValue.map((value) => json('a value of the wrong kind', toJson(value))),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{',
          '{"a":}',
          '[1,]',
          "{'a':1}",
          '{"a":NaN}',
          '{"a":Infinity}',
          'undefined',
          '\ufeff{}',
          '{"a":"\\ud800"}',
          '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}}',
          '{"a":1,"a":2}',
          `{"csv":"${LARGE}"}`,
          `{"csv":"${HUGE}"}`,
          nested(40),
          nested(20_000),
          '[' + '1,'.repeat(200_000) + '1]',
        )
        .map((text) => json('malformed or oversized JSON', text)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          Buffer.from(`{"companyName":"Caf\xe9","reason":"na\xefve"}`, 'latin1'),
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(toJson(base), 'utf16le')]),
          Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
          Buffer.from([0xed, 0xa0, 0x80]),
        )
        .chain((payload) =>
          fc.constantFrom(...CONTENT_TYPES).map((contentType) => ({
            kind: 'bytes that are not UTF-8',
            contentType,
            payload,
          })),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...CONTENT_TYPES),
          fc.oneof(
            fc.constant(toJson(base)),
            fc.constant('a=1&b=2'),
            fc.constant('<x/>'),
            fc.constant('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'),
            fc.constant('name,domain\n"unclosed,x\n'),
            fc.constant(''),
          ),
        )
        .map(([contentType, payload]) => ({ kind: 'a wrong content type', contentType, payload })),
    },
  );
}

/** A short, printable description of a body for a failure message. */
export const describeBody = (body: BodyCase) =>
  `[${body.kind}, ${body.contentType ?? 'no content type'}] ${
    typeof body.payload === 'string'
      ? JSON.stringify(body.payload.slice(0, 200))
      : `<${body.payload.length} bytes ${body.payload.subarray(0, 40).toString('hex')}>`
  }`;

/** Percent-encodes text byte by byte, so lone surrogates go as the WTF-8 bytes a client may send. */
const percentEncode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text.replace(/[\ud800-\udfff]/g, '\udfff'), 'utf8')]
      .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
      .join('');
  }
};

/** A path segment in place of an id: bad text, bytes that are not UTF-8, odd escapes. */
export const badSegment: fc.Arbitrary<string> = fc.oneof(
  badString.filter((text) => text !== '').map(percentEncode),
  fc.constantFrom(
    '%00',
    '%ED%A0%80',
    '%FF',
    '%C3%28',
    '%',
    '%zz',
    '..',
    '%2e%2e',
    '%2F',
    'a'.repeat(5000),
  ),
);

const QUERY_KEYS = [
  'partnerId',
  'period',
  'after',
  'limit',
  'format',
  'status',
  'overdue',
  'cursor',
  'query',
  'type',
  'tier',
  'userId',
  'dealId',
  'code',
  'state',
  'error',
  '__proto__',
  'constructor',
  'constructor[prototype]',
  'a[b][c]',
];

/** A query string: known and odd keys, bad values, keys repeated (arrays), raw bytes. */
export const badQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), badString.map(percentEncode)),
      fc.oneof(
        badString.map(percentEncode),
        fc.constantFrom('%00', '%ED%A0%80', '%FF', '%', '1e309', '-1', '99999999999999999999'),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs
      .filter(([name]) => name !== 'portalId')
      .map(([name, value]) => `${QUERY_KEYS.includes(name) ? encodeURI(name) : name}=${value}`)
      .join('&'),
  );

/** The body a route takes when all is well, so one bad value in it reaches the deepest checks. */
export function validBodyFor(route: ListedRoute, ids: Ids): unknown {
  const valid: Record<string, unknown> = {
    'POST /api/v1/registrations': {
      partnerId: ids.partnerId,
      companyName: 'Fuzz Prospect Ltd',
      companyDomain: 'fuzz-prospect.example',
      amount: { amount: '1000.00', currency: 'USD' },
    },
    'POST /api/v1/registrations/:id/decision': { decision: 'reject', reason: 'fuzzed' },
    'POST /api/v1/refunds': {
      refundId: 'refund-fuzz',
      dealId: ids.dealId,
      refundedAt: '2026-02-10T00:00:00Z',
      amount: { amount: '10.00', currency: 'USD' },
    },
    'POST /api/v1/commissions/approve': { entryIds: [ids.entryId] },
    'POST /api/v1/commissions/:entryId/void': { reason: 'fuzzed' },
    'POST /api/v1/payouts': {
      requestId: 'payout-fuzz',
      partnerId: ids.partnerId,
      throughPeriod: '2026-02',
      reference: 'INV-FUZZ',
    },
    'POST /api/v1/deals/:dealId/partners': {
      partnerId: ids.partnerId,
      role: 'influenced',
      sharePct: 50,
    },
    'POST /api/v1/deals/:dealId/suggestions/:partnerId/decline': { reason: 'not now' },
    'POST /api/v1/partners/:partnerId/accounts/import': {
      csv: 'name,domain,population\nFuzz Account,fuzz-account.example,customer\n',
    },
    'POST /api/v1/partners/merge-candidates/:id/decision': {
      decision: 'merge',
      partnerId: ids.partnerId,
    },
    'POST /api/v1/partners/import': {
      csv: 'partner_id,name,domain,type,tier,status\nfz-1,Fuzz Partner,fuzz-partner.example,reseller,gold,active\n',
    },
    'PUT /api/v1/program': {
      version: 1,
      program: {
        currency: 'USD',
        tiers: ['gold', 'silver'],
        rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 1000 }],
      },
    },
    'POST /webhooks/hubspot': [
      {
        eventId: 1,
        subscriptionId: 1,
        portalId: 911,
        occurredAt: 1767225600000,
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
        objectId: Number(ids.dealId.slice(0, 15)),
        propertyName: 'amount',
        propertyValue: '100',
        changeSource: 'CRM',
      },
    ],
  };
  return valid[`${route.method} ${route.path}`];
}
