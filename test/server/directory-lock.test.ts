import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DirectoryLockedError, lockDirectory } from '../../server/lib/directory-lock';

describe('lockDirectory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pl-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first is alive, and says what to do', async () => {
    await writeFile(path.join(dir, 'partnerlens.lock'), String(process.ppid));
    await expect(lockDirectory(dir, 'The embedded database')).rejects.toThrow(DirectoryLockedError);
    await expect(lockDirectory(dir, 'The embedded database')).rejects.toThrow(
      /in use by process \d+ .*set DATABASE_URL/,
    );
  });

  it('takes over from a process that died', async () => {
    await writeFile(path.join(dir, 'partnerlens.lock'), '999999999');
    const unlock = await lockDirectory(dir, 'The embedded database');
    await unlock();
  });

  it('can be taken again once released', async () => {
    const unlock = await lockDirectory(dir, 'x');
    await unlock();
    await (
      await lockDirectory(dir, 'x')
    )();
  });
});
