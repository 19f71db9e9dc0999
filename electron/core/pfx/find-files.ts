/**
 * Walk a folder for PKCS#12 files (.pfx / .p12, any case), for the bulk inspector and `certdesk
 * scan`. Symbolic links are not followed (no loops); unreadable sub-folders are skipped.
 */
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PFX_FILE_NAME } from '#shared/pfx';
import { CertdeskError } from '../errors';

/** More than this in one folder is almost certainly the wrong folder; the caller is told. */
export const MAX_FOLDER_FILES = 20_000;

export async function findPfxFiles(root: string, limit = MAX_FOLDER_FILES): Promise<{ files: string[]; truncated: boolean }> {
  try {
    if (!(await stat(root)).isDirectory()) throw new CertdeskError('UNREADABLE', 'O caminho indicado não é uma pasta.');
  } catch (error) {
    if (error instanceof CertdeskError) throw error;
    throw new CertdeskError('UNREADABLE', `Não foi possível abrir a pasta (${(error as NodeJS.ErrnoException).code ?? 'erro'}).`);
  }
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.shift()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      // A subfolder we may not open (permissions, system folders, removed meanwhile) is skipped like any non-PFX entry.
      continue;
    }
    for await (const entry of handle) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && PFX_FILE_NAME.test(entry.name)) {
        if (files.length >= limit) return { files: files.sort(), truncated: true };
        files.push(path);
      }
    }
  }
  return { files: files.sort(), truncated: false };
}
