import pino from 'pino';

export interface BenchContext {
  databaseUrl: string;
  redisUrl: string;
  /** Seconds of load per measured endpoint. */
  seconds: number;
}

export const silent = pino({ level: 'silent' });
