/**
 * The app's log: stderr, and once the data folder is known a file in it (`logs/certdesk.log`,
 * 0600, rotated at 1 MB keeping two older files) whose path About shows. Lines name what failed
 * and an error's code or class only (errors.ts `errorKind`): never a password, token, key or path
 * a library put in a message.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX_BYTES = 1024 * 1024;
let file: string | null = null;

/** Start writing to `<dataDir>/logs/certdesk.log`; answers its path. */
export function logToFolder(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  file = join(dir, 'certdesk.log');
  return file;
}

export function logLine(line: string): void {
  console.error(line);
  if (!file) return;
  try {
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) rotate(file);
    appendFileSync(file, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
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
