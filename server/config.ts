import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const encryptionKey = z
  .string()
  .regex(
    /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/,
    'must be 32 bytes as 64 hex characters or base64',
  );

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    /** Prometheus's bearer token for GET /metrics; without it /metrics answers loopback only. */
    METRICS_TOKEN: optionalString.pipe(
      z.string().min(32, 'must be at least 32 characters').optional(),
    ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATA_DIR: z.string().default('./.data'),
    DATABASE_URL: z
      .url()
      .refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// URL')
      .optional(),
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
      .optional(),
    REDIS_URL: z.url().optional(),
    QUEUE_PREFIX: z.string().min(1).default('partnerlens'),
    /** How long a worker's hold on a job lasts unrenewed: a killed worker's job runs again after it. */
    QUEUE_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /** How often each worker process gives again the jobs Redis lost (from job_requests). */
    QUEUE_RECOVERY_MS: z.coerce.number().int().min(500).max(3_600_000).default(15_000),
    ENCRYPTION_KEY: optionalString.pipe(encryptionKey.optional()),
    /** Keys a rotation replaced, comma-separated: they still open what they sealed until a re-seal. */
    ENCRYPTION_KEYS_PREVIOUS: optionalString.pipe(
      z
        .string()
        .transform((text) => text.split(',').map((key) => key.trim()))
        .pipe(z.array(encryptionKey))
        .optional(),
    ),
    HUBSPOT_CLIENT_ID: optionalString,
    HUBSPOT_CLIENT_SECRET: optionalString,
    /** The client secret a rotation replaced: it still verifies signatures (until the time below). */
    HUBSPOT_CLIENT_SECRET_PREVIOUS: optionalString,
    HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL: optionalString.pipe(
      z.iso.datetime({ offset: true, message: 'must be an ISO date and time' }).optional(),
    ),
    HUBSPOT_API_BASE: z.url().optional(),
    HUBSPOT_AUTHORIZE_URL: z.url().default('https://app.hubspot.com/oauth/authorize'),
    /** The HubSpot app's id, for links to its pages (SLA tasks link to the triage page). */
    HUBSPOT_APP_ID: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,20}$/, 'must be the numeric id of the HubSpot app')
        .optional(),
    ),
    SALESFORCE_CLIENT_ID: optionalString,
    SALESFORCE_CLIENT_SECRET: optionalString,
    SALESFORCE_LOGIN_URL: z.url().default('https://login.salesforce.com'),
    SALESFORCE_API_VERSION: z
      .string()
      .regex(/^\d{2}\.0$/, 'must be a REST API version such as 64.0')
      .default('64.0'),
    SALESFORCE_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
    SANDBOX: booleanFlag.optional(),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  })
  .superRefine((env, ctx) => {
    const sandbox = env.SANDBOX ?? (env.NODE_ENV !== 'production' && !env.HUBSPOT_API_BASE);
    // Outside the sandbox the app's own secret verifies signed card calls: a default would let anyone sign.
    if (!sandbox) {
      for (const key of ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET'] as const) {
        if (!env[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required when the sandbox is off',
          });
      }
    }
    rotationIssues(env, ctx);
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['ENCRYPTION_KEY', 'DATABASE_URL', 'REDIS_URL'] as const) {
      if (!env[key])
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is required when NODE_ENV=production',
        });
    }
    if (env.SANDBOX)
      ctx.addIssue({
        code: 'custom',
        path: ['SANDBOX'],
        message: 'cannot be on when NODE_ENV=production',
      });
  });

export type Environment = z.infer<typeof environmentSchema>;

/** A previous key or secret rotates out of a current one: there must be a current one, and another. */
function rotationIssues(
  env: {
    ENCRYPTION_KEY?: string | undefined;
    ENCRYPTION_KEYS_PREVIOUS?: string[] | undefined;
    HUBSPOT_CLIENT_SECRET?: string | undefined;
    HUBSPOT_CLIENT_SECRET_PREVIOUS?: string | undefined;
    HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL?: string | undefined;
  },
  ctx: z.RefinementCtx,
) {
  const issue = (key: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [key], message });
  const previousKeys = env.ENCRYPTION_KEYS_PREVIOUS ?? [];
  if (previousKeys.length > 0 && !env.ENCRYPTION_KEY)
    issue('ENCRYPTION_KEYS_PREVIOUS', 'needs ENCRYPTION_KEY, the key that replaces them');
  const current = env.ENCRYPTION_KEY ? decodeKey(env.ENCRYPTION_KEY).toString('hex') : undefined;
  if (current && previousKeys.some((key) => decodeKey(key).toString('hex') === current))
    issue('ENCRYPTION_KEYS_PREVIOUS', 'must not hold ENCRYPTION_KEY itself');
  if (env.HUBSPOT_CLIENT_SECRET_PREVIOUS && !env.HUBSPOT_CLIENT_SECRET)
    issue('HUBSPOT_CLIENT_SECRET_PREVIOUS', 'needs HUBSPOT_CLIENT_SECRET, the secret replacing it');
  if (
    env.HUBSPOT_CLIENT_SECRET_PREVIOUS &&
    env.HUBSPOT_CLIENT_SECRET_PREVIOUS === env.HUBSPOT_CLIENT_SECRET
  )
    issue('HUBSPOT_CLIENT_SECRET_PREVIOUS', 'must differ from HUBSPOT_CLIENT_SECRET');
  if (env.HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL && !env.HUBSPOT_CLIENT_SECRET_PREVIOUS)
    issue('HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL', 'needs HUBSPOT_CLIENT_SECRET_PREVIOUS');
}

