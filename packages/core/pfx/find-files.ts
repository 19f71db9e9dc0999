/**
 * Walk a folder for PKCS#12 files (.pfx / .p12, any case), for the bulk inspector and `certdesk
 * scan`. Symbolic links are not followed (no loops). A sub-folder that cannot be listed
 * (permissions, removed meanwhile) does not stop the walk: it is named in `unreadableFolders` so
 * the caller can tell the user which part of the tree was not looked at.
 */
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderListing, UnreadableFolder } from '@certdesk/shared/pfx';
import { PFX_FILE_NAME } from '@certdesk/shared/pfx';
import { CertdeskError } from '../errors';

/** More than this in one folder is almost certainly the wrong folder; the caller is told. */
export const MAX_FOLDER_FILES = 20_000;

/** The listing with the folders it could not look into (packages/shared/pfx.ts). */
export type PfxFolderListing = FolderListing;

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? 'erro';

/** The root itself must be a folder that opens: otherwise the caller gets UNREADABLE, not an empty list. */
export async function findPfxFiles(root: string, limit = MAX_FOLDER_FILES): Promise<PfxFolderListing> {
  try {
    if (!(await stat(root)).isDirectory()) throw new CertdeskError('UNREADABLE', 'O caminho indicado não é uma pasta.');
  } catch (error) {
    if (error instanceof CertdeskError) throw error;
    throw new CertdeskError('UNREADABLE', `Não foi possível abrir a pasta (${codeOf(error)}).`);
  }
  const files: string[] = [];
  const unreadableFolders: UnreadableFolder[] = [];
  const done = (truncated: boolean): PfxFolderListing => ({ files: files.sort(), truncated, unreadableFolders });
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.shift()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      if (dir === root) throw new CertdeskError('UNREADABLE', `Não foi possível abrir a pasta (${codeOf(error)}).`);
      unreadableFolders.push({ path: dir, code: codeOf(error) });
      continue;
    }
    try {
      for await (const entry of handle) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) pending.push(path);
        else if (entry.isFile() && PFX_FILE_NAME.test(entry.name)) {
          if (files.length >= limit) return done(true);
          files.push(path);
        }
      }
    } catch (error) {
      // Listing failed part-way (an I/O error, a network share gone): what was found stays, the folder is named.
      unreadableFolders.push({ path: dir, code: codeOf(error) });
    }
  }
  return done(false);
}
