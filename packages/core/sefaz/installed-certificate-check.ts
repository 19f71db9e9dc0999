/**
 * The SEFAZ check of one installed certificate, the same for the desktop's embedded workspace and
 * CertDesk Cloud: each branch and module it serves becomes the status service of the module (see
 * `sefazModuleOf`) at the authorizer of the branch's state, and the planner makes one call per
 * authorizer and service, reusing answers kept for at least three minutes — including answers read
 * back from storage (`earlier`), so a restart or another cloud instance does not ask again.
 */
import type { Environment } from '@certdesk/shared/environment';
import { sefazModuleOf, summarizeCheck, type SefazCertificateCheck, type SefazLinkCheck } from '@certdesk/shared/sefaz-checks';
import type { Branch, Link } from '@certdesk/shared/workspace';
import { CertdeskError } from '../errors';
import type { TlsCredentials } from '../pfx/tls-credentials';
import type { BranchLink, SefazCheckPlanner } from './check-planner';

export interface InstalledCertificateCheck {
  planner: SefazCheckPlanner;
  certificate: { id: string; fingerprint: string; links: Link[] };
  /** The environment's branches (their states). */
  branches: Branch[];
  environment: Environment;
  /** Opens the certificate's key: called only when a call is needed, at most once. */
  credentials: () => Promise<TlsCredentials>;
  /** The certificate's last stored check: its answers still within their time are not asked again. */
  earlier?: SefazCertificateCheck | null;
  now: () => Date;
}

/**
 * Checks every branch and module `certificate` serves. A certificate that cannot be opened (password
 * missing or wrong, no stored copy, a damaged file) throws that error: there is no answer to keep.
 */
export async function checkInstalledCertificate(check: InstalledCertificateCheck): Promise<SefazCertificateCheck> {
  const { certificate, environment } = check;
  const ranAt = check.now().toISOString();
  const links: SefazLinkCheck[] = certificate.links.map(({ branch, module }) => {
    const uf = check.branches.find((b) => b.code === branch)?.uf ?? null;
    const service = sefazModuleOf(module);
    const kind = !service ? 'no-service' : uf ? 'checked' : 'no-state';
    return { branch, module, uf, service, kind, result: null };
  });
  if (check.earlier?.fingerprint === certificate.fingerprint)
    for (const link of check.earlier.links) if (link.result) check.planner.remember(certificate.fingerprint, link.result);

  const asked = links.filter((l) => l.kind === 'checked');
  const branchLinks: BranchLink[] = asked.map((l) => ({ branch: l.branch, uf: l.uf!, module: l.service!, environment }));
  const results = await check.planner.run([{ fingerprint: certificate.fingerprint, links: branchLinks, credentials: check.credentials }]);
  const failed = results.find((r) => r.error);
  if (failed) throw new CertdeskError(failed.error!.code, failed.error!.message, failed.error!.details);
  results.forEach((r, i) => (asked[i]!.result = r.result));
  return {
    certificateId: certificate.id,
    fingerprint: certificate.fingerprint,
    environment,
    ranAt,
    links,
    summary: summarizeCheck(certificate.id, links, ranAt),
  };
}
