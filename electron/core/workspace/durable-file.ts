/**
 * A lowdb adapter that never leaves half a document: the new content goes to a temporary file in
 * the same folder, is flushed to disk (fsync), then renamed over the old one, and the folder entry
 * is flushed too. A process killed at any instant leaves either the old or the new document.
 * A document that does not parse is copied aside and reported — never silently replaced.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { CertdeskError } from '../errors';

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeDurably(path: string, content: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dirname(path));
}

export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new CertdeskError('UNREADABLE', `Não foi possível ler ${basename(this.path)}.`);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      const backup = `${this.path}.corrompido-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await copyFile(this.path, backup);
      throw new CertdeskError(
        'WORKSPACE_CORRUPT',
        `O documento ${basename(this.path)} está corrompido e não foi alterado; uma cópia foi salva em ${backup}.`,
      );
    }
  }

  async write(data: T): Promise<void> {
    await writeDurably(this.path, JSON.stringify(data));
  }
}
