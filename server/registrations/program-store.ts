import { parseProgram, type Program } from '../../src/program/program';
import type { Queryable } from '../db/database';

const DEFAULT_PROGRAM = (() => {
  const parsed = parseProgram({});
  if (!parsed.ok) throw new Error('the empty program must be valid');
  return parsed.value;
})();

/** The tenant's program, or the defaults of DESIGN.md §7 when none was set. */
export async function loadProgram(
  db: Queryable,
  tenantId: string,
): Promise<{ program: Program; version: number }> {
  const [row] = await db.query<{ document: unknown; version: number }>(
    'select document, version from programs where tenant_id = $1',
    [tenantId],
  );
  if (!row) return { program: DEFAULT_PROGRAM, version: 0 };
  const parsed = parseProgram(row.document);
  if (!parsed.ok)
    throw new Error(
      `stored program of tenant ${tenantId} is no longer valid: ${parsed.error.message}`,
    );
  return { program: parsed.value, version: row.version };
}

const parsedPrograms = new Map<string, { version: number; program: Program }>();
const PROGRAMS_KEPT = 500;

/**
 * The tenant's program when the caller already knows its version (read with its own query): parsed
 * once per version and kept (a few hundred tenants), read again only when the version moved.
 */
export async function programAtVersion(
  db: Queryable,
  tenantId: string,
  version: number,
): Promise<Program> {
  const cached = parsedPrograms.get(tenantId);
  if (cached && cached.version === version) return cached.program;
  const loaded = await loadProgram(db, tenantId);
  parsedPrograms.delete(tenantId);
  parsedPrograms.set(tenantId, loaded);
  if (parsedPrograms.size > PROGRAMS_KEPT)
    parsedPrograms.delete(parsedPrograms.keys().next().value!);
  return loaded.program;
}

export async function saveProgram(
  db: Queryable,
  tenantId: string,
  program: Program,
  actor: string,
): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    `insert into programs (tenant_id, document, version, updated_by) values ($1, $2, 1, $3)
     on conflict (tenant_id) do update set document = excluded.document, version = programs.version + 1,
       updated_by = excluded.updated_by, updated_at = now()
     returning version`,
    [tenantId, JSON.stringify(program), actor],
  );
  return row!.version;
}
