/**
 * What stops a PFX from being installed, in the one order every backend (the embedded workspace,
 * CertDesk Cloud) and the wizard check it, so the wizard stops exactly where an install would.
 */
import type { CertificateSummary, PfxInspection } from './pfx';

export type InstallStop = 'noCertificate' | 'expired' | 'notYetValid' | 'noKey' | 'unsupportedAlgorithm' | 'keyMismatch';

/** The first reason the inspected file cannot be installed, or null when it can. */
export function installStop(inspection: PfxInspection): InstallStop | null {
  const c = inspection.certificate;
  // A key-only file reads fine (a NO_CERTIFICATE warning) but there is nothing to install.
  if (!c) return 'noCertificate';
  if (c.status === 'expired') return 'expired';
  if (c.status === 'not-yet-valid') return 'notYetValid';
  if (!inspection.privateKey.present) return 'noKey';
  // A key of an algorithm CertDesk cannot use was never compared: not a mismatch.
  if (inspection.key?.supported === false) return 'unsupportedAlgorithm';
  if (!inspection.privateKey.matchesCertificate) return 'keyMismatch';
  return null;
}

/** Narrows an inspection that passed `installStop`: it has a certificate. */
export type InstallableInspection = PfxInspection & { certificate: CertificateSummary };
