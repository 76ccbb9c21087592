import type { Command } from 'commander';

import {
  API_KEY_ROLES,
  type ApiKeyAccess,
  type ApiKeyRole,
  issueApiKey,
  listApiKeys,
  revokeApiKey,
} from '../db/api-keys';
import { recordAudit } from '../db/audit';
import type { Database } from '../db/database';
import { getTenant, listTenants } from '../db/tenants';

interface Helpers {
  withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  print(value: unknown): void;
  fail(message: string): never;
  uuid(value: string): string;
}

/** `tenants list` and `keys list | create | revoke`: what an operator needs to hand out and take back access. */
export function addTenantCommands(program: Command, tenants: Command, helpers: Helpers): void {
  const { withDatabase, print, fail, uuid } = helpers;
  const existing = async (db: Database, tenantId: string) => {
    if (!(await getTenant(db, tenantId))) fail(`no tenant ${tenantId}`);
  };

  tenants
    .command('list')
    .description('list the tenants, with their HubSpot portal and how many API keys are in use')
    .action(() => withDatabase(async (db) => print(await listTenants(db))));

  const keys = program.command('keys').description("manage a tenant's API keys");
  keys
    .command('list')
    .description("list a tenant's API keys (names, roles and prefixes; keys are stored hashed)")
    .requiredOption('--tenant <id>', 'tenant id', uuid)
    .action((options: { tenant: string }) =>
      withDatabase(async (db) => {
        await existing(db, options.tenant);
        print(await listApiKeys(db, options.tenant));
      }),
    );
  keys
    .command('create')
    .description('issue an API key for a tenant (printed once)')
    .requiredOption('--tenant <id>', 'tenant id', uuid)
    .option('--name <name>', 'what the key is for')
    .option('--role <role>', `what the key may do: ${API_KEY_ROLES.join(', ')}`, 'admin')
    .option('--partner <id>', 'the partner a partner key acts for (with --role partner)', uuid)
    .action((options: { tenant: string; name?: string; role: string; partner?: string }) =>
      withDatabase(async (db) => {
        await existing(db, options.tenant);
        if (!(API_KEY_ROLES as readonly string[]).includes(options.role))
          fail(`--role must be one of ${API_KEY_ROLES.join(', ')}`);
        const role = options.role as ApiKeyRole;
        if (role === 'partner' && !options.partner) fail('--role partner needs --partner <id>');
        if (role !== 'partner' && options.partner)
          fail('--partner binds a partner key only: use it with --role partner');
        if (options.partner) {
          const [partner] = await db.query(
            'select 1 from partners where tenant_id = $1 and id = $2',
            [options.tenant, options.partner],
          );
          if (!partner) fail(`tenant ${options.tenant} has no partner ${options.partner}`);
        }
        const access: ApiKeyAccess =
          role === 'partner' ? { role, partnerId: options.partner! } : { role };
        const name = (options.name ?? role).trim();
        if (!name || name.length > 100) fail('--name must be 1 to 100 characters');
        const issued = await db.transaction(async (tx) => {
          const key = await issueApiKey(tx, options.tenant, name, access);
          await recordAudit(tx, {
            tenantId: options.tenant,
            actor: 'cli',
            action: 'api_key.issued',
            subjectType: 'api_key',
            subjectId: key.id,
            details: { name, role, ...(options.partner ? { partnerId: options.partner } : {}) },
          });
          return key;
        });
        print({
          tenantId: options.tenant,
          keyId: issued.id,
          name,
          role,
          ...(options.partner ? { partnerId: options.partner } : {}),
          apiKey: issued.key,
        });
      }),
    );
  keys
    .command('revoke')
    .description('revoke one API key at once (the next request with it is refused)')
    .requiredOption('--tenant <id>', 'tenant id', uuid)
    .requiredOption('--key <id>', 'the key id (from keys list)', uuid)
    .action((options: { tenant: string; key: string }) =>
      withDatabase(async (db) => {
        await existing(db, options.tenant);
        const revoked = await db.transaction(async (tx) => {
          if (!(await revokeApiKey(tx, options.tenant, options.key))) return false;
          await recordAudit(tx, {
            tenantId: options.tenant,
            actor: 'cli',
            action: 'api_key.revoked',
            subjectType: 'api_key',
            subjectId: options.key,
          });
          return true;
        });
        if (!revoked) fail(`tenant ${options.tenant} has no key ${options.key} in use`);
        print({ tenantId: options.tenant, keyId: options.key, revoked: true });
      }),
    );
}
