import { ConfigError, loadConfig } from '../../server/config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('config', () => {
  describe('with an empty environment', () => {
    const config = loadConfig({});

    it('runs on the embedded defaults: PGlite in ./.data/pg, local Redis, the sandbox', () => {
      expect(config.env).toBe('development');
      expect(config.database).toEqual({ embeddedDir: './.data/pg' });
      expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', autostart: true });
      expect(config.sandbox.enabled).toBe(true);
      expect(config.http.port).toBe(3000);
    });
  });

  it('uses Postgres when DATABASE_URL is set', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@db:5432/pl', DATABASE_SCHEMA: 'pl' }).database,
    ).toEqual({ url: 'postgres://u@db:5432/pl', schema: 'pl' });
  });

  it('does not start its own Redis when REDIS_URL is given', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6380' }).redis).toEqual({
      url: 'redis://cache:6380',
      autostart: false,
    });
  });

  it('turns the sandbox off when a HubSpot API base is configured', () => {
    expect(
      loadConfig({
        HUBSPOT_API_BASE: 'https://api.hubapi.com',
        HUBSPOT_CLIENT_ID: 'id',
        HUBSPOT_CLIENT_SECRET: 's',
      }).sandbox.enabled,
    ).toBe(false);
  });

  it("never falls back to the sandbox's public secret when the sandbox is off, whatever NODE_ENV says", () => {
    expect(problemsOf({ HUBSPOT_API_BASE: 'https://api.hubapi.com' })).toEqual([
      'HUBSPOT_CLIENT_ID: is required when the sandbox is off',
      'HUBSPOT_CLIENT_SECRET: is required when the sandbox is off',
    ]);
    expect(problemsOf({ SANDBOX: 'false' })).toContain(
      'HUBSPOT_CLIENT_SECRET: is required when the sandbox is off',
    );
  });

  it("takes the HubSpot app's numeric id for links to its pages, and refuses anything else", () => {
    expect(loadConfig({}).hubspot.appId).toBeUndefined();
    expect(loadConfig({ HUBSPOT_APP_ID: '1234567' }).hubspot.appId).toBe('1234567');
    expect(() => loadConfig({ HUBSPOT_APP_ID: 'partnerlens' })).toThrow(
      /HUBSPOT_APP_ID: must be the numeric id of the HubSpot app/,
    );
  });

  it('accepts the encryption key as hex or base64', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ ENCRYPTION_KEY: hex }).encryptionKey).toEqual(Buffer.from(hex, 'hex'));
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ ENCRYPTION_KEY: base64 }).encryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  describe('when values are wrong', () => {
    it('names each bad variable and why', () => {
      expect(
        problemsOf({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          ENCRYPTION_KEY: 'short',
          NODE_ENV: 'staging',
        }),
      ).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^NODE_ENV: /),
          expect.stringMatching(/^PORT: /),
          expect.stringMatching(/^DATABASE_URL: /),
          expect.stringMatching(/^ENCRYPTION_KEY: must be 32 bytes/),
        ]),
      );
    });

    it('says all of it in one readable message', () => {
      expect(() => loadConfig({ PORT: '70000' })).toThrow(/Invalid configuration:\n {2}- PORT: /);
    });
  });

  describe('in production', () => {
    it('requires the encryption key, the HubSpot app credentials, Postgres and Redis', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
        'HUBSPOT_CLIENT_ID: is required when the sandbox is off',
        'HUBSPOT_CLIENT_SECRET: is required when the sandbox is off',
        'ENCRYPTION_KEY: is required when NODE_ENV=production',
        'DATABASE_URL: is required when NODE_ENV=production',
        'REDIS_URL: is required when NODE_ENV=production',
      ]);
    });

    it('refuses the sandbox', () => {
      expect(problemsOf({ NODE_ENV: 'production', SANDBOX: 'true' })).toContain(
        'SANDBOX: cannot be on when NODE_ENV=production',
      );
    });

    it('starts with everything given, without sandbox or Redis autostart', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        ENCRYPTION_KEY: 'cd'.repeat(32),
        HUBSPOT_CLIENT_ID: 'id',
        HUBSPOT_CLIENT_SECRET: 'secret',
        DATABASE_URL: 'postgresql://db/pl',
        REDIS_URL: 'redis://cache:6379',
      });
      expect(config.sandbox.enabled).toBe(false);
      expect(config.redis.autostart).toBe(false);
      expect(config.hubspot).toEqual({
        clientId: 'id',
        clientSecret: 'secret',
        apiBase: 'https://api.hubapi.com',
        authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
      });
      // No connected app configured: Salesforce is not offered.
      expect(config.salesforce).toBeUndefined();
    });

    it('offers Salesforce with a connected app, on login.salesforce.com by default', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        ENCRYPTION_KEY: 'cd'.repeat(32),
        HUBSPOT_CLIENT_ID: 'id',
        HUBSPOT_CLIENT_SECRET: 'secret',
        SALESFORCE_CLIENT_ID: 'key',
        SALESFORCE_CLIENT_SECRET: 'sf-secret',
        DATABASE_URL: 'postgresql://db/pl',
        REDIS_URL: 'redis://cache:6379',
      });
      expect(config.salesforce).toEqual({
        clientId: 'key',
        clientSecret: 'sf-secret',
        loginUrl: 'https://login.salesforce.com',
        apiVersion: '64.0',
      });
      expect(() => loadConfig({ SALESFORCE_API_VERSION: 'v64' })).toThrow(/SALESFORCE_API_VERSION/);
    });
  });
});
