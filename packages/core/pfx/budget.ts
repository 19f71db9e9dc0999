/**
 * The work one PKCS#12 file may cost, decided before the work is done (docs/PRODUCT.md, "Files
 * that must be read, and bad input"; figures in docs/DECISIONS.md). Files come from anywhere — a
 * folder, an e-mail, another tenant's upload — and a 228-byte file could ask for hours of PBKDF2.
 *
 * Every key derivation is priced before it runs (iterations × output blocks × the hash's weight)
 * and refused if it would pass the limit for one derivation or for the file; the ASN.1 the parser
 * would build, and the SafeContents, bags, keys and certificates, are counted from the bytes before
 * they are parsed. A file over any limit is refused at once with TOO_COMPLEX and a message naming
 * the limit.
 * The limits keep every native call under about half a second on the reference machine, so a
 * worker's time limit can always end it.
 */
import { CertdeskError } from '../errors';
import { countAsn1, type Asn1Counts, type FirstFieldVisitor } from './asn1-scan';

export const LIMITS = {
  /** Iterations of one derivation: real files use ≤ 600,000 (OWASP's PBKDF2-SHA256 advice). */
  iterations: 1_000_000,
  /** Cost of one derivation, in PBKDF2-HMAC-SHA256 iterations (≈ 0.5 s here, one native call). */
  derivationCost: 2_000_000,
  /** Cost of every derivation for one file: six at the iteration cap (MAC and two parts, tried by several password forms). */
  fileCost: 6_000_000,
  /** Elements node-forge may build for one file, all parses together (~2 µs each). */
  asn1Elements: 400_000,
  /** Pieces of BER constructed strings: 10 MB in 100-byte chunks. */
  berChunks: 100_000,
  /** ASN.1 nesting: PKCS#12 needs about 12 levels, a certificate's extensions a few more. */
  depth: 64,
  /** ContentInfos and SafeContents, nested ones included (writers use 1 to 3). */
  safeContents: 256,
  /** SafeContents inside SafeContents (safeContentsBag), levels. */
  nesting: 4,
  /** SafeBags of any type. */
  bags: 2_000,
  /** Certificates: a trust store converted to PKCS#12 holds ~150. */
  certificates: 1_000,
  /** Private keys: each one is a derivation and an import. */
  keys: 100,
} as const;

export type LimitName = keyof typeof LIMITS | 'keyLength' | 'keySize';

const formatter = new Intl.NumberFormat('pt-BR');
export const count = (n: number): string => formatter.format(n);

/**
 * A file past one of the limits: the message names the limit and both figures, which the details
 * carry for programs (inspect.ts adds `derived`: the derivation work done before the refusal).
 */
export function tooComplex(limit: LimitName, message: string, found: number, maximum: number): CertdeskError {
  return new CertdeskError('TOO_COMPLEX', message, { limit, found: String(found), maximum: String(maximum) });
}

export type KdfKind = 'pbkdf2' | 'pkcs12' | 'pbkdf1';

/** One key derivation as a file asks for it, before it runs. */
export interface Derivation {
  kdf: KdfKind;
  hash: string;
  iterations: number;
  /** Bytes asked of it (each output block of the hash costs all the iterations again). */
  bytes: number;
}

const OUTPUT_SIZE: Record<string, number> = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/**
 * Cost of one iteration per output block, in PBKDF2-HMAC-SHA256 iterations, measured on the
 * reference machine (docs/DECISIONS.md): PBKDF2 is native OpenSSL, where SHA-384/512 cost about
 * twice SHA-256; the PKCS#12 KDF and PBKDF1 hash a digest per round, in WebAssembly for SHA-1 and
 * SHA-256 (iterated-hash.ts) and through one node:crypto call per round otherwise (~2.2 µs, ×10).
 */
function weight(kdf: KdfKind, hash: string): number {
  if (kdf === 'pbkdf2') return hash === 'sha384' || hash === 'sha512' ? 2 : 1;
  return hash === 'sha1' || hash === 'sha256' ? 1 : 10;
}

export function costOf(d: Derivation): number {
  const blocks = d.kdf === 'pbkdf1' ? 1 : Math.ceil(d.bytes / (OUTPUT_SIZE[d.hash] ?? 20));
  return d.iterations * blocks * weight(d.kdf, d.hash);
}

/** What a caller wants to judge of the bytes before they are parsed (budget.admitAsn1). */
export interface Asn1Watch {
  firstField?: FirstFieldVisitor;
  children?: (count: number) => void;
}

/** What one inspection may still spend: created per file, passed to every step that works on it. */
export class WorkBudget {
  /** Derivation cost already spent (or committed to the derivation running now). */
  spent = 0;
  private elements = 0;
  private chunks = 0;

