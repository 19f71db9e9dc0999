/**
 * The inspector's chain and revocation. Opening a file answers at once with what is at hand (the
 * shipped ICP-Brasil set, the kept CRLs, OCSP answers and AIA certificates — no network, so an
 * offline machine never waits); the screen then asks `trust:check`, which goes to the network
 * with the engine's budgets. The certificates of recently opened files are kept here, in memory
 * and by the certificate's SHA-256, because the renderer holds paths and hashes, never bytes.
 */
import type { PfxInspection } from '@certdesk/shared/contract';
import type { TrustReport } from '@certdesk/shared/trust';
import { CertdeskError } from '@certdesk/core/errors';
import { certificatesToKeep, type TrustEvaluator } from '@certdesk/core/workspace/revocation-check';

/** Files remembered for `trust:check`: a bulk inspection checks them as they open, a few behind. */
const MAX_REMEMBERED = 2_000;

export class InspectorTrust {
  private readonly recent = new Map<string, Buffer[]>();

  constructor(private readonly evaluator: TrustEvaluator) {}

  /** The check from what is at hand, remembering the certificates for `check`. null: nothing to check (key-only file). */
  async atHand(inspection: PfxInspection, certificates: Buffer[]): Promise<TrustReport | null> {
    const sha256 = inspection.certificate?.fingerprints.sha256;
    const [leaf, ...others] = certificatesToKeep(certificates);
    if (!sha256 || !leaf) return null;
    this.recent.delete(sha256);
    this.recent.set(sha256, [leaf, ...others]);
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= MAX_REMEMBERED) break;
      this.recent.delete(oldest);
    }
    // A certificate the engine cannot read has no verdict; the inspection already says what it is.
    return this.evaluator.evaluate(leaf, others, { online: false }).catch(() => null);
  }

  /** The check with the network, for a certificate opened in this session. */
  async check(sha256: string): Promise<TrustReport> {
    const kept = this.recent.get(sha256);
    if (!kept) throw new CertdeskError('NOT_FOUND', 'Este certificado não foi aberto nesta sessão: abra o arquivo de novo.');
    const [leaf, ...others] = kept;
    return this.evaluator.evaluate(leaf!, others, { online: true });
  }
}
