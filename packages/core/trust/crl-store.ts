/**
 * CRLs by address: parsed ones kept in memory (a few, bounded by count and bytes), raw ones on disk
 * in the private cache, the network when allowed. A CRL is used only once its signature verified
 * with the issuer's key — also when it comes back from the disk, where it is checked again.
 */
import { acceptCrl, type CrlIndex } from './crl-index';
import { fetchBytes, type FetchBudget } from './http-get';
import type { PoolCertificate } from './certificate-pool';
import type { PrivateCache } from './private-cache';

/** CRLs reach several MB; 32 MB is far above any ICP-Brasil one and still bounded. */
export const CRL_BUDGET: FetchBudget = { maxBytes: 32 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 3 };
const MEMORY_ENTRIES = 8;
const MEMORY_BYTES = 64 * 1024 * 1024;

/**
 * Reads and accepts a CRL's bytes for `issuer` (acceptCrl's rule) or rejects with CrlError. The
 * default runs on the caller's thread; CertDesk Cloud passes one that runs it in a worker.
 */
export type CrlReader = (bytes: Buffer, issuer: PoolCertificate) => Promise<CrlIndex>;

export const readCrlHere: CrlReader = async (bytes, issuer) =>
  acceptCrl(bytes, { subjectKey: issuer.subjectKey, publicKey: issuer.x509.publicKey });

export interface ObtainedCrl {
  crl: CrlIndex;
  url: string;
  /** Answered from memory or disk, not downloaded now. */
  fromCache: boolean;
  /** When this copy was downloaded (the machine's clock; on disk, the file's time). */
  obtainedAt: Date;
}

export class CrlStore {
  private readonly memory = new Map<string, { crl: CrlIndex; issuer: string; obtainedAt: Date }>();
  /** Addresses with nothing on disk, remembered for this store's life: a scan of 1,000 files asks once. */
  private readonly absent = new Set<string>();
  /**
   * Reads and downloads in progress, by issuer and address: a scan checks hundreds of certificates
   * of one AC at once, and they must share one read (or one download) of its CRL, not start one each.
   */
  private readonly inflight = new Map<string, Promise<ObtainedCrl | null>>();

  private shared<T extends ObtainedCrl | null>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const started = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }

  constructor(
    private readonly cache: PrivateCache | null,
    private readonly budget: FetchBudget = CRL_BUDGET,
    private readonly read: CrlReader = readCrlHere,
  ) {}

  /** The CRL kept for `url` (memory, then disk), verified with `issuer`, or null. */
  cached(url: string, issuer: PoolCertificate): Promise<ObtainedCrl | null> {
    return this.shared(`read ${issuer.fingerprint} ${url}`, () => this.readCached(url, issuer));
  }

  private async readCached(url: string, issuer: PoolCertificate): Promise<ObtainedCrl | null> {
    const key = `${issuer.fingerprint} ${url}`;
    const inMemory = this.memory.get(key);
    if (inMemory) {
      this.memory.delete(key); // most recently used last
      this.memory.set(key, inMemory);
      return { crl: inMemory.crl, url, fromCache: true, obtainedAt: inMemory.obtainedAt };
    }
    if (this.absent.has(key)) return null;
    const kept = this.cache ? await this.cache.readKept('crl', url, this.budget.maxBytes) : null;
    if (!kept) {
      this.absent.add(key);
      return null;
    }
    try {
      const crl = await this.read(kept.bytes, issuer);
      this.remember(key, crl, issuer, kept.writtenAt);
      return { crl, url, fromCache: true, obtainedAt: kept.writtenAt };
    } catch {
      return null; // damaged or replaced on disk: as if absent
    }
  }

  /** Download `url`, check it against `issuer`, keep it. Throws FetchError or CrlError. */
  download(url: string, issuer: PoolCertificate): Promise<ObtainedCrl> {
    return this.shared(`download ${issuer.fingerprint} ${url}`, () => this.fetchAndKeep(url, issuer));
  }

  private async fetchAndKeep(url: string, issuer: PoolCertificate): Promise<ObtainedCrl> {
    const bytes = await fetchBytes({ url, budget: this.budget, accept: 'application/pkix-crl, */*' });
    const crl = await this.read(bytes, issuer);
    this.absent.delete(`${issuer.fingerprint} ${url}`);
    const obtainedAt = new Date();
    this.remember(`${issuer.fingerprint} ${url}`, crl, issuer, obtainedAt);
    // The index's own bytes: a reader in a worker took `bytes` by transfer and sent them back in it.
    if (this.cache) await this.cache.write('crl', url, crl.encoded).catch(() => undefined); // unwritable cache: download again next time
    return { crl, url, fromCache: false, obtainedAt };
  }

  private remember(key: string, crl: CrlIndex, issuer: PoolCertificate, obtainedAt: Date): void {
    this.memory.delete(key);
    this.memory.set(key, { crl, issuer: issuer.fingerprint, obtainedAt });
    let bytes = [...this.memory.values()].reduce((sum, e) => sum + e.crl.bytes, 0);
    for (const [oldest, entry] of this.memory) {
      if (this.memory.size <= MEMORY_ENTRIES && bytes <= MEMORY_BYTES) break;
      if (oldest === key) break;
      this.memory.delete(oldest);
      bytes -= entry.crl.bytes;
    }
  }
}
