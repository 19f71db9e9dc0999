/**
 * What the app's `pfx:*` channels do: open a file in a worker (trying the empty, then the
 * remembered password when none was typed), remember or forget passwords, list a dropped folder.
 */
import { createHash } from 'node:crypto';
import { readPfxFile } from '@certdesk/core/pfx/read-pfx-file';
import type { PfxOpenResult } from '@certdesk/shared/contract';
import { CertdeskError } from '@certdesk/core/errors';
import type { RememberedPasswords } from './remembered-passwords';
import type { InspectionWithCertificates, PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import type { InspectorTrust } from '../trust/inspector-trust';

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
    /** Chain and revocation from what is at hand, with each file opened (absent: none). */
    private readonly trust?: InspectorTrust,
  ) {}

  private inspect(path: string, password: string | null): Promise<InspectionWithCertificates> {
    return this.pool.inspectWithCertificates(path, password, this.now());
  }

  async open({ path, password, remember }: OpenRequest): Promise<PfxOpenResult> {
    if (password) {
      const opened = await this.inspect(path, password);
      const inspection = opened.inspection;
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
      return this.result(opened, 'typed', rememberError);
    }
    try {
      return await this.result(await this.inspect(path, null), 'none', null);
    } catch (error) {
      if (!(error instanceof CertdeskError) || error.code !== 'PASSWORD_REQUIRED') throw error;
      const stored = await this.remembered.lookup(await fileSha256(path));
      if (!stored) throw error;
      try {
        return await this.result(await this.inspect(path, stored.password), 'remembered', null);
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

  private async result(
    { inspection, certificates }: InspectionWithCertificates,
    passwordSource: PfxOpenResult['passwordSource'],
    rememberError: string | null,
  ): Promise<PfxOpenResult> {
    const trust = this.trust ? await this.trust.atHand(inspection, certificates) : undefined;
    return {
      ...inspection,
      ...(trust !== undefined ? { trust } : {}),
      passwordSource,
      passwordRemembered: inspection.certificate !== null && this.remembered.isRemembered(inspection.certificate.fingerprints.sha256),
      rememberError,
    };
  }

  forget(certificateSha256: string): Promise<void> {
    return this.remembered.forget(certificateSha256);
  }
}
