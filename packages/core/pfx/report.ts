/**
 * From decrypted bags to the inspection report: pair keys with certificates, pick the leaf, order
 * the chain, judge the protection.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { PfxInspection, ProtectionWarning } from '@certdesk/shared/contract';
import { keyText, type PrivateKeySummary } from '@certdesk/shared/pfx';
import { CertdeskError } from '../errors';
import { parseCertificate, summarize, type ParsedCertificate } from './certificate';
import { buildChain } from './chain';
import type { WorkBudget } from './budget';
import { IssuerIndex } from './issuer-index';
import { importPrivateKey, type ImportedPrivateKey, type KeyDescription } from './key-details';
import type { KeyEntry, Pkcs12Contents } from './pkcs12';

/** Iteration counts under this are reported as weak protection. */
export const WEAK_ITERATIONS = 1000;

function spki(key: KeyObject): string {
  // A comparison key for public keys. JWK where node:crypto has it (RSA, NIST EC, Ed/X25519…):
  // built from the key's numbers in ~5 µs, where OpenSSL 3's DER encoder takes ~0.4 ms a call.
  try {
    return JSON.stringify(key.export({ format: 'jwk' }));
  } catch {
    return key.export({ type: 'spki', format: 'der' }).toString('base64');
  }
}

/** The certificate's public key, normalised by node:crypto when it can read it, as written otherwise. */
function certificateSpki(cert: ParsedCertificate): string {
  try {
    return spki(cert.x509.publicKey);
  } catch {
    return cert.spki.toString('base64');
  }
}

/** The certificate that issued nothing else in the file (preferring non-CA ones). */
function endEntity(certs: ParsedCertificate[], index: IssuerIndex): ParsedCertificate {
  const issuesNothing = (c: ParsedCertificate) => !index.issuedAny(c);
  return certs.find((c) => !c.isCa && issuesNothing(c)) ?? certs.find(issuesNothing) ?? certs[0]!;
}

type Key = ImportedPrivateKey & { entry: KeyEntry };

function importKeys(entries: KeyEntry[], budget: WorkBudget): Key[] {
  return entries.map((entry) => {
    try {
      return { entry, ...importPrivateKey(entry.pkcs8, budget) };
    } catch (error) {
      if (error instanceof CertdeskError) throw error; // a key past the size limits (TOO_COMPLEX)
      throw new CertdeskError('CORRUPT', 'A chave privada do arquivo está danificada ou em formato desconhecido.');
    }
  });
}

export function buildReport(
  file: string,
  contents: Pkcs12Contents,
  now: Date,
  budget: WorkBudget,
  onCertificates?: (leaf: Buffer, others: Buffer[]) => void,
): PfxInspection {
  // Java and Windows exports may repeat chain certificates once per key entry.
  const unique = new Map(contents.certificates.map((entry) => [entry.der.toString('base64'), entry]));
  const entries = [...unique.values()];
  const certs = entries.map((entry) => parseCertificate(entry.der, budget));
  if (certs.length === 0 && contents.keys.length === 0) {
    throw new CertdeskError('CORRUPT', 'O arquivo não contém nenhum certificado nem chave privada.');
  }
  const keys = importKeys(contents.keys, budget);
  if (certs.length === 0) return keyOnlyReport(file, contents, keys);

  // Pair each key with the certificate holding its public key; a key node:crypto cannot use
  // (ML-DSA, GOST…) can only be paired by the localKeyId attribute its writer gave both bags.
  const certKeys = certs.map(certificateSpki);
  const withKey: ParsedCertificate[] = [];
  const checked = new Set<ParsedCertificate>(); // paired by the public key itself, not by a label
  let unmatchedKeys = 0;
  // Each key's public half, compared once per key (not once per use).
  const keySpki = new Map(keys.map((k) => [k, k.key ? spki(createPublicKey(k.key)) : null]));
  for (const key of keys) {
    const index = key.key
      ? certKeys.indexOf(keySpki.get(key)!)
      : entries.findIndex((c) => c.localKeyId !== null && c.localKeyId === key.entry.localKeyId);
    if (index >= 0 && key.key) checked.add(certs[index]!);
    if (index >= 0 && !withKey.includes(certs[index]!)) withKey.push(certs[index]!);
    else if (index < 0 && key.key) unmatchedKeys++;
  }
  // Finding the leaf through the issuer indexes keeps a file of thousands of certificates linear.
  const leaf = withKey[0] ?? endEntity(certs, new IssuerIndex(certs));
  const chain = buildChain(leaf, certs, now);
  onCertificates?.(
    leaf.der,
    certs.filter((c) => c !== leaf).map((c) => c.der),
  );
  const leafKey = keys.find((k) => k.key && certKeys[certs.indexOf(leaf)] === keySpki.get(k));
  const mainKey = leafKey ?? keys[0];
  // true: a key's public half is the leaf's; false: a usable key and a usable leaf that differ;
  // null: no key, or only keys/certificates of algorithms node:crypto cannot compare.
  const comparable = leaf.key.supported && keys.some((k) => k.key);
  const matchesCertificate = keys.length === 0 ? null : checked.has(leaf) ? true : comparable && !withKey.includes(leaf) ? false : null;

  return {
    file,
    certificate: summarize(leaf, now),
    otherCertificates: withKey.filter((c) => c !== leaf).map((c) => summarize(c, now)),
    extraCertificates: certs.filter((c) => c !== leaf && !withKey.includes(c)).map((c) => summarize(c, now)),
    privateKey: {
      present: keys.length > 0,
      matchesCertificate,
    },
    key: mainKey ? keySummary(mainKey.description) : null,
    chain: chain.links,
    icpBrasilRoot: chain.icpBrasilRoot,
    protection: {
      ...protectionOf(contents),
      warnings: [...contentWarnings(keys, leaf), ...warningsFor(contents, keys.length, matchesCertificate === false && unmatchedKeys > 0)],
    },
  };
}

