/**
 * One CertDesk per data folder. Two processes writing the same workspace would each keep their own
 * picture of the documents and overwrite the other's confirmed work, so the second one is refused
 * with a clear message (browser mode and desktop alike). proper-lockfile keeps the lock fresh and
 * treats a lock left by a killed process as stale after a few seconds.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CertdeskError } from '@certdesk/core/errors';

/**
 * proper-lockfile makes its lock with a bare mkdir, which the umask leaves 0755; on a shared machine
 * every folder of ours is 0700, the lock too (what it holds is only a time, but the rule has no exceptions).
 */
const privateLockFs = {
  ...fs,
  mkdir: (path: string, done: (error: NodeJS.ErrnoException | null) => void) => fs.mkdir(path, { mode: 0o700 }, done),
};

export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: join(dataDir, '.certdesk.lock'),
      stale: 10_000,
      update: 2_500,
      retries: 0,
      realpath: false,
      fs: privateLockFs,
      // Losing the lock (the folder vanished, the clock jumped) must not crash the app; the next
      // write reports its own error.
      onCompromised: () => undefined,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new CertdeskError(
        'WORKSPACE_IN_USE',
        `A pasta de dados ${dataDir} já está em uso por outro CertDesk (outra janela, o modo navegador ou outro usuário). Feche o outro ou escolha outra pasta com --data.`,
      );
    }
    throw error;
  }
}
