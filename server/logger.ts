import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

import type { Config } from './config';

/** Field names that hold a secret or a person's address, wherever a log line's object puts them. */
const SECRET_FIELDS = [
  'authorization',
  'Authorization',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'apiKey',
  'secret',
  'password',
  'email',
  'userEmail',
];

/** How deep under a log object's top the secret fields are looked for: `err.config.headers.x`. */
const DEPTHS = [0, 1, 2, 3];

// The one list of what a log line never shows: the request headers that carry credentials, and
// the secret fields at the top of a log object and up to three levels in (pino's paths take a
// wildcard per level, not one for any depth: an HTTP client's error puts the request's headers at
// err.config.headers.Authorization). Nothing logs secrets by design —
// test/server/secrets-in-logs.test.ts — this is the net.
const redact = [
  'req.headers.authorization',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["x-partnerlens-signature"]',
  ...SECRET_FIELDS.flatMap((field) =>
    DEPTHS.map((depth) => [...Array<string>(depth).fill('*'), field].join('.')),
  ),
];

/**
 * JSON lines in production (and whenever the output is not a terminal, for log shippers); short,
 * coloured lines for a person at a terminal in development.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'env'>>,
  output: { terminal?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const options = { level: config.logLevel, redact };
  const destination = output.destination ?? process.stdout;
  const terminal = output.terminal ?? Boolean(process.stdout.isTTY);
  if (config.env === 'production' || !terminal) return pino(options, destination);
  return pino(
    options,
    pretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,req,res,responseTime',
      singleLine: true,
      destination,
      sync: true,
    }),
  );
}
