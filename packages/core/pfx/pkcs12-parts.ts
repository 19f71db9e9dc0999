/**
 * The parts of a PKCS#12 file as the budget sees them (budget.ts): the AuthenticatedSafe's parts
 * and the plain parts' bags, counted from their bytes before they are parsed and parsed once per
 * file; and the price of what a file shows before anything is decrypted.
 */
import { CertdeskError } from '../errors';
import { child, children, octets, oid, oidContent, parseDer, type Node } from './asn1';
import type { ParsedPfx } from './pkcs12-parsed';
import { ContentTally, type Asn1Watch, type Derivation, type WorkBudget } from './budget';
import { derivationsOf } from './ciphers';
import { macDerivations } from './pkcs12-mac';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  envelopedData: '1.2.840.113549.1.7.3',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;

/**
 * Price what the file shows before anything is decrypted — its MAC, its encrypted parts, the keys
 * in its plain parts — and refuse it now if one password's reading cannot be afforded (40 keys at
 * 1,000,000 iterations are refused before the first derivation). Damage found here is left for the
 * reading itself to report, in its own order.
 */
export function planVisibleWork(parsed: ParsedPfx, budget: WorkBudget): void {
  let derivations: Derivation[] = [];
  try {
    derivations = macDerivations(parsed);
  } catch (error) {
    if (error instanceof CertdeskError) throw error;
  }
  const tally = new ContentTally(budget.limits);
  let infos: Node[] = [];
  try {
    infos = partsOf(parsed, budget, tally);
  } catch (error) {
    if (error instanceof CertdeskError) throw error;
  }
  for (const info of infos) {
    try {
      const type = oid(child(info, 0, 'ContentInfo'), 'ContentInfo');
      const content = child(info, 1, 'ContentInfo');
      if (type === OID.encryptedData) {
        derivations.push(...derivationsOf(child(child(child(content, 0, 'EncryptedData'), 1, 'EncryptedData'), 1, 'EncryptedContentInfo')));
      } else if (type === OID.data) {
        derivations.push(...shroudedKeyDerivations(plainBagsOf(parsed, info, octets(child(content, 0, 'data'), 'data'), budget, tally)));
      }
    } catch (error) {
      if (error instanceof CertdeskError) throw error;
    }
  }
  budget.plan(derivations);
}

/** What decrypting the shrouded keys among `bags` costs; bags that do not read cost nothing here. */
export function shroudedKeyDerivations(bags: Node[]): Derivation[] {
  const derivations: Derivation[] = [];
  for (const bag of bags) {
    try {
      if (oid(child(bag, 0, 'SafeBag'), 'SafeBag') !== OID.shroudedKeyBag) continue;
      derivations.push(...derivationsOf(child(child(child(bag, 1, 'SafeBag'), 0, 'SafeBag'), 0, 'EncryptedPrivateKeyInfo')));
    } catch (error) {
      if (error instanceof CertdeskError) throw error;
    }
  }
  return derivations;
}

/**
 * The parts of the AuthenticatedSafe, parsed once. They count as SafeContents before they are
 * parsed: 300,000 empty ones are refused at once (and again in each reading's own tally).
 */
export function partsOf(parsed: ParsedPfx, budget: WorkBudget, tally: ContentTally): Node[] {
  if (parsed.parts) tally.addSafeContents(parsed.parts.length);
  else parsed.parts = children(parseDer(parsed.authSafe, true, budget, { children: (n) => tally.addSafeContents(n) }), 'AuthenticatedSafe');
  return parsed.parts;
}

const CERT_BAG = oidContent(OID.certBag);
const KEY_BAGS = [oidContent(OID.keyBag), oidContent(OID.shroudedKeyBag)];
const OID_TAG = 0x06;

/**
 * A SafeContents' bags are counted, by type, from their bytes before any is parsed: 10,000
 * certificates are refused as such, without building a node for each.
 */
export function safeContentsWatch(tally: ContentTally, counted = { certificates: 0, keys: 0 }): Asn1Watch {
  return {
    firstField: (tag, content) => {
      if (tag !== OID_TAG) return;
      if (CERT_BAG.equals(content)) counted.certificates++;
      else if (KEY_BAGS.some((id) => id.equals(content))) counted.keys++;
    },
    children: (bags) => {
      tally.addCertificates(counted.certificates);
      tally.addKeys(counted.keys);
      tally.addBags(bags);
    },
  };
}

/** A plain part's bags, parsed once per file (planning and each reading share them), counted into `tally` each time. */
export function plainBagsOf(parsed: ParsedPfx, info: Node, der: Buffer, budget: WorkBudget, tally: ContentTally): Node[] {
  parsed.plain ??= new Map();
  const known = parsed.plain.get(info);
  if (known) {
    tally.addCertificates(known.certificates);
    tally.addKeys(known.keys);
    tally.addBags(known.bags.length);
    return known.bags;
  }
  const counted = { certificates: 0, keys: 0 };
  const bags = children(parseDer(der, true, budget, safeContentsWatch(tally, counted)), 'SafeContents');
  parsed.plain.set(info, { bags, ...counted });
  return bags;
}
