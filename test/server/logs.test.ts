import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';

import { createApp } from '../../server/http/app';
import { listen } from '../../server/lib/listen';
import { assertPortFree, PortInUseError } from '../../server/lib/port-check';
import { createLogger } from '../../server/logger';
import { CrmSyncQueue, ReconcileQueue } from '../../server/queue/queues';
import { createTestDatabase, testQueueSettings } from '../support/services';

const capture = () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) =>
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
  );
  return { stream, lines };
};

describe('logs', () => {
  it('are JSON in production and when not at a terminal, short lines at a terminal in development', () => {
    for (const [env, terminal, json] of [
      ['production', true, true],
      ['development', false, true],
      ['development', true, false],
    ] as const) {
      const out = capture();
      createLogger({ logLevel: 'info', env }, { terminal, destination: out.stream }).info(
        { tenantId: 't1' },
        'synced',
      );
      const line = out.lines[0]!;
      if (json) expect(JSON.parse(line)).toMatchObject({ msg: 'synced', tenantId: 't1' });
      else expect(line).toMatch(/\d\d:\d\d:\d\d.*INFO.*synced.*tenantId.*t1/);
    }
  });

  it('hide secret fields and e-mail addresses wherever a log object carries them, at every level', () => {
    const out = capture();
    const logger = createLogger(
      { logLevel: 'trace', env: 'production' },
      { destination: out.stream },
    );
    // An HTTP client's error as axios and others shape it: the request's headers, capitalised,
    // three levels under `err`.
    const clientError = Object.assign(new Error('Request failed with status code 401'), {
      config: { headers: { Authorization: 'Bearer tok-3' }, data: { client_secret: 'cs-3' } },
    });
    logger.trace(
      {
        accessToken: 'at-1',
        tokens: { refresh_token: 'rt-1', clientSecret: 'cs-1' },
        err: { config: { apiKey: 'pl_k' } },
        user: { email: 'ann@example.com' },
        headers: { Authorization: 'Bearer tok-1' },
        tenantId: 't1',
      },
      'refreshed',
    );
    logger.warn({ err: clientError, tenantId: 't1' }, 'the CRM refused');
    const line = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      accessToken: '[Redacted]',
      tokens: { refresh_token: '[Redacted]', clientSecret: '[Redacted]' },
      err: { config: { apiKey: '[Redacted]' } },
      user: { email: '[Redacted]' },
      headers: { Authorization: '[Redacted]' },
      tenantId: 't1',
    });
    expect(JSON.parse(out.lines[1]!)).toMatchObject({
      err: {
        message: 'Request failed with status code 401',
        config: { headers: { Authorization: '[Redacted]' }, data: { client_secret: '[Redacted]' } },
      },
    });
    expect(out.lines.join('\n')).not.toMatch(/at-1|rt-1|cs-1|pl_k|tok-1|tok-3|cs-3|ann@example/);
  });

  it("give one line per request with its path and status, without the answer's headers or the key", async () => {
    const database = await createTestDatabase();
    const settings = testQueueSettings();
    const [crmSync, reconcile] = [new CrmSyncQueue(settings), new ReconcileQueue(settings)];
    const out = capture();
    const server = await listen(
      createApp({
        db: database.db,
        logger: createLogger({ logLevel: 'info', env: 'production' }, { destination: out.stream }),
        crmSync,
        reconcile,
        hubspotClientSecret: 's',
        readiness: {},
      }),
      0,
    );
    try {
      await fetch(`http://127.0.0.1:${server.port}/api/v1/whoami?userId=42`, {
        headers: { authorization: 'Bearer pl_secret-key' },
      });
      const line = out.lines.find((l) => l.includes('/api/v1/whoami'))!;
      expect(JSON.parse(line)).toMatchObject({
        msg: expect.stringMatching(/^GET \/api\/v1\/whoami 401 \d+ ms$/),
        res: { statusCode: 401 },
      });
      expect(line).not.toMatch(/content-security-policy|strict-transport|pl_secret-key|userId/i);
    } finally {
      await server.close();
      await Promise.all([crmSync.close(), reconcile.close()]);
      await database.drop();
    }
  });
});

describe('a port that is taken', () => {
  it('is said in one line naming the port and the setting to change', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const refused = assertPortFree(port, '127.0.0.1', 'the API', 'PORT');
      await expect(refused).rejects.toBeInstanceOf(PortInUseError);
      await expect(refused).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use (the API)`,
      );
    } finally {
      holder.close();
    }
    await expect(assertPortFree(port, '127.0.0.1', 'the API', 'PORT')).resolves.toBeUndefined();
  });
});
