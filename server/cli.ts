import { createReadStream } from 'node:fs';

import { Command, InvalidArgumentError } from 'commander';

import { reconcileCommand } from './commands/reconcile';
import { replayCommand } from './commands/replay';
import { simulateCommand } from './commands/simulate';
import { addTenantCommands } from './commands/tenant-commands';
import { ConfigError, loadConfig } from './config';
import { AccountListError, importAccountList } from './cosell/account-lists';
import { storeHubSpotRefreshToken } from './crm/hubspot/credentials';
import { CsvInputError } from './csv/read-csv';
import { issueApiKey } from './db/api-keys';
import { recordAudit } from './db/audit';
import type { Database } from './db/database';
import { migrate } from './db/migrate';
import { resealSecrets } from './db/reseal-secrets';
import { issueCalloutSecret } from './db/salesforce-callout-secrets';
import { createTenant, getTenant } from './db/tenants';
import { salesforceOrgId } from './lib/salesforce-id';
import { upsertProgramPartners } from './partners/program-partners';
import { reconcileTenant } from './partners/reconcile-tenant';
import { openCryptoBox, openDatabase } from './runtime';
import { DEMO_PORTAL_ID, generateEcosystem, programPartnersOf } from './sandbox/seed/ecosystem';
import { seedLargeTenant } from './sandbox/seed/large-tenant';
import { startSandbox } from './sandbox/server';

export class CliError extends Error {}

const integer = (name: string, min: number, max: number) => (value: string) => {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max)
    throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return parsed;
};
const threshold = (value: string) => {
  const parsed = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || parsed <= 0 || parsed > 1)
    throw new InvalidArgumentError('the threshold is a number above 0 and at most 1');
  return parsed;
};
const portalId = (value: string) => {
  if (!/^\d{1,18}$/.test(value)) throw new InvalidArgumentError('a HubSpot portal id is digits');
  return value;
};
const uuid = (value: string) => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
    throw new InvalidArgumentError('expected an id (uuid)');
  return value;
};
const orgId = (value: string) => {
  const id = salesforceOrgId(value.trim());
  if (!id) throw new InvalidArgumentError('a Salesforce org id is 15 or 18 characters, 00D…');
  return id;
};

