/**
 * The embedded workspace's SEFAZ check results, kept in the data folder: one private file per
 * certificate, `sefaz-checks/<environment>/<certificate id>.json` (folders 0700, files 0600, written
 * to a temporary file and renamed; a symbolic link in their place is refused, never followed). One
 * file each, so checking a whole environment writes each certificate's result once and the list's
 * summaries stay in memory after the first read. Results are a record of answers, not workspace
 * data: one that cannot be read is treated as "never checked", and files of certificates no longer
 * installed are removed when the list is read.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from '@certdesk/shared/environment';
import type { SefazCertificateCheck, SefazCheckSummary } from '@certdesk/shared/sefaz-checks';
import { ensurePrivateDir } from '@certdesk/core/private-dir';
import { isRecord, writeDurably } from '@certdesk/core/workspace/durable-file';

// O_NOFOLLOW does not exist on Windows (0 there); its folders inherit the profile's ACL.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
/** A check is a few KB per branch and module; anything past this is not ours. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const looksLikeCheck = (value: unknown): value is SefazCertificateCheck =>
  isRecord(value) && typeof value['certificateId'] === 'string' && Array.isArray(value['links']) && isRecord(value['summary']);

export class CheckResults {
  private readonly summaries = new Map<Environment, Promise<Map<string, SefazCheckSummary>>>();

  constructor(readonly dir: string) {}

  /** The environment's folder, private, and a real folder (a link there fails the operation). */
  private async folder(environment: Environment): Promise<string> {
    const path = join(this.dir, environment);
    for (const folder of [this.dir, path]) {
      await ensurePrivateDir(folder);
      const info = await lstat(folder);
      if (info.isSymbolicLink() || !info.isDirectory()) throw new Error(`${folder} não é uma pasta comum`);
    }
    return path;
  }

  private static file(folder: string, certificateId: string): string {
    if (!ID.test(certificateId)) throw new Error('identificador de certificado inválido');
    return join(folder, `${certificateId.toLowerCase()}.json`);
  }

  async get(environment: Environment, certificateId: string): Promise<SefazCertificateCheck | null> {
    try {
      const handle = await open(CheckResults.file(join(this.dir, environment), certificateId), constants.O_RDONLY | NO_FOLLOW);
      try {
        const info = await handle.stat();
        if (!info.isFile() || info.size > MAX_FILE_BYTES) return null;
        const parsed: unknown = JSON.parse(await handle.readFile('utf8'));
        return looksLikeCheck(parsed) && parsed.certificateId === certificateId && parsed.environment === environment ? parsed : null;
      } finally {
        await handle.close();
      }
    } catch {
      return null; // absent, a link, damaged: never checked, as far as the screens go
    }
  }

  async put(check: SefazCertificateCheck): Promise<void> {
    const folder = await this.folder(check.environment);
    await writeDurably(CheckResults.file(folder, check.certificateId), JSON.stringify(check));
    const known = this.summaries.get(check.environment);
    if (known) (await known).set(check.certificateId, check.summary);
  }

  /** The summaries of the certificates in `installed` (files of any other certificate are removed). */
  async list(environment: Environment, installed: ReadonlySet<string>): Promise<SefazCheckSummary[]> {
    let loading = this.summaries.get(environment);
    if (!loading) {
      loading = this.load(environment);
      loading.catch(() => this.summaries.delete(environment));
      this.summaries.set(environment, loading);
    }
    const all = await loading;
    for (const id of [...all.keys()].filter((id) => !installed.has(id))) {
      all.delete(id);
      await rm(CheckResults.file(join(this.dir, environment), id), { force: true });
    }
    return [...all.values()];
  }

  private async load(environment: Environment): Promise<Map<string, SefazCheckSummary>> {
    const found = new Map<string, SefazCheckSummary>();
    const names = await readdir(join(this.dir, environment)).catch(() => [] as string[]);
    for (const name of names) {
      const id = name.replace(/\.json$/, '');
      if (!ID.test(id) || !name.endsWith('.json')) continue;
      const check = await this.get(environment, id);
      if (check) found.set(id, check.summary);
    }
    return found;
  }
}
