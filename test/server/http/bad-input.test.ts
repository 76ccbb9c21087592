import { randomBytes, randomUUID } from 'node:crypto';

import fc from 'fast-check';

import { recomputeStaleDeals } from '../../../server/commissions/recompute-deals';
import { issueApiKey } from '../../../server/db/api-keys';
import { createTenant } from '../../../server/db/tenants';
import { type ListedRoute, listRoutes } from '../../../server/http/access';
import { signHubSpotV3 } from '../../../server/http/auth/hubspot-signature';
import { CryptoBox } from '../../../server/lib/crypto-box';
import { saveProgram } from '../../../server/registrations/program-store';
import { parseProgram } from '../../../src/program/program';
import { startTestApi, type TestApi } from '../../support/api';
import {
  badBody,
  badQuery,
  badSegment,
  type BodyCase,
  describeBody,
  type Ids,
  validBodyFor,
} from '../../support/bad-input';
import { seedDealWithPartner } from '../../support/fixtures';
import { fillPath, schemaRowCounts } from '../../support/route-table';
import { createTestDatabase, type TestDatabase } from '../../support/services';

/** Requests per route; the file's run time is about routes × this × a few milliseconds. */
const RUNS_PER_ROUTE = 50;
const PORTAL = '911';

interface Sent {
  status: number;
  contentType: string;
  text: string;
}

/**
 * The route-table bad-input suite (issue 16): every Express route, a new one included the day it
 * is added, is sent generated bad bodies, parameters and query strings. None may answer 5xx; a 4xx
 * is a JSON `{ error: { code, message } }`; and a request refused writes nothing anywhere in the
 * schema (every table's rows counted before and after, audit events among them).
 */