const scaleFactor = (value: string) => {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 2)
    throw new InvalidArgumentError('expected a factor above 0 and at most 2');
  return scale;
};

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig());
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export function buildCli(): Command {
  const program = new Command('partnerlens')
    .description('PartnerLens: partner ecosystem inside the CRM')
    .showHelpAfterError();

  program
    .command('migrate')
    .description('apply the database migrations (idempotent)')
    .action(async () => {
      const db = await openDatabase(loadConfig());
      try {
        print(await migrate(db));
      } finally {
        await db.close();
      }
    });

  const tenants = program
    .command('tenants')
    .description('manage tenants (installed portals and orgs)');
  tenants
    .command('create')
    .description('create a tenant and its first admin API key (printed once)')
    .requiredOption('--name <name>', 'display name')
    .option('--hubspot-portal-id <id>', 'the HubSpot portal (hub id) this tenant is', portalId)
    .option(
      '--hubspot-refresh-token <token>',
      'an OAuth refresh token for that portal (stored encrypted)',
    )
    .action(
      async (options: { name: string; hubspotPortalId?: string; hubspotRefreshToken?: string }) => {
        if (!options.name.trim()) throw new CliError('--name must not be empty');
        if (options.hubspotRefreshToken && !options.hubspotPortalId)
          throw new CliError('--hubspot-refresh-token needs --hubspot-portal-id');
        const config = loadConfig();
        const box = await openCryptoBox(config);
        const created = await withDatabase((db) =>
          db.transaction(async (tx) => {
            const tenant = await createTenant(tx, {
              name: options.name.trim(),
              hubspotPortalId: options.hubspotPortalId,
            });
            if (options.hubspotRefreshToken)
              await storeHubSpotRefreshToken(tx, box, tenant.id, options.hubspotRefreshToken);
            const { id: keyId, key } = await issueApiKey(tx, tenant.id, 'admin');
            const audit = { tenantId: tenant.id, actor: 'cli' };
            await recordAudit(tx, {
              ...audit,
              action: 'tenant.created',
              subjectType: 'tenant',
              subjectId: tenant.id,
              details: { name: tenant.name, hubspotPortalId: tenant.hubspotPortalId },
            });
            await recordAudit(tx, {
              ...audit,
              action: 'api_key.issued',
              subjectType: 'api_key',
              subjectId: keyId,
              details: { name: 'admin' },
            });
            return {
              tenantId: tenant.id,
              name: tenant.name,
              hubspotPortalId: tenant.hubspotPortalId,
              apiKey: key,
            };
          }),
        );
        print(created);
      },
    );

  addTenantCommands(program, tenants, {
    withDatabase,
    print,
    fail: (message) => {
      throw new CliError(message);
    },
    uuid,
  });

  program
    .command('seed')
    .description(
      "import the demo ecosystem's partner program into a tenant and reconcile it with the tenant's CRM partner companies",
    )
    .requiredOption('--tenant <id>', 'tenant id', uuid)
    .option('--seed <n>', 'the seed of the demo ecosystem', integer('--seed', 0, 2 ** 31 - 1), 42)
    .option('--partners <n>', 'number of partners', integer('--partners', 1, 100_000), 50)
    .action(async (options: { tenant: string; seed: number; partners: number }) => {
      const ecosystem = generateEcosystem({
        seed: options.seed,
        now: new Date(0),
        size: { partners: options.partners, companies: 0, deals: 0 },
      });
      await withDatabase(async (db) => {
        if (!(await getTenant(db, options.tenant)))
          throw new CliError(`no tenant ${options.tenant}`);
        await db.transaction((tx) =>
          upsertProgramPartners(tx, options.tenant, programPartnersOf(ecosystem)),
        );
        print({
          tenantId: options.tenant,
          programPartners: ecosystem.partners.length,
          reconcile: await reconcileTenant(db, options.tenant),
        });
      });
    });

  program
    .command('seed-large')
    .description(
      "write DESIGN.md §8's large tenant into a tenant for benches and demos (5,000 partners, 200,000 accounts, 500,000 deals, 100,000 registrations, 2,000,000 account-list rows at --scale 1)",
    )
    .requiredOption('--tenant <id>', 'tenant id', uuid)
    .option('--scale <factor>', 'every count times this (0.01 for a small demo)', scaleFactor, 1)
    .action(async (options: { tenant: string; scale: number }) => {
      await withDatabase(async (db) => {
        if (!(await getTenant(db, options.tenant)))
          throw new CliError(`no tenant ${options.tenant}`);
        print(await seedLargeTenant(db, options.tenant, { scale: options.scale }));
      });
    });

  program
    .command('partner-accounts')
    .description(
      "import a partner's account list (CSV name,domain,population) into a tenant: rows are matched to its accounts, bad rows reported, the rest kept; the list replaces the partner's previous one",
    )
    .requiredOption('--tenant <id>', 'tenant id', uuid)
    .requiredOption('--partner <id>', 'partner id', uuid)
    .requiredOption('--file <file>', 'accounts.csv: name,domain,population')
    .action(async (options: { tenant: string; partner: string; file: string }) => {
      await withDatabase(async (db) => {
        if (!(await getTenant(db, options.tenant)))
          throw new CliError(`no tenant ${options.tenant}`);
        try {
          print(
            await importAccountList(
              db,
              options.tenant,
              options.partner,
              createReadStream(options.file),
              'cli',
            ),
          );
        } catch (error) {
          if (error instanceof AccountListError)
            throw new CliError(`${options.file}: ${error.message}`);
          if ((error as NodeJS.ErrnoException).code === 'ENOENT')
            throw new CliError(`${options.file}: no such file`);
          throw error;
        }
      });
    });

  program
    .command('salesforce-secret')
    .description(
      "issue the secret that signs a Salesforce org's callouts (printed once, for the org's External Credential); --rotate replaces it, the old one signing for 24 hours more",
    )
    .requiredOption('--tenant <id>', 'tenant id', uuid)
    .requiredOption('--org <id>', 'the Salesforce org id (Setup › Company Information)', orgId)
    .option('--rotate', 'replace the current secret')
    .action(async (options: { tenant: string; org: string; rotate?: boolean }) => {
      const box = await openCryptoBox(loadConfig());
      const issued = await withDatabase((db) =>
        db.transaction(async (tx) => {
          if (!(await getTenant(tx, options.tenant)))
            throw new CliError(`no tenant ${options.tenant}`);
          const outcome = await issueCalloutSecret(tx, box, {
            tenantId: options.tenant,
            orgId: options.org,
            rotate: options.rotate === true,
            now: Date.now(),
          });
          if (!outcome.ok) throw new CliError(outcome.error.message);
          await recordAudit(tx, {
            tenantId: options.tenant,
            actor: 'cli',
            action: options.rotate ? 'salesforce_secret.rotated' : 'salesforce_secret.issued',
            subjectType: 'salesforce_org',
            subjectId: options.org,
            details: { previousValidUntil: outcome.value.previousValidUntil },
          });
          return outcome.value;
        }),
      );
      print({
        ...issued,
        next: 'Paste "secret" into the PartnerLens External Credential principal\'s SigningSecret parameter (README: Installing into Salesforce).',
      });
    });

  program
    .command('secrets')
    .description('stored secrets (OAuth tokens, Salesforce signing secrets)')
    .command('reseal')
    .description(
      'seal every stored secret with ENCRYPTION_KEY that a key in ENCRYPTION_KEYS_PREVIOUS sealed (docs/reliability.md: rotation)',
    )
    .action(async () => {
      const box = await openCryptoBox(loadConfig());
      const count = await withDatabase((db) => resealSecrets(db, box));
      print({
        ...count,
        next:
          count.unopenable.length === 0
            ? 'Every stored secret is sealed with ENCRYPTION_KEY: ENCRYPTION_KEYS_PREVIOUS can be removed.'
            : 'Some secrets open with none of the keys: keep ENCRYPTION_KEYS_PREVIOUS and add the key that sealed them.',
      });
      if (count.unopenable.length > 0) process.exitCode = 1;
    });

  program
    .command('sandbox')
    .description('run the local HubSpot sandbox on its own, seeded with the demo ecosystem')
    .option('--port <port>', 'port', integer('--port', 0, 65535), 3001)
    .option('--seed <n>', 'seed', integer('--seed', 0, 2 ** 31 - 1), 42)
    .action(async (options: { port: number; seed: number }) => {
      const config = loadConfig();
      const ecosystem = generateEcosystem({
        seed: options.seed,
        now: new Date(new Date().toISOString().slice(0, 10)),
      });
      const sandbox = await startSandbox({
        port: options.port,
        app: config.hubspot,
        ecosystems: [ecosystem],
      });
      print({
        url: sandbox.url,
        portalId: DEMO_PORTAL_ID,
        refreshToken: sandbox.store.grantRefreshToken(DEMO_PORTAL_ID),
        clientId: config.hubspot.clientId,
      });
    });

  program
    .command('reconcile')
    .description(
      'cluster partner records from several sources into organisations (CSV in, CSV out)',
    )
    .requiredOption('--input <file>', 'records.csv: record_id,source,name,domain,country')
    .requiredOption('--output <file>', 'clusters.csv: record_id,cluster_id')
    .option('--threshold <score>', 'name similarity at which two names match', threshold, 0.9)
    .option(
      '--reviews <file>',
      'also write the records left for review: record_id,candidate_cluster_ids,…',
    )
    .action(
      async (options: { input: string; output: string; threshold: number; reviews?: string }) => {
        process.stderr.write(`${await reconcileCommand(options)}\n`);
      },
    );

  const registrations = program.command('registrations').description('deal registrations');
  registrations
    .command('replay')
    .description(
      'replay registrations under a program: what would each verdict have been (CSV in, CSV out)',
    )
    .requiredOption('--program <file>', 'program.json')
    .requiredOption(
      '--partners <file>',
      'partners.csv: partner_id,name,domain,type,tier,status,regions,verticals',
    )
    .requiredOption('--accounts <file>', 'accounts.csv: account_id,name,domain,country,industry')
    .requiredOption(
      '--deals <file>',
      'deals.csv: deal_id,account_id,name,amount,currency,stage,created_at,closed_at,partner_id,partner_role',
    )
    .requiredOption(
      '--registrations <file>',
      'registrations.csv: registration_id,partner_id,company_name,company_domain,amount,currency,submitted_at',
    )
    .requiredOption(
      '--output <file>',
      'verdicts.csv: registration_id,verdict,conflicts,matched_account_id,holder_registration_id',
    )
    .action(async (files: Parameters<typeof replayCommand>[0]) => {
      process.stderr.write(`${await replayCommand(files)}\n`);
    });

  const commissions = program.command('commissions').description('commissions');
  commissions
    .command('simulate')
    .description('what a program (rate card) would have paid on these deals (CSV in, CSV out)')
    .requiredOption('--program <file>', 'program.json (its rates and clawbackDays)')
    .requiredOption(
      '--partners <file>',
      'partners.csv: partner_id,name,domain,type,tier,status,regions,verticals',
    )
    .requiredOption(
      '--deals <file>',
      'deals.csv: deal_id,amount,currency,stage,closed_at,… (the §10 deals file)',
    )
    .requiredOption('--attributions <file>', 'attributions.csv: deal_id,partner_id,role,share_pct')
    .option('--refunds <file>', 'refunds.csv: deal_id,refunded_at,amount,currency')
    .requiredOption(
      '--output <file>',
      'ledger.csv: deal_id,partner_id,role,kind,amount_minor,currency,rate_bps',
    )
    .option('--errors <file>', 'errors.csv: deal_id,partner_id,code,message')
    .action(async (files: Parameters<typeof simulateCommand>[0]) => {
      process.stderr.write(`${await simulateCommand(files)}\n`);
    });

  return program;
}

/** Parses argv and runs the command; a bad argument or input exits 1 with a message. */
export function runCli(argv: string[] = process.argv): void {
  buildCli()
    .parseAsync(argv)
    .catch(async (thrown: unknown) => {
      const error = thrown instanceof CsvInputError ? await thrown.resolveLines() : thrown;
      const known =
        error instanceof CliError || error instanceof ConfigError || error instanceof CsvInputError;
      process.stderr.write(
        `partnerlens: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
      );
      process.exit(1);
    });
}

if (require.main === module) runCli();
