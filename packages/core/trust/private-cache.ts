/**
 * The on-disk cache of CRLs, OCSP answers and AIA certificates: a folder of the data folder
 * (`trust-cache/`), 0700, files 0600, never a shared temp folder. Symbolic links are not followed —
 * a link planted in place of the folder or of a file makes that read or write fail, not go
 * elsewhere. Names are SHA-256 of the key (an address), so nothing from a certificate becomes a path.
 * What is read back is checked again by the caller (signatures), so a damaged file costs a download.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, unlink, chmod } from 'node:fs/promises';
import { join } from 'node:path';

export type CacheKind = 'crl' | 'ocsp' | 'aia';

// O_NOFOLLOW does not exist on Windows (0 there); its folders inherit the profile's ACL.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

export class PrivateCache {
  private readonly ready = new Map<string, Promise<string>>();

  constructor(readonly dir: string) {}

  /** A private folder that is a real folder (not a link), created if missing, tightened if loose. */
  private folder(kind: CacheKind): Promise<string> {
    let pending = this.ready.get(kind);
    if (!pending) {
      pending = (async () => {
        for (const path of [this.dir, join(this.dir, kind)]) {
          await mkdir(path, { recursive: true, mode: 0o700 });
          const info = await lstat(path);
          if (info.isSymbolicLink() || !info.isDirectory()) throw new Error(`${path} não é uma pasta comum`);
          if (process.platform !== 'win32' && (info.mode & 0o777) !== 0o700) await chmod(path, 0o700);
        }
        return join(this.dir, kind);
      })();
      pending.catch(() => this.ready.delete(kind)); // a later call may try again
      this.ready.set(kind, pending);
    }
    return pending;
  }

  private static fileName(key: string): string {
    return `${createHash('sha256').update(key).digest('hex')}.der`;
  }

  /** The bytes kept for `key`, or null (absent, too large, a link, unreadable). Reading creates nothing. */
  async read(kind: CacheKind, key: string, maxBytes: number): Promise<Buffer | null> {
    return (await this.readKept(kind, key, maxBytes))?.bytes ?? null;
  }

  /** `read`, with when the file was written (a kept CRL's age: when it was downloaded). */
  async readKept(kind: CacheKind, key: string, maxBytes: number): Promise<{ bytes: Buffer; writtenAt: Date } | null> {
    try {
      // No folder yet: nothing kept (an offline run must not create folders in the user's profile).
      if (!this.ready.has(kind) && !(await lstat(join(this.dir, kind)).catch(() => null))) return null;
      const path = join(await this.folder(kind), PrivateCache.fileName(key));
      const handle = await open(path, constants.O_RDONLY | NO_FOLLOW);
      try {
        const info = await handle.stat();
        if (!info.isFile() || info.size > maxBytes) return null;
        return { bytes: await handle.readFile(), writtenAt: info.mtime };
      } finally {
        await handle.close();
      }
    } catch {
      return null;
    }
  }

  /** Keep `bytes` for `key`: written to a fresh private file, then renamed over the old one. */
  async write(kind: CacheKind, key: string, bytes: Buffer): Promise<void> {
    const folder = await this.folder(kind);
    const target = join(folder, PrivateCache.fileName(key));
    const temp = join(folder, `.${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
}
