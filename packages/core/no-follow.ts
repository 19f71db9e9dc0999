/**
 * What CertDesk creates inside its data folder — workspaces/<env>/, vault/, history/, logs/,
 * downloads/, .staging/ and the files in them — is reached only as itself, never through a
 * symbolic link someone planted there: a link at `vault` once had its target chmod'ed and the
 * vault written into it. Each folder is created without `recursive`, opened with O_NOFOLLOW and
 * O_DIRECTORY, checked to be a folder of this user, and made 0700 through that open handle
 * (fchmod: never a chmod that follows a link). Files are opened with O_NOFOLLOW. Once a folder is
 * ours and 0700, nobody else can plant anything below it, so checking each level on the way down
 * is enough. The data folder itself is where the user or the OS put it (it may well be a link the
 * user made), so it is not judged here (private-dir.ts).
 *
 * Windows has no O_NOFOLLOW (and creating links there needs a privilege): lstat says whether a
 * folder is a link or a junction, and that is what is refused.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { CertdeskError } from './errors';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const DIRECTORY = constants.O_DIRECTORY ?? 0;

export function unsafeEntry(path: string, why = 'é um link simbólico'): CertdeskError {
  return new CertdeskError(
    'DATA_FOLDER_UNSAFE',
    `${path} ${why}: o CertDesk não segue links nem usa pastas de outros usuários dentro da sua pasta de dados. Remova-o e abra de novo.`,
    { path },
  );
}

const isLinkError = (error: unknown): boolean => ['ELOOP', 'EMLINK', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** Create (or check) one folder CertDesk owns inside its data folder: private, this user's, never a link. */
export async function ensureOwnDir(path: string): Promise<string> {
  await mkdir(path, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  if (process.platform === 'win32') {
    const info = await lstat(path);
    if (info.isSymbolicLink()) throw unsafeEntry(path);
    if (!info.isDirectory()) throw unsafeEntry(path, 'não é uma pasta');
    return path;
  }
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | DIRECTORY | NOFOLLOW);
  } catch (error) {
    if (isLinkError(error)) throw unsafeEntry(path, (await lstat(path)).isSymbolicLink() ? 'é um link simbólico' : 'não é uma pasta');
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isDirectory()) throw unsafeEntry(path, 'não é uma pasta');
    if (typeof process.getuid === 'function' && info.uid !== process.getuid()) throw unsafeEntry(path, 'pertence a outro usuário');
    await handle.chmod(0o700);
  } finally {
    await handle.close();
  }
  return path;
}

/** Create (or check) `root/a/b/…`, each level below `root` as ensureOwnDir does. */
export async function ensureOwnDirs(root: string, ...levels: string[]): Promise<string> {
  let path = root;
  for (const level of levels) path = await ensureOwnDir(join(path, level));
  return path;
}

/**
 * A file of ours, read as itself (O_NOFOLLOW: a link there is refused, not read through), up to
 * `maxBytes` when given. ENOENT and other system errors pass through for the caller to word.
 */
export async function readOwnFile(path: string, maxBytes?: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw unsafeEntry(path);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw unsafeEntry(path, 'não é um arquivo comum');
    if (maxBytes !== undefined && info.size > maxBytes)
      throw new CertdeskError('TOO_LARGE', `${path} é grande demais (${info.size} bytes).`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
