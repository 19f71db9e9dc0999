/** An installed certificate as the warning rules read it: its facts and what it serves, by name. */
import type { Branch, InstalledCertificate, ModuleDef } from '@certdesk/shared/workspace';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import type { SwapWarningFacts, WarnableCertificate, WarningCertificate, WarningLink } from '@certdesk/shared/warning-events';

type Record_ = Pick<InstalledCertificate, 'id' | 'links' | 'replacedBy'> & {
  certificate: Pick<InstalledCertificate['certificate'], 'holderName' | 'cnpj' | 'cpf' | 'notBefore' | 'notAfter' | 'fingerprints'>;
};

export function warningCertificate(cert: Record_): WarningCertificate {
  const c = cert.certificate;
  return {
    id: cert.id,
    holderName: c.holderName,
    cnpj: c.cnpj,
    cpf: c.cpf,
    sha256: c.fingerprints.sha256,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
  };
}

export function namedLinks(
  links: { branch: string; module: string }[],
  catalogue: { branches: Branch[]; modules: ModuleDef[] },
): WarningLink[] {
  return links.map((l) => ({
    branch: l.branch,
    branchName: catalogue.branches.find((b) => b.code === l.branch)?.name ?? '',
    module: l.module,
    moduleName: catalogue.modules.find((m) => m.id === l.module)?.name ?? l.module,
  }));
}

export function warnable(
  cert: Record_,
  catalogue: { branches: Branch[]; modules: ModuleDef[] },
  pendingSwapAt: string | null = null,
): WarnableCertificate {
  return { certificate: warningCertificate(cert), links: namedLinks(cert.links, catalogue), replaced: !!cert.replacedBy, pendingSwapAt };
}

/** A swap as its warning tells it: who replaced whom, what moved, what the new one could not serve. */
export function swapFacts(
  swap: CertificateSwap,
  fromLinks: { branch: string; module: string }[],
  catalogue: { branches: Branch[]; modules: ModuleDef[] },
): SwapWarningFacts {
  const ref = (r: CertificateSwap['from']): WarningCertificate => ({
    id: r.id,
    holderName: r.holderName,
    cnpj: r.cnpj,
    cpf: r.cpf,
    sha256: r.sha256,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
  });
  const moved = swap.state === 'done' ? swap.results.filter((r) => r.installed) : fromLinks;
  const left = swap.results.filter((r) => !r.installed);
  return {
    swapId: swap.id,
    from: ref(swap.from),
    to: ref(swap.to),
    links: namedLinks(moved, catalogue),
    left: namedLinks(left, catalogue).map((l, i) => ({ ...l, reason: left[i]!.observation?.message ?? '' })),
    scheduledFor: swap.scheduledFor,
    failure: swap.failure?.message ?? null,
  };
}
