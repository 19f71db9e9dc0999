/**
 * A lowdb adapter that never leaves half a document: the new content goes to a temporary file in
 * the same folder, is flushed to disk (fsync), then renamed over the old one, and the folder entry
 * is flushed too. A process killed at any instant leaves either the old or the new document.
 * A document that does not parse is copied aside and reported — never silently replaced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { CertdeskError, errorKind } from '../errors';
import { logLine } from '../log';
import { readOwnFile } from '../no-follow';

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A full disk is the user's to fix, and nothing was lost: say so rather than "erro interno". */
export function diskError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new CertdeskError('DISK_FULL', 'O disco está cheio: nada foi alterado. Libere espaço e tente de novo.');
  }
  return error;
}

/** Temporary files are private (0600) from their first byte: they may hold a vault copy. */
export async function writeDurably(path: string, content: string | Buffer): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw diskError(error);
  }
  await fsyncDir(dirname(path));
}

/** What a crash between write and rename left behind (`.name.xxxx.tmp`); safe at open, before any write. */
export async function removeStaleTemps(dir: string): Promise<void> {
  // No folder yet (first open) or none we may list: no temps to remove; the open itself reports real trouble.
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith('.') && name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
  }
}

/**
 * Copy a damaged document aside once (named by its content, so repeated reads make one copy) and
 * report it; the document itself is left exactly as found.
 */
async function corrupt(path: string, text: string): Promise<CertdeskError> {
  const backup = `${path}.corrompido-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  await copyFile(path, backup, 1 /* COPYFILE_EXCL: an existing copy is the same content */).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    logLine(`[certdesk] copying a damaged document aside failed: ${errorKind(error)}`);
  });
  return new CertdeskError(
    'WORKSPACE_CORRUPT',
    `O documento ${basename(path)} está corrompido e não foi alterado; uma cópia foi salva em ${backup}.`,
    { backup },
  );
}

/** A JSON object (not null, not an array): the shape every document starts from. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class DurableJsonFile<T> implements Adapter<T> {
  /** `valid` rejects a document that parses but is not of the expected shape (e.g. `null`, `{}`). */
  constructor(
    readonly path: string,
    private readonly valid?: (value: unknown) => boolean,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = (await readOwnFile(this.path)).toString('utf8'); // a link planted in its place is refused, not read through
    } catch (error) {
      if (error instanceof CertdeskError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new CertdeskError('UNREADABLE', `Não foi possível ler ${basename(this.path)}.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw await corrupt(this.path, text);
    }
    if (this.valid && !this.valid(parsed)) throw await corrupt(this.path, text);
    return parsed as T;
  }

  async write(data: T): Promise<void> {
    await writeDurably(this.path, JSON.stringify(data));
  }
}
