/**
 * From decrypted bags to the inspection report: pair keys with certificates, pick the leaf, order
 * the chain, judge the protection.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { PfxInspection, ProtectionWarning } from '#shared/contract';
import { CertdeskError } from '../errors';
import { parseCertificate, summarize, type ParsedCertificate } from './certificate';
import { buildChain } from './chain';
import type { Pkcs12Contents } from './pkcs12';

/** Iteration counts under this are reported as weak protection. */
export const WEAK_ITERATIONS = 1000;

function spki(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The certificate that issued nothing else in the file (preferring non-CA ones). */
function endEntity(certs: ParsedCertificate[]): ParsedCertificate {
  const issuesNothing = (c: ParsedCertificate) => !certs.some((o) => o !== c && o.x509.checkIssued(c.x509));
  return certs.find((c) => !c.isCa && issuesNothing(c)) ?? certs.find(issuesNothing) ?? certs[0]!;
}

export function buildReport(file: string, contents: Pkcs12Contents, now: Date): PfxInspection {
  // Java and Windows exports may repeat chain certificates once per key entry.
  const unique = new Map(contents.certificates.map((entry) => [entry.der.toString('base64'), entry.der]));
  const certs = [...unique.values()].map((der) => parseCertificate(der));
  if (certs.length === 0) throw new CertdeskError('CORRUPT', 'O arquivo não contém nenhum certificado.');
  const keys = contents.keys.map((entry) => {
    try {
      return createPrivateKey({ key: entry.pkcs8, format: 'der', type: 'pkcs8' });
    } catch {
      throw new CertdeskError('CORRUPT', 'A chave privada do arquivo está danificada ou em formato desconhecido.');
    }
  });

  // Pair each key with the certificate holding its public key.
  const certKeys = certs.map((cert) => spki(cert.x509.publicKey));
  const withKey: ParsedCertificate[] = [];
  let unmatchedKeys = 0;
  for (const key of keys) {
    const index = certKeys.indexOf(spki(createPublicKey(key)));
    if (index >= 0 && !withKey.includes(certs[index]!)) withKey.push(certs[index]!);
    else if (index < 0) unmatchedKeys++;
  }
  const leaf = withKey[0] ?? endEntity(certs);
  const chain = buildChain(leaf, certs);

  return {
    file,
    certificate: summarize(leaf, now),
    otherCertificates: withKey.filter((c) => c !== leaf).map((c) => summarize(c, now)),
    privateKey: { present: keys.length > 0, matchesCertificate: keys.length === 0 ? null : withKey.includes(leaf) },
    chain: chain.links,
    icpBrasilRoot: chain.icpBrasilRoot,
    protection: {
      mac: contents.mac?.algorithm ?? null,
      macIterations: contents.mac?.iterations ?? null,
      encryption: contents.encryption.map(({ target, algorithm, kdf, iterations }) => ({ target, algorithm, kdf, iterations })),
      warnings: warningsFor(contents, keys.length, unmatchedKeys > 0 && !withKey.includes(leaf)),
    },
  };
}

function warningsFor(contents: Pkcs12Contents, keyCount: number, keyMismatch: boolean): ProtectionWarning[] {
  const warnings: ProtectionWarning[] = [];
  if (!contents.mac) {
    warnings.push({ code: 'NO_MAC', message: 'O arquivo não tem MAC: a integridade do conteúdo não é verificada.' });
  }
  if (contents.encryption.some((e) => e.weak)) {
    warnings.push({ code: 'WEAK_CIPHER', message: 'Cifra fraca de 40 bits (RC2-40/RC4-40) protege parte do arquivo.' });
  }
  const iterations = [...contents.encryption.map((e) => e.iterations ?? Infinity), contents.mac?.iterations ?? Infinity];
  const lowest = Math.min(...iterations);
  if (lowest < WEAK_ITERATIONS) {
    warnings.push({
      code: 'LOW_ITERATIONS',
      message: `Contagem de iterações baixa (${lowest}): a senha fica fácil de descobrir por força bruta.`,
    });
  }
  if (keyCount > 0 && !contents.encryption.some((e) => e.target === 'privateKey')) {
    warnings.push({ code: 'NOT_ENCRYPTED', message: 'A chave privada está gravada sem cifragem dentro do arquivo.' });
  }
  if (keyCount === 0) warnings.push({ code: 'NO_PRIVATE_KEY', message: 'O arquivo não contém chave privada.' });
  if (keyMismatch) {
    warnings.push({ code: 'KEY_MISMATCH', message: 'A chave privada não corresponde ao certificado: não instale este arquivo.' });
  }
  return warnings;
}
