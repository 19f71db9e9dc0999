import { chmod, mkdir } from 'node:fs/promises';

/**
 * Create a folder only this user can enter, or tighten one an earlier version made 0755: on a
 * shared machine the data folder, the vault and the CLI's settings are nobody else's business.
 * (Windows folders inherit the user profile's ACL; chmod would not mean the same there.)
 */
export async function ensurePrivateDir(path: string): Promise<string> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(path, 0o700);
  return path;
}
