/**
 * The app's log: stderr, and once the data folder is known a file in it (`logs/certdesk.log`,
 * 0600, rotated at 1 MB keeping two older files) whose path About shows. Lines name what failed
 * and an error's code or class only (errors.ts `errorKind`): never a password, token, key or path
 * a library put in a message.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const MAX_BYTES = 1024 * 1024;
/** Appended to as itself: a link planted at the log's name is refused (ELOOP), not written through. */
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);
let file: string | null = null;

/**
 * Start writing to `<dataDir>/logs/certdesk.log`; answers its path. A `logs` that is a link (or
 * not a folder) is not written into (no-follow.ts): the log stays on stderr only.
 */
export function logToFolder(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  const path = join(dir, 'certdesk.log');
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return path;
  }
  const info = lstatSync(dir);
  file = info.isDirectory() && !info.isSymbolicLink() ? path : null;
  if (!file) console.error(`[certdesk] ${dir} is not a folder of ours (a link?): logging to stderr only`);
  return path;
}

export function logLine(line: string): void {
  console.error(line);
  if (!file) return;
  try {
    if ((lstatSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) rotate(file);
    const fd = openSync(file, APPEND, 0o600);
    try {
      writeSync(fd, `${new Date().toISOString()} ${line}\n`);
    } finally {
      closeSync(fd);
    }
  } catch {
    // A log that cannot be written (disk full, folder gone) must not take the app down; stderr has it.
  }
}

function rotate(path: string): void {
  try {
    renameSync(`${path}.1`, `${path}.2`);
  } catch {
    // no older file yet
  }
  renameSync(path, `${path}.1`);
}
