import pino, { type Logger } from 'pino';

import type { Config } from './config';

export const createLogger = (config: Pick<Config, 'logLevel'>): Logger =>
  pino({
    level: config.logLevel,
    redact: [
      'req.headers.authorization',
      'req.headers["x-hubspot-signature-v3"]',
      'req.headers["x-partnerlens-signature"]',
    ],
  });
