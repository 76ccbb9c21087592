import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class DirectoryLockedError extends Error {
  readonly code = 'DATA.LOCKED';
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims a folder for this process (a lock file holding the pid), taking over from a process that
 * died. The embedded database is one process's: a second one would write beside it and lose data.
 */
export async function lockDirectory(dir: string, purpose: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'partnerlens.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (holder && holder !== process.pid && alive(holder)) {
        throw new DirectoryLockedError(
          `${purpose} in ${dir} is in use by process ${holder} (is \`npm start\` running?). ` +
            'Stop it first, or set DATABASE_URL so that several processes share one Postgres.',
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new DirectoryLockedError(`could not lock ${dir}`);
}