describe('every route, sent bad input', () => {
  let database: TestDatabase;
  let api: TestApi;
  let routes: ListedRoute[];
  let key: string;
  let otherKey: string;
  const own = {} as Ids;
  const foreign = {} as Ids;
  let fuzzed = 0;
  const accepted = new Map<string, number>();

  const seedTenant = async (name: string, portal: string, ids: Ids) => {
    const tenant = await createTenant(database.db, { name, hubspotPortalId: portal });
    const seeded = await seedDealWithPartner(database.db, tenant.id, {
      partner: { tier: 'gold' },
      deal: { stage: 'won', closedAt: new Date('2026-02-01T00:00:00Z') },
    });
    const program = parseProgram({
      rates: [{ partnerType: '*', tier: '*', role: '*', rateBps: 1000 }],
    });
    if (!program.ok) throw new Error(program.error.message);
    await saveProgram(database.db, tenant.id, program.value, 'test');
    await recomputeStaleDeals(database.db, tenant.id);
    const [entry] = await database.db.query<{ id: string }>(
      `select id from ledger_entries where tenant_id = $1`,
      [tenant.id],
    );
    ids.partnerId = seeded.partner.id;
    ids.dealId = seeded.deal.crmId;
    ids.entryId = entry!.id;
    ids.period = '2026-02';
    return tenant;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const ownTenant = await seedTenant('Fuzzed', PORTAL, own);
    const otherTenant = await seedTenant('Bystander', '912', foreign);
    key = (await issueApiKey(database.db, ownTenant.id, 'admin')).key;
    otherKey = (await issueApiKey(database.db, otherTenant.id, 'admin')).key;
    const box = new CryptoBox(randomBytes(32));
    api = await startTestApi(database.db, {
      box,
      salesforceInstall: {
        app: {
          clientId: 'sf-client',
          clientSecret: 'sf-secret',
          loginUrl: 'http://127.0.0.1:9',
          apiVersion: '64.0',
        },
        redirectUri: () => `${api.url}/oauth/salesforce/callback`,
      },
      hubspotInstall: {
        app: { clientId: 'hs-client', clientSecret: 's', apiBase: 'http://127.0.0.1:9' },
        authorizeUrl: 'http://127.0.0.1:9/oauth/authorize',
        redirectUri: () => `${api.url}/oauth/hubspot/callback`,
        scopes: ['crm.objects.deals.read'],
      },
    });
    routes = listRoutes(api.app);
    for (const [ids, apiKey] of [
      [own, key],
      [foreign, otherKey],
    ] as const) {
      const registration = await api.call<{ id: string }>('POST', '/api/v1/registrations', apiKey, {
        partnerId: ids.partnerId,
        companyName: `Pending ${randomUUID()}`,
      });
      expect(registration.status).toBe(201);
      ids.id = registration.body.id;
    }
  });

  afterAll(async () => {
    // The figure docs/reliability.md quotes.
    console.log(
      `bad-input: ${fuzzed} requests fuzzed over ${routes?.length} routes; accepted as valid: ${JSON.stringify(Object.fromEntries(accepted))}`,
    );
    await api?.close();
    await database?.drop();
  });

  /** One request as the fuzzer built it, with an admin key or, when `signed`, HubSpot's signature. */
  const send = async (
    method: string,
    path: string,
    query: string,
    body: BodyCase | undefined,
    signed: boolean,
  ): Promise<Sent> => {
    const search = [query, signed ? `portalId=${PORTAL}` : ''].filter(Boolean).join('&');
    const url = new URL(`${api.url}${path}${search ? `?${search}` : ''}`).href;
    const headers: Record<string, string> = {};
    if (body?.contentType) headers['content-type'] = body.contentType;
    const payload = method === 'GET' || !body ? undefined : body.payload;
    if (signed) {
      const timestamp = String(Date.now());
      headers['x-hubspot-request-timestamp'] = timestamp;
      headers['x-hubspot-signature-v3'] = signHubSpotV3(
        {
          method,
          url,
          rawBody: payload === undefined ? '' : Buffer.from(payload).toString('utf8'),
          timestamp,
        },
        's',
      );
    } else headers.authorization = `Bearer ${key}`;
    const response = await fetch(url, { method, headers, body: payload, redirect: 'manual' });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };

  /** What is wrong with an answer to bad input, or undefined when it is as promised. */
  const problemWith = (route: ListedRoute, answer: Sent): string | undefined => {
    if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`;
    if (answer.status < 400) return undefined;
    // The install routes answer a browser: their refusals are pages saying what went wrong.
    if (route.path.startsWith('/oauth/') && answer.contentType.startsWith('text/html'))
      return undefined;
    if (!answer.contentType.includes('application/json'))
      return `answered ${answer.status} as ${answer.contentType || 'no content type'}, not JSON`;
    const error = (JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } })
      .error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string')
      return `answered ${answer.status} without { error: { code, message } }: ${answer.text.slice(0, 300)}`;
    return undefined;
  };

  it('covers every route the app answers', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/webhooks/hubspot' }),
    );
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/oauth/hubspot/callback' }),
    );
  });

  it('answers bad bodies, parameters and query strings with a JSON 4xx, never a 5xx, and writes nothing when it refuses', async () => {
    const problems: string[] = [];
    let counts = await schemaRowCounts(database);
    for (const route of routes) {
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const request = fc.record({
        // Each parameter the route's own real id, or a bad one.
        segments: fc.tuple(...params.map(() => fc.option(badSegment, { freq: 2 }))),
        query: badQuery,
        body: badBody(validBodyFor(route, own)),
        signed: route.path.startsWith('/webhooks/')
          ? fc.constant(true)
          : route.path.startsWith('/api/')
            ? fc.boolean()
            : fc.constant(false),
      });
      await fc
        .assert(
          fc.asyncProperty(request, async ({ segments, query, body, signed }) => {
            const ids: Record<string, string> = { ...own };
            const raw: Record<string, string> = {};
            params.forEach((name, i) => {
              if (segments[i] === null) return;
              raw[name] = segments[i]!;
              ids[name] = `\u0001${name}`;
            });
            // Bad segments come percent-encoded already (some are bytes no string encodes).
            const filled = fillPath(route.path, ids).replace(
              /%01(\w+)/g,
              (_m, name: string) => raw[name]!,
            );
            const before = counts;
            const answer = await send(route.method, filled, query, body, signed);
            fuzzed += 1;
            counts = await schemaRowCounts(database);
            const label = `${route.method} ${filled}${query ? `?${query.slice(0, 200)}` : ''} ${signed ? '(signed) ' : ''}${route.method === 'GET' ? '' : describeBody(body)}`;
            const problem = problemWith(route, answer);
            if (problem) throw new Error(`${label}: ${problem}`);
            if (answer.status < 400) {
              const name = `${route.method} ${route.path}`;
              accepted.set(name, (accepted.get(name) ?? 0) + 1);
              return;
            }
            const written = Object.keys(counts)
              .filter((table) => counts[table] !== before[table])
              .map((table) => `${table} ${before[table]} → ${counts[table]}`);
            if (written.length > 0)
              throw new Error(
                `${label}: answered ${answer.status} ${answer.text.slice(0, 200)} but wrote ${written.join(', ')}`,
              );
          }),
          { numRuns: RUNS_PER_ROUTE },
        )
        .catch((error: Error) =>
          problems.push(
            `${route.method} ${route.path}: ${(error.cause as Error | undefined)?.message ?? error.message}\n${error.message.split('\n').slice(0, 3).join('\n')}`,
          ),
        );
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it("answers another tenant's ids inside a body as not found, and changes nothing", async () => {
    // Both tenants' deals have the same CRM id (a CRM id is the tenant's own), so only the ids
    // PartnerLens issues are another tenant's: partners, ledger entries, registrations.
    const swap = (value: unknown): unknown =>
      typeof value === 'string'
        ? value === own.partnerId
          ? foreign.partnerId
          : value === own.entryId
            ? foreign.entryId
            : value === own.id
              ? foreign.id
              : value
        : Array.isArray(value)
          ? value.map(swap)
          : value && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]))
            : value;
    const probed: string[] = [];
    const answers: string[] = [];
    const before = await schemaRowCounts(database);
    for (const route of routes) {
      const valid = validBodyFor(route, own);
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (
        valid === undefined ||
        params.some((name) => !['partnerId', 'dealId', 'entryId', 'period'].includes(name))
      )
        continue;
      const body = swap(valid);
      if (JSON.stringify(body) === JSON.stringify(valid)) continue;
      probed.push(`${route.method} ${route.path}`);
      const answer = await api.call<{ error?: { code: string } }>(
        route.method,
        fillPath(route.path, { ...own }),
        key,
        body,
      );
      // An unknown id in a body is 404, or 400 naming the field (registrations); never a schema
      // refusal, which would mean the probe never reached the tenant check.
      if (![400, 404].includes(answer.status) || !answer.body.error?.code.endsWith('.NOT_FOUND'))
        answers.push(
          `${route.method} ${route.path}: ${answer.status} ${answer.text.slice(0, 200)}`,
        );
    }
    expect(answers).toEqual([]);
    expect(probed).toEqual(
      expect.arrayContaining([
        'POST /api/v1/registrations',
        'POST /api/v1/payouts',
        'POST /api/v1/commissions/approve',
        'POST /api/v1/deals/:dealId/partners',
      ]),
    );
    expect(await schemaRowCounts(database)).toEqual(before);
  });
});
