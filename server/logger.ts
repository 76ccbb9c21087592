import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

import type { Config } from './config';

const redact = [
  'req.headers.authorization',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["x-partnerlens-signature"]',
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
