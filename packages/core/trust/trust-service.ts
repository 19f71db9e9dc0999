/**
 * Chain and revocation for one certificate, the way the CLI (and later the app and the cloud
 * service) asks for it: the chain from the file, the shipped ICP-Brasil set and — online, or from
 * the cache — the AIA addresses; then the revocation of the leaf against its issuer. Offline is the
 * default and never waits on the network; with `online`, every request has its budget
 * (http-get.ts), so a dead address costs its timeout and nothing more.
 */
import { join } from 'node:path';
import type { ChainVerdict, TrustReport } from '@certdesk/shared/trust';
import { fetchAia } from './aia-fetch';
import { CertificatePool, PoolCertificate, fileCertificate, shippedPool } from './certificate-pool';
import { buildPath, commonName, pathText, shortName, type ChainPath } from './chain-path';
import { CRL_BUDGET, CrlStore, type CrlReader } from './crl-store';
import { FetchError } from './http-get';
import { PrivateCache } from './private-cache';
import { checkRevocation } from './revocation';

/** AIA downloads per certificate checked: ICP-Brasil chains are 2–3 ACs deep. */
const MAX_AIA_FETCHES = 4;
/** Certificates checked on the network at once: a scan of 1,000 files must not open 1,000 connections to one AC. */
export const NETWORK_PLACES = 8;

export interface TrustServiceOptions {
  /** The data folder; the cache lives in its `trust-cache/` (null: no cache at all). */
  dataDir: string | null;
  /** May the network be used (CRL, OCSP, AIA)? Offline by default. */
  online?: boolean;
  now?: () => Date;
  /** Time zone of the dates in the Portuguese messages (default: the process's). */
  timeZone?: string;
  /**
   * Who reads and verifies a CRL's bytes (default: this thread, fine for one user's app and CLI).
   * A server passes one that runs in a worker thread: a 5 MB CRL costs ~20 ms of CPU.
   */
  readCrl?: CrlReader;
}

/** What one evaluation may do, beside the service's defaults. */
export interface EvaluateOptions {
  /** Overrides the service's `online` for this call (the app: the cache at once, the network after). */
  online?: boolean;
  /** See RevocationContext.refreshKeptBefore: the background recheck asks again for what it kept. */
  refreshKeptBefore?: Date;
  /**
   * Online only: when this aborts while the evaluation still waits for one of the NETWORK_PLACES,
   * it stops waiting and answers from the cache (`online: false` in the report) — an install
   * whose wait ended does not leave a check queued behind the network.
   */
  stopWaitingForPlace?: AbortSignal;
  /** Online only: called (synchronously) when the evaluation takes its network place. */
  onPlace?: () => void;
}