export interface Config {
  env: Environment['NODE_ENV'];
  role: Environment['ROLE'];
  http: { host: string; port: number; publicUrl: string | undefined };
  metricsToken: string | undefined;
  logLevel: Environment['LOG_LEVEL'];
  dataDir: string;
  database: { url: string; schema: string | undefined } | { embeddedDir: string };
  redis: { url: string; autostart: boolean };
  queuePrefix: string;
  queue: { lockMs: number; recoveryMs: number };
  encryptionKey: Buffer | undefined;
  /** Keys a rotation replaced: they open, never seal (`partnerlens secrets reseal` moves them). */
  previousEncryptionKeys: Buffer[];
  hubspot: {
    clientId: string;
    clientSecret: string;
    /** The secret a rotation replaced, verifying signatures until `validUntil` (ms) if given. */
    previousClientSecret?: { secret: string; validUntil?: number };
    apiBase: string;
    authorizeUrl: string;
    appId: string | undefined;
  };
  /** Absent outside the sandbox when no connected app is configured: Salesforce is not offered. */
  salesforce:
    { clientId: string; clientSecret: string; loginUrl: string; apiVersion: string } | undefined;
  sandbox: { enabled: boolean; port: number; salesforcePort: number };
}

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The sandbox's demo app credentials: used only while the sandbox is on and no real ones are given. */
export const SANDBOX_HUBSPOT_APP = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
};

/** The local Salesforce's connected app, in the same way. */
export const SANDBOX_SALESFORCE_APP = {
  clientId: 'sandbox-salesforce-consumer-key',
  clientSecret: 'sandbox-salesforce-consumer-secret',
};

export function loadConfig(
  source: NodeJS.ProcessEnv = process.env,
  overrides: NodeJS.ProcessEnv = {},
): Config {
  const parsed = environmentSchema.safeParse({ ...source, ...overrides });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
      ),
    );
  }
  const env = parsed.data;
  const development = env.NODE_ENV !== 'production';
  const sandboxEnabled = env.SANDBOX ?? (development && !env.HUBSPOT_API_BASE);
  const dataDir = env.DATA_DIR;
  return {
    env: env.NODE_ENV,
    role: env.ROLE,
    http: { host: env.HOST, port: env.PORT, publicUrl: env.PUBLIC_URL },
    metricsToken: env.METRICS_TOKEN,
    logLevel: env.LOG_LEVEL,
    dataDir,
    database: env.DATABASE_URL
      ? { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA }
      : { embeddedDir: `${dataDir}/pg` },
    redis: {
      url: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      autostart: development && !env.REDIS_URL,
    },
    queuePrefix: env.QUEUE_PREFIX,
    queue: { lockMs: env.QUEUE_LOCK_MS, recoveryMs: env.QUEUE_RECOVERY_MS },
    encryptionKey: env.ENCRYPTION_KEY ? decodeKey(env.ENCRYPTION_KEY) : undefined,
    previousEncryptionKeys: (env.ENCRYPTION_KEYS_PREVIOUS ?? []).map(decodeKey),
    hubspot: {
      clientId: env.HUBSPOT_CLIENT_ID ?? SANDBOX_HUBSPOT_APP.clientId,
      clientSecret: env.HUBSPOT_CLIENT_SECRET ?? SANDBOX_HUBSPOT_APP.clientSecret,
      ...(env.HUBSPOT_CLIENT_SECRET_PREVIOUS
        ? {
            previousClientSecret: {
              secret: env.HUBSPOT_CLIENT_SECRET_PREVIOUS,
              ...(env.HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL
                ? { validUntil: Date.parse(env.HUBSPOT_CLIENT_SECRET_PREVIOUS_UNTIL) }
                : {}),
            },
          }
        : {}),
      apiBase: env.HUBSPOT_API_BASE ?? 'https://api.hubapi.com',
      authorizeUrl: env.HUBSPOT_AUTHORIZE_URL,
      appId: env.HUBSPOT_APP_ID,
    },
    salesforce:
      env.SALESFORCE_CLIENT_ID && env.SALESFORCE_CLIENT_SECRET
        ? {
            clientId: env.SALESFORCE_CLIENT_ID,
            clientSecret: env.SALESFORCE_CLIENT_SECRET,
            loginUrl: env.SALESFORCE_LOGIN_URL,
            apiVersion: env.SALESFORCE_API_VERSION,
          }
        : sandboxEnabled
          ? {
              ...SANDBOX_SALESFORCE_APP,
              loginUrl: env.SALESFORCE_LOGIN_URL,
              apiVersion: env.SALESFORCE_API_VERSION,
            }
          : undefined,
    sandbox: {
      enabled: sandboxEnabled,
      port: env.SANDBOX_PORT,
      salesforcePort: env.SALESFORCE_SANDBOX_PORT,
    },
  };
}

function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}