  constructor(readonly limits: typeof LIMITS = LIMITS) {}

  /**
   * Refuse now if the derivations the file shows before anything is decrypted (its MAC, its
   * encrypted parts, the keys in its plain parts) cannot all be afforded. Nothing is spent.
   */
  plan(derivations: Derivation[]): void {
    for (const d of derivations) this.checkOne(d);
    const planned = derivations.reduce((sum, d) => sum + costOf(d), 0);
    if (this.spent + planned > this.limits.fileCost) {
      throw tooComplex(
        'fileCost',
        `O arquivo exige derivações de chave que somam o equivalente a ${count(this.spent + planned)} iterações de PBKDF2-SHA256; o máximo por arquivo é ${count(this.limits.fileCost)}.`,
        this.spent + planned,
        this.limits.fileCost,
      );
    }
  }

  /** Charge one derivation just before it runs; refused (nothing run) when it does not fit. */
  derive(d: Derivation): void {
    this.checkOne(d);
    this.plan([d]);
    this.spent += costOf(d);
  }

  private checkOne(d: Derivation): void {
    if (d.iterations > this.limits.iterations) {
      throw tooComplex(
        'iterations',
        `O arquivo pede ${count(d.iterations)} iterações numa derivação de chave; o máximo é ${count(this.limits.iterations)}.`,
        d.iterations,
        this.limits.iterations,
      );
    }
    const cost = costOf(d);
    if (cost > this.limits.derivationCost) {
      throw tooComplex(
        'derivationCost',
        `Uma derivação de chave do arquivo (${d.kdf.toUpperCase()}-${d.hash.toUpperCase()}, ${count(d.iterations)} iterações, ${count(d.bytes)} bytes) custa o equivalente a ${count(cost)} iterações de PBKDF2-SHA256; o máximo é ${count(this.limits.derivationCost)}.`,
        cost,
        this.limits.derivationCost,
      );
    }
  }

  /**
   * Count what parsing `bytes` would build, and refuse before the parser builds it. `watch`
   * judges the first element's children first (the parts of an AuthenticatedSafe, the bags of a
   * SafeContents and their types), so that a refusal names them rather than the elements they are
   * made of.
   */
  admitAsn1(bytes: Uint8Array, watch?: Asn1Watch): Asn1Counts {
    const { asn1Elements, berChunks, depth } = this.limits;
    const counts = countAsn1(bytes, { elements: asn1Elements - this.elements, chunks: berChunks - this.chunks, depth }, watch?.firstField);
    watch?.children?.(counts.children);
    if (counts.depth > depth) {
      throw tooComplex(
        'depth',
        `O arquivo tem estruturas aninhadas em mais de ${count(depth)} níveis; o máximo é ${count(depth)}.`,
        counts.depth,
        depth,
      );
    }
    this.chunks += counts.chunks;
    if (this.chunks > berChunks) {
      throw tooComplex(
        'berChunks',
        `O arquivo tem mais de ${count(berChunks)} pedaços de dados em BER (comprimento indefinido); o máximo é ${count(berChunks)}.`,
        this.chunks,
        berChunks,
      );
    }
    this.elements += counts.elements;
    if (this.elements > asn1Elements) {
      throw tooComplex(
        'asn1Elements',
        `O arquivo tem mais de ${count(asn1Elements)} elementos ASN.1; o máximo é ${count(asn1Elements)}.`,
        this.elements,
        asn1Elements,
      );
    }
    return counts;
  }
}

/** Counts of what one reading of the contents met (each password tried reads them again). */
export class ContentTally {
  safeContents = 0;
  bags = 0;
  certificates = 0;
  keys = 0;

  constructor(private readonly limits: typeof LIMITS = LIMITS) {}

  addSafeContents(n: number): void {
    this.safeContents += n;
    this.check('safeContents', this.safeContents, 'blocos de conteúdo (SafeContents)');
  }

  addBags(n: number): void {
    this.bags += n;
    this.check('bags', this.bags, 'itens (SafeBags)');
  }

  addCertificates(n: number): void {
    this.certificates += n;
    this.check('certificates', this.certificates, 'certificados');
  }

  addKeys(n: number): void {
    this.keys += n;
    this.check('keys', this.keys, 'chaves privadas');
  }

  private check(limit: 'safeContents' | 'bags' | 'certificates' | 'keys', found: number, what: string): void {
    const maximum = this.limits[limit];
    if (found > maximum) throw tooComplex(limit, `O arquivo tem ${count(found)} ${what}; o máximo é ${count(maximum)}.`, found, maximum);
  }
}