function protectionOf(contents: Pkcs12Contents): Omit<PfxInspection['protection'], 'warnings'> {
  return {
    mac: contents.mac?.algorithm ?? null,
    macIterations: contents.mac?.iterations ?? null,
    encryption: contents.encryption.map(({ target, algorithm, kdf, iterations }) => ({ target, algorithm, kdf, iterations })),
  };
}

function keySummary(description: KeyDescription): PrivateKeySummary {
  const { algorithm, size, curve, supported } = description;
  return { algorithm, size, curve, supported };
}

/**
 * A well-formed file with keys and no certificate (`openssl pkcs12 -export -nocerts`, key backups):
 * not damaged, so it is read like any other file. There is no certificate to show or install; the
 * report describes the key and warns NO_CERTIFICATE ("sem certificado").
 */
function keyOnlyReport(file: string, contents: Pkcs12Contents, keys: Key[]): PfxInspection {
  const what = keys.map((k) => keyText(k.description.algorithm, k.description.size)).join(', ');
  const noCertificate: ProtectionWarning = {
    code: 'NO_CERTIFICATE',
    message: `O arquivo está sem certificado: contém só ${keys.length === 1 ? 'a chave privada' : `${keys.length} chaves privadas`} (${what}). Peça o arquivo com o certificado.`,
  };
  return {
    file,
    certificate: null,
    otherCertificates: [],
    extraCertificates: [],
    privateKey: { present: true, matchesCertificate: null },
    key: keySummary(keys[0]!.description),
    chain: [],
    icpBrasilRoot: null,
    protection: {
      ...protectionOf(contents),
      warnings: [noCertificate, ...contentWarnings(keys, null), ...warningsFor(contents, keys.length, false)],
    },
  };
}

/** Keys (or the certificate's key) of an algorithm node:crypto cannot use: read, named, not checked. */
function contentWarnings(keys: Key[], leaf: ParsedCertificate | null): ProtectionWarning[] {
  const warnings: ProtectionWarning[] = [];
  const unsupported = new Set([
    ...keys.filter((k) => !k.key).map((k) => k.description.algorithm),
    ...(leaf && !leaf.key.supported ? [leaf.key.algorithm] : []),
  ]);
  if (unsupported.size > 0) {
    warnings.push({
      code: 'UNSUPPORTED_ALGORITHM',
      message: `Algoritmo de chave sem suporte: ${[...unsupported].join(', ')}. O conteúdo foi lido, mas a chave não pode ser conferida nem usada.`,
    });
  }
  return warnings;
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
