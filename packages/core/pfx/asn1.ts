/**
 * Thin, typed access to node-forge's ASN.1 parser. Forge gives a loose tree of
 * `{ tagClass, type, constructed, value }` nodes with binary-string values; these helpers turn the
 * shapes PKCS#12 and X.509 use into Buffers, numbers and OIDs, and throw `Asn1ShapeError` (never a
 * TypeError) when a structure is not what the standard says, so callers can map it to CORRUPT.
 */
import forge from 'node-forge';
import { LIMITS, WorkBudget, type Asn1Watch } from './budget';

export type Node = forge.asn1.Asn1;

const { Class, Type } = forge.asn1;

export class Asn1ShapeError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'Asn1ShapeError';
  }
}

function shape(what: string): Asn1ShapeError {
  return new Asn1ShapeError(`estrutura inesperada em ${what}`);
}

// @types/node-forge only knows the old boolean `strict` argument; the options object is real.
type FromDer = (bytes: forge.util.ByteStringBuffer, options: object) => Node;

/** Forge's own depth guard stays as a second line behind the budget's count (budget.ts). */
const FORGE_OPTIONS = { strict: false, decodeBitStrings: false, maxDepth: LIMITS.depth };

/**
 * Parse one element, after the budget admitted what the parser would build (budget.ts): the
 * inspection's budget, or the default limits for bytes from elsewhere. `strict: false` because
 * BER from Windows / NSS (v29, v30) uses indefinite lengths.
 */
export function parseDer(bytes: Buffer, parseAllBytes = true, budget: WorkBudget = new WorkBudget(), watch?: Asn1Watch): Node {
  budget.admitAsn1(bytes, watch);
  return (forge.asn1.fromDer as unknown as FromDer)(forge.util.createBuffer(bytes.toString('binary')), { ...FORGE_OPTIONS, parseAllBytes });
}

/**
 * Parse the first complete element of `bytes` and say how many bytes follow it: .NET and some
 * Windows tools pad a PFX with zeros after the structure, which every other reader ignores.
 */
export function parseDerPrefix(bytes: Buffer, budget: WorkBudget = new WorkBudget()): { node: Node; trailing: number } {
  budget.admitAsn1(bytes);
  const buffer = forge.util.createBuffer(bytes.toString('binary'));
  const node = (forge.asn1.fromDer as unknown as FromDer)(buffer, { ...FORGE_OPTIONS, parseAllBytes: false });
  return { node, trailing: buffer.length() };
}

export function children(node: Node | undefined, what: string): Node[] {
  if (!node || !Array.isArray(node.value)) throw shape(what);
  return node.value as Node[];
}

export function child(node: Node | undefined, index: number, what: string): Node {
  const found = children(node, what)[index];
  if (!found) throw shape(what);
  return found;
}

export function isUniversal(node: Node | undefined, type: number): boolean {
  return !!node && node.tagClass === Class.UNIVERSAL && node.type === type;
}

export function isContext(node: Node | undefined, tag: number): boolean {
  return !!node && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag;
}

/** The content bytes of an OID's DER encoding, to recognise it in bytes not parsed yet. */
export function oidContent(dotted: string): Buffer {
  return Buffer.from(forge.asn1.oidToDer(dotted).getBytes(), 'binary');
}

export function oid(node: Node | undefined, what: string): string {
  if (!isUniversal(node, Type.OID) || typeof node!.value !== 'string') throw shape(what);
  return forge.asn1.derToOid(node!.value);
}

/** The bytes of a primitive value, or the concatenation of a BER constructed string's chunks. */
export function bytesOf(node: Node | undefined, what: string): Buffer {
  if (!node) throw shape(what);
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(children(node, what).map((part) => bytesOf(part, what)));
}

export function octets(node: Node | undefined, what: string): Buffer {
  if (!isUniversal(node, Type.OCTETSTRING)) throw shape(what);
  return bytesOf(node, what);
}

export function integer(node: Node | undefined, what: string): number {
  if (!isUniversal(node, Type.INTEGER) || typeof node!.value !== 'string') throw shape(what);
  const raw = Buffer.from(node!.value, 'binary');
  if (raw.length > 6) throw new Asn1ShapeError(`${what}: valor grande demais`);
  return raw.length === 0 ? 0 : raw.readIntBE(0, raw.length);
}

/** Text of a string type (UTF8, Printable, IA5, BMP, T61, OCTET STRING holding text). */
export function text(node: Node | undefined): string {
  if (!node) return '';
  if (node.type === Type.BMPSTRING && typeof node.value === 'string') return node.value; // forge decodes BMP
  const raw = bytesOf(node, 'texto');
  if (node.type === Type.UTF8) return raw.toString('utf8');
  // PrintableString / IA5 are ASCII; OCTET STRING and T61 values in the wild are UTF-8 or Latin-1.
  const asUtf8 = raw.toString('utf8');
  return asUtf8.includes('\uFFFD') ? raw.toString('latin1') : asUtf8;
}

/** Re-encode a node to DER (used to hash / hand over sub-structures such as certificates). */
export function toDer(node: Node): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

export function dateOf(node: Node | undefined, what: string): Date {
  if (!node || typeof node.value !== 'string') throw shape(what);
  if (node.type === Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value);
  if (node.type === Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value);
  throw shape(what);
}

export { Class, Type };
