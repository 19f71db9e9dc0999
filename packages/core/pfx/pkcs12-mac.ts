/**
 * The PFX's integrity check (RFC 7292 §5): HMAC over the AuthenticatedSafe with a key from the
 * PKCS#12 KDF, or PBMAC1 (RFC 9579, pbmac1.ts) — priced before any candidate password is tried.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { child, children, integer, octets, oid, type Node } from './asn1';
import type { Derivation, WorkBudget } from './budget';
import { UnsupportedAlgorithmError } from './ciphers';
import { pkcs12Kdf } from './kdf';
import type { PasswordForm } from './password-forms';
import { describePbmac1, PBMAC1_OID, pbmac1Derivation, pbmac1Matches, readPbmac1Params } from './pbmac1';
import type { ParsedPfx } from './pkcs12-parsed';

const MAC_HASH: Record<string, { node: string; label: string; size: number }> = {
  '1.3.14.3.2.26': { node: 'sha1', label: 'SHA-1', size: 20 },
  '2.16.840.1.101.3.4.2.4': { node: 'sha224', label: 'SHA-224', size: 28 },
  '2.16.840.1.101.3.4.2.1': { node: 'sha256', label: 'SHA-256', size: 32 },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', label: 'SHA-384', size: 48 },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', label: 'SHA-512', size: 64 },
  '1.2.840.113549.2.5': { node: 'md5', label: 'MD5', size: 16 },
};

/** The MAC did not verify: a wrong password or a damaged file (a MAC cannot tell which). */
export class MacMismatchError extends Error {
  constructor() {
    super('MAC não confere');
    this.name = 'MacMismatchError';
  }
}

/** The password bytes the file's MAC depends on: PBKDF2 octets for PBMAC1, else the BMPString. */
export function macInputOf(parsed: ParsedPfx, password: PasswordForm): Buffer {
  if (!parsed.macData) return Buffer.alloc(0);
  try {
    const algorithm = child(child(parsed.macData, 0, 'macData'), 0, 'digestInfo');
    return oid(child(algorithm, 0, 'digestInfo'), 'algoritmo do MAC') === PBMAC1_OID ? password.octets : password.bmp;
  } catch {
    return password.bmp; // verifyMac reports the damage
  }
}

interface MacParams {
  kind: 'pkcs12' | 'pbmac1';
  algorithm: Node;
  digestInfo: Node;
}

function macParams(macData: Node): MacParams {
  const digestInfo = child(macData, 0, 'macData');
  const algorithm = child(digestInfo, 0, 'digestInfo');
  const kind = oid(child(algorithm, 0, 'digestInfo'), 'algoritmo do MAC') === PBMAC1_OID ? 'pbmac1' : 'pkcs12';
  return { kind, algorithm, digestInfo };
}

/** The PKCS#12 KDF's parameters for a classic MAC (RFC 7292 §5): hash, salt, iterations. */
function classicMac(macData: Node, algorithm: Node): { hash: (typeof MAC_HASH)[string]; salt: Buffer; iterations: number } {
  const algOid = oid(child(algorithm, 0, 'digestInfo'), 'algoritmo do MAC');
  const hash = MAC_HASH[algOid];
  if (!hash) throw new UnsupportedAlgorithmError(`MAC ${algOid}`);
  const salt = octets(child(macData, 1, 'macData'), 'salt do MAC');
  const iterNode = children(macData, 'macData')[2];
  const iterations = iterNode ? integer(iterNode, 'iterações do MAC') : 1;
  if (iterations < 1) throw new UnsupportedAlgorithmError(`${iterations} iterações`); // above the cap: the budget's
  return { hash, salt, iterations };
}

/** The derivation one MAC check costs (none without a MAC). */
export function macDerivations(parsed: ParsedPfx): Derivation[] {
  if (!parsed.macData) return [];
  const { kind, algorithm } = macParams(parsed.macData);
  if (kind === 'pbmac1') return [pbmac1Derivation(readPbmac1Params(children(algorithm, 'PBMAC1')[1]))];
  const { hash, iterations } = classicMac(parsed.macData, algorithm);
  return [{ kdf: 'pkcs12', hash: hash.node, iterations, bytes: hash.size }];
}

/** Verify the MAC with one form of a candidate password; returns the algorithm for the report. */
export function verifyMac(parsed: ParsedPfx, password: PasswordForm, budget: WorkBudget): { algorithm: string; iterations: number } | null {
  if (!parsed.macData) return null;
  const { kind, algorithm, digestInfo } = macParams(parsed.macData);
  if (kind === 'pbmac1') {
    const params = readPbmac1Params(children(algorithm, 'PBMAC1')[1]);
    if (!pbmac1Matches(params, octets(child(digestInfo, 1, 'digestInfo'), 'MAC'), parsed.authSafe, password, budget))
      throw new MacMismatchError();
    return { algorithm: describePbmac1(params), iterations: params.iterations };
  }
  const { hash, salt, iterations } = classicMac(parsed.macData, algorithm);
  const expected = octets(child(digestInfo, 1, 'digestInfo'), 'MAC');
  const key = pkcs12Kdf(hash.node, password.bmp, salt, iterations, 3, hash.size, budget);
  const actual = createHmac(hash.node, key).update(parsed.authSafe).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new MacMismatchError();
  return { algorithm: hash.label, iterations };
}
