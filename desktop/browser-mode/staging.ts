/**
 * Files the browser hands over (a browser has no file paths): each in its own private folder
 * (0700, file 0600) inside the user's data folder, removed as soon as it was installed, after
 * `ttlMs` in any case (a dropped file that was only inspected), and all of them when browser mode
 * stops. Nothing staged outlives its use by long, and none of it sits in a shared temp folder.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ensureOwnDir } from '@certdesk/core/no-follow';

export class Staging {
  private counter = 0;
  private readonly created = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly dir: string,
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => void this.sweep(), Math.min(ttlMs, 60_000));
    this.timer.unref();
  }

  async open(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true }); // what an earlier run left (a link: only the link)
    await ensureOwnDir(this.dir);
  }

  async put(name: string, bytes: Buffer): Promise<string> {
    const folder = join(this.dir, String(++this.counter));
    await mkdir(folder, { mode: 0o700 });
    this.created.set(folder, this.now());
    const path = join(folder, name.replace(/^\.+/, '') || 'arquivo');
    await writeFile(path, bytes, { mode: 0o600 });
    return path;
  }

  /** The file at `path` was used for good (installed): remove it now, if it is one of ours. */
  async release(path: unknown): Promise<void> {
    if (typeof path !== 'string') return;
    const folder = dirname(path);
    const inside = relative(this.dir, folder);
    if (!this.created.has(folder) || inside.startsWith('..') || inside.includes(sep)) return;
    await this.remove(folder);
  }

  async sweep(): Promise<void> {
    const limit = this.now() - this.ttlMs;
    for (const [folder, at] of [...this.created]) if (at <= limit) await this.remove(folder);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await rm(this.dir, { recursive: true, force: true });
    this.created.clear();
  }

  private async remove(folder: string): Promise<void> {
    this.created.delete(folder);
    await rm(folder, { recursive: true, force: true });
  }
}