export class TrustService {
  private readonly cache: PrivateCache | null;
  private readonly crls: CrlStore;
  private readonly online: boolean;
  private readonly now: () => Date;
  /** AIA answers in progress or done during this service's life, by address (one download per AC). */
  private readonly aia = new Map<string, Promise<PoolCertificate[]>>();
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly options: TrustServiceOptions) {
    this.cache = options.dataDir ? new PrivateCache(join(options.dataDir, 'trust-cache')) : null;
    this.crls = new CrlStore(this.cache, CRL_BUDGET, options.readCrl);
    this.online = options.online ?? false;
    this.now = options.now ?? (() => new Date());
  }

  /** `leaf` and the file's other certificates (DER). Throws only when `leaf` is not a certificate. */
  async evaluate(leaf: Buffer, others: Buffer[] = [], options: EvaluateOptions = {}): Promise<TrustReport> {
    const online = options.online ?? this.online;
    // The limit is on connections: a cache-only answer (an install that stopped waiting) never queues behind network checks.
    if (!online) return this.evaluateNow(leaf, others, false, options.refreshKeptBefore);
    if (!(await this.networkPlace(options))) return this.evaluateNow(leaf, others, false, options.refreshKeptBefore);
    try {
      return await this.evaluateNow(leaf, others, true, options.refreshKeptBefore);
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  /** One of the NETWORK_PLACES (true), or false when `stopWaitingForPlace` aborted first (nothing taken). */
  private networkPlace({ stopWaitingForPlace: stop, onPlace }: EvaluateOptions): Promise<boolean> {
    if (stop?.aborted) return Promise.resolve(false);
    if (this.running < NETWORK_PLACES) {
      this.running++;
      onPlace?.();
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const take = () => {
        stop?.removeEventListener('abort', leave);
        this.running++; // handed over by the evaluation that ended, before anyone else can take it
        onPlace?.();
        resolve(true);
      };
      const leave = () => {
        const at = this.queue.indexOf(take);
        if (at >= 0) this.queue.splice(at, 1);
        resolve(false);
      };
      stop?.addEventListener('abort', leave, { once: true });
      this.queue.push(take);
    });
  }

  private fetchAiaOnce(url: string, online: boolean): Promise<PoolCertificate[]> {
    const key = `${online ? 'online' : 'offline'} ${url}`;
    let pending = this.aia.get(key);
    if (!pending) {
      pending = fetchAia(url, this.cache, online);
      // A failure may be retried by a later certificate; nothing found offline may be found once an online check kept it.
      pending.then(
        (found) => found.length === 0 && this.aia.delete(key),
        () => this.aia.delete(key),
      );
      this.aia.set(key, pending);
    }
    return pending;
  }

  private async evaluateNow(leaf: Buffer, others: Buffer[], online: boolean, refreshKeptBefore?: Date): Promise<TrustReport> {
    const now = this.now();
    const leafEntry = new PoolCertificate(leaf, 'file');
    const file = new CertificatePool([leafEntry, ...others.map((d) => fileCertificate(d))]);
    const fetched = new CertificatePool();
    let path = buildPath(leafEntry, [file, shippedPool(), fetched], now);
    let fetchError: string | null = null;
    const tried = new Set<string>();
    // Complete what is missing from AIA addresses (kept ones first; the network only when online).
    while (path.status === 'incomplete' && path.missing && tried.size < MAX_AIA_FETCHES) {
      const url = path.missing.urls.find((u) => !tried.has(u));
      if (!url) break;
      tried.add(url);
      try {
        const found = await this.fetchAiaOnce(url, online);
        if (!found.some((c) => fetched.add(c))) continue;
      } catch (error) {
        fetchError = error instanceof FetchError ? `${error.message} (${url})` : `resposta ilegível (${url})`;
        continue;
      }
      path = buildPath(leafEntry, [file, shippedPool(), fetched], now);
    }

    const issuer = path.links[1] ?? null;
    const revocation = await checkRevocation(leafEntry, issuer, {
      online,
      now,
      cache: this.cache,
      crls: this.crls,
      timeZone: this.options.timeZone,
      refreshKeptBefore,
    });
    return { chain: chainVerdict(path, fetchError, online), revocation, online };
  }
}

function chainVerdict(path: ChainPath, fetchError: string | null, online: boolean): ChainVerdict {
  const top = path.links[path.links.length - 1]!;
  const text = pathText(path);
  const links = path.links.map((l) => ({
    commonName: commonName(l.x509.subject),
    notAfter: new Date(l.x509.validTo).toISOString(),
    source: l.source,
    url: l.url,
  }));
  const base = { path: text, links, root: null, missing: null };
  switch (path.status) {
    case 'icp-brasil':
      return { ...base, status: 'icp-brasil', message: `Cadeia ICP-Brasil: ${text}`, root: commonName(top.x509.subject) };
    case 'unknown-root':
      return {
        ...base,
        status: 'unknown-root',
        message: `Não chega a uma raiz ICP-Brasil conhecida: termina em ${shortName(commonName(top.x509.subject))}${text ? ` (${text})` : ''}`,
      };
    case 'bad-signature':
      return {
        ...base,
        status: 'bad-signature',
        message: `Cadeia inválida: a assinatura de «${commonName(top.x509.subject)}» não confere com nenhuma AC de mesmo nome`,
      };
    case 'incomplete': {
      const missing = path.missing!;
      const issuerName = commonName(missing.issuer);
      const where = missing.urls.length ? `; pode ser obtido em ${missing.urls.join(' ou ')}` : '; o certificado não indica onde obtê-lo';
      const why = fetchError ? ` (a busca falhou: ${fetchError})` : !online && missing.urls.length ? ' (sem consulta à rede)' : '';
      return {
        ...base,
        status: 'incomplete',
        message: `Cadeia incompleta${text ? ` (${text})` : ''}: falta o certificado de «${issuerName}», emissor de «${commonName(top.x509.subject)}»${where}${why}`,
        missing: { issuer: issuerName, urls: missing.urls, fetchError },
      };
    }
  }
}
