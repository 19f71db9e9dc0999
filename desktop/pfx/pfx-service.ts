/**
 * What the app's `pfx:*` channels do: open a file in a worker (trying the empty, then the
 * remembered password when none was typed), remember or forget passwords, list a dropped folder.
 */
import { createHash } from 'node:crypto';
import { readPfxFile } from '@certdesk/core/pfx/read-pfx-file';
import type { PfxOpenResult } from '@certdesk/shared/contract';
import { CertdeskError } from '@certdesk/core/errors';
import type { RememberedPasswords } from './remembered-passwords';
import type { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';

export interface OpenRequest {
  path: string;
  password: string | null;
  remember?: boolean;
}

async function fileSha256(path: string): Promise<string> {
  try {
    return createHash('sha256')
      .update(await readPfxFile(path))
      .digest('hex');
  } catch {
    throw new CertdeskError('UNREADABLE', 'Não foi possível ler o arquivo.');
  }
}

export class PfxService {
  constructor(
    private readonly pool: PfxWorkerPool,
    private readonly remembered: RememberedPasswords,
    private readonly now: () => Date,
  ) {}

  async open({ path, password, remember }: OpenRequest): Promise<PfxOpenResult> {
    if (password) {
      const inspection = await this.pool.inspect(path, password, this.now());
      let rememberError: string | null = null;
      // Passwords are kept per certificate: a key-only file has none to keep it under.
      if (remember && !inspection.certificate) rememberError = 'NO_CERTIFICATE';
      else if (remember) {
        try {
          await this.remembered.remember(await fileSha256(path), inspection.certificate!.fingerprints.sha256, password);
        } catch (error) {
          rememberError = error instanceof CertdeskError ? error.code : 'INTERNAL';
        }
      }
      return this.result(inspection, 'typed', rememberError);
    }
    try {
      return this.result(await this.pool.inspect(path, null, this.now()), 'none', null);
    } catch (error) {
      if (!(error instanceof CertdeskError) || error.code !== 'PASSWORD_REQUIRED') throw error;
      const stored = await this.remembered.lookup(await fileSha256(path));
      if (!stored) throw error;
      try {
        return this.result(await this.pool.inspect(path, stored.password, this.now()), 'remembered', null);
      } catch (retry) {
        // The file changed its password since: forget the stale one and ask again.
        if (retry instanceof CertdeskError && retry.code === 'WRONG_PASSWORD') {
          // Best effort: a stale entry left behind only costs the same failed retry next time.
          await this.remembered.forget(stored.certificateSha256).catch(() => undefined);
          throw error;
        }
        throw retry;
      }
    }
  }

  private result(
    inspection: Awaited<ReturnType<PfxWorkerPool['inspect']>>,
    passwordSource: PfxOpenResult['passwordSource'],
    rememberError: string | null,
  ): PfxOpenResult {
    return {
      ...inspection,
      passwordSource,
      passwordRemembered: inspection.certificate !== null && this.remembered.isRemembered(inspection.certificate.fingerprints.sha256),
      rememberError,
    };
  }

  forget(certificateSha256: string): Promise<void> {
    return this.remembered.forget(certificateSha256);
  }
}
