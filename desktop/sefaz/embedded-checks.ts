/**
 * SEFAZ checks of the embedded workspace's certificates, from this computer: the stored copy is
 * opened with the password the keychain holds beside it (or the one the user types when it does
 * not), each branch and module goes to its authorizer's status service through the proxy chosen in
 * Settings, and the result is kept in the data folder (check-results.ts) — where the next check
 * within three minutes finds its answers, even after the app restarted.
 */
import type { Environment } from '@certdesk/shared/environment';
import type { SefazCertificateCheck, SefazCheckSummary } from '@certdesk/shared/sefaz-checks';
import type { TlsCredentials } from '@certdesk/core/pfx/tls-credentials';
import type { SefazCheckPlanner } from '@certdesk/core/sefaz/check-planner';
import { checkInstalledCertificate } from '@certdesk/core/sefaz/installed-certificate-check';
import type { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import type { CheckResults } from './check-results';

export interface EmbeddedChecksOptions {
  workspace: WorkspaceService;
  results: CheckResults;
  planner: SefazCheckPlanner;
  /** Called before each check: the proxy the client should use from now (Settings may have changed). */
  beforeCheck?: () => Promise<void>;
  open: (pfx: Buffer, password: string | null, now: Date) => Promise<TlsCredentials>;
  now: () => Date;
}

export class EmbeddedSefazChecks {
  constructor(private readonly options: EmbeddedChecksOptions) {}

  async check(environment: Environment, certificateId: string, password?: string | null): Promise<SefazCertificateCheck> {
    const { workspace, results, planner, now } = this.options;
    const [status, certificate, earlier] = await Promise.all([
      workspace.status(environment),
      workspace.get(environment, certificateId),
      results.get(environment, certificateId),
    ]);
    await this.options.beforeCheck?.();
    const check = await checkInstalledCertificate({
      planner,
      certificate: { id: certificate.id, fingerprint: certificate.certificate.fingerprints.sha256, links: certificate.links },
      branches: status.branches,
      environment,
      earlier,
      now,
      credentials: async () => {
        const copy = await workspace.storedCopy(environment, certificateId, password);
        return this.options.open(copy.pfx, copy.password, now());
      },
    });
    await results.put(check);
    return check;
  }

  /** The certificate's last check (NOT_FOUND when it is no longer installed). */
  async lastCheck(environment: Environment, certificateId: string): Promise<SefazCertificateCheck | null> {
    await this.options.workspace.get(environment, certificateId);
    return this.options.results.get(environment, certificateId);
  }

  async summaries(environment: Environment): Promise<SefazCheckSummary[]> {
    const installed = await this.options.workspace.list(environment);
    return this.options.results.list(environment, new Set(installed.map((c) => c.id)));
  }
}
