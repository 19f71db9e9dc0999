/**
 * Turns what the user dropped or picked — files, many files, folders — into paths the main process
 * can read. In the desktop app a dropped folder is listed by the main process (fast for thousands
 * of files); in the browser build there are no paths, so folders are walked here and each file is
 * staged through the browser mode.
 */
import type { FolderListing } from '@certdesk/shared/contract';
import { PFX_FILE_NAME } from '@certdesk/shared/pfx';
import { api, pathForFile } from './api';

export interface Intake {
  files: { name: string; path: string }[];
  truncated: boolean;
  /** Sub-folders that could not be listed (shown as rows of their own: part of the tree was not looked at). */
  unreadable: { name: string; code: string }[];
}

type Dropped = { kind: 'file'; file: File } | { kind: 'folder'; file: File | null; entry: FileSystemDirectoryEntry };

const basename = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** Must run synchronously inside the drop event: the DataTransfer is emptied when it returns. */
export function captureDrop(transfer: DataTransfer): Dropped[] {
  const dropped: Dropped[] = [];
  for (const item of Array.from(transfer.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    const file = item.getAsFile();
    if (entry?.isDirectory) dropped.push({ kind: 'folder', file, entry: entry as FileSystemDirectoryEntry });
    else if (file) dropped.push({ kind: 'file', file });
  }
  if (dropped.length === 0) for (const file of Array.from(transfer.files)) dropped.push({ kind: 'file', file });
  return dropped;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** A sub-folder the browser could not list names itself and the walk goes on, as in the main process. */
async function walk(directory: FileSystemDirectoryEntry, out: File[], unreadable: Intake['unreadable'], top = true): Promise<void> {
  const reader = directory.createReader();
  try {
    // readEntries answers in pages: keep asking until it returns nothing.
    for (let page = await readEntries(reader); page.length > 0; page = await readEntries(reader)) {
      for (const entry of page) {
        if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, out, unreadable, false);
        else if (PFX_FILE_NAME.test(entry.name)) {
          out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
        }
      }
    }
  } catch (error) {
    if (top) throw error;
    unreadable.push({ name: directory.fullPath.replace(/^\//, ''), code: (error as DOMException)?.name ?? 'erro' });
  }
}

async function stageAll(files: File[]): Promise<Intake['files']> {
  return Promise.all(files.map(async (file) => ({ name: file.webkitRelativePath || file.name, path: await pathForFile(file) })));
}

export async function intakeDropped(dropped: Dropped[]): Promise<Intake> {
  const result: Intake = { files: [], truncated: false, unreadable: [] };
  for (const item of dropped) {
    if (item.kind === 'file') {
      result.files.push({ name: item.file.name, path: await pathForFile(item.file) });
    } else if (!__CERTDESK_BROWSER_MODE__ && item.file) {
      const folder = await pathForFile(item.file);
      const listing: FolderListing = await api.pfxListFolder({ path: folder });
      result.truncated ||= listing.truncated;
      const prefix = folder.length + 1;
      const named = (path: string) => `${basename(folder)}/${path.slice(prefix)}`;
      result.files.push(...listing.files.map((path) => ({ name: named(path), path })));
      result.unreadable.push(...listing.unreadableFolders.map((f) => ({ name: named(f.path), code: f.code })));
    } else {
      const files: File[] = [];
      await walk(item.entry, files, result.unreadable);
      result.files.push(...(await stageAll(files)));
    }
  }
  return result;
}

/** Files from an <input type=file> (with or without webkitdirectory): keep only PFX names for folders. */
export async function intakePicked(list: FileList, folder: boolean): Promise<Intake> {
  const files = Array.from(list).filter((file) => !folder || PFX_FILE_NAME.test(file.name));
  return { files: await stageAll(files), truncated: false, unreadable: [] };
}
