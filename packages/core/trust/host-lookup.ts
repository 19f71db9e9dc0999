/**
 * The host names of CRL, AIA and OCSP addresses, looked up once and remembered for a while. Node
 * asks the system resolver on every connection and keeps nothing; a server checking hundreds of
 * certificates of the same few ACs would ask the same names hundreds of times a minute. Resolvers
 * limit that: measured on the development machine, about one lookup in 25 of a name, one after
 * another, went unanswered and glibc waited its 5 s timeout before asking again — so a burst of
 * installs spent ~5 s per check on a name that does not exist, while the same check alone took
 * 45 ms. Here every lookup of a name in flight is shared, an answer is kept ANSWER_MS and a
 * failure FAILURE_MS, and the table is bounded (the names come from certificates: foreign input).
 */
import { lookup as systemLookup, type LookupAddress } from 'node:dns';

/** A name's addresses are asked again after 5 minutes (ACs move their servers rarely, and not in minutes). */
export const ANSWER_MS = 5 * 60_000;
/** A name that did not resolve is not asked again for a minute: what failed now answers "sem conexão" at once. */
export const FAILURE_MS = 60_000;
/** Names remembered at most (the oldest forgotten first): ICP-Brasil has a few dozen ACs. */
const MAX_NAMES = 256;

type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const resolveWithSystem: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    systemLookup(hostname, { all: true, family: 0 }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** The lookup options net and http pass (`family` 0, 4 or 6; `all` when trying every address). */
interface LookupOptions {
  family?: number | string;
  all?: boolean;
}
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

interface Kept {
  until: number;
  answer: Promise<LookupAddress[]>;
  /** The error code once the lookup failed. */
  failed?: string;
}

export class HostLookup {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly resolve: Resolve = resolveWithSystem,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Every address of `hostname`: from the table while remembered, else one lookup shared by every caller. */
  addresses(hostname: string): Promise<LookupAddress[]> {
    const name = hostname.toLowerCase();
    const now = this.clock();
    const found = this.kept.get(name);
    if (found && found.until > now) return found.answer;
    this.kept.delete(name);
    // In flight: kept until it settles, then for ANSWER_MS or FAILURE_MS from then.
    const entry: Kept = { until: Infinity, answer: this.resolve(name) };
    entry.answer.then(
      () => (entry.until = this.clock() + ANSWER_MS),
      (error: NodeJS.ErrnoException) => {
        entry.until = this.clock() + FAILURE_MS;
        entry.failed = error.code ?? 'ENOTFOUND';
      },
    );
    this.kept.set(name, entry);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= MAX_NAMES) break;
      this.kept.delete(oldest);
    }
    return entry.answer;
  }

  /**
   * The error code of `hostname`'s remembered failure (null: not failed, not asked, or forgotten).
   * A request to such a name fails before a socket is made — the same "sem conexão" the lookup
   * would give it a moment later, without the request, socket and error objects (~0.3 ms of the
   * event loop each, paid by every install whose AC cannot be reached from the server).
   */
  failureOf(hostname: string): string | null {
    const found = this.kept.get(hostname.toLowerCase());
    return found?.failed !== undefined && found.until > this.clock() ? found.failed : null;
  }

  /** In the shape of `dns.lookup`, for http.request's `lookup` option. */
  readonly lookup = (hostname: string, options: LookupOptions | number | undefined, callback: LookupCallback): void => {
    const family = typeof options === 'object' ? Number(options.family ?? 0) || 0 : Number(options ?? 0) || 0;
    const all = typeof options === 'object' && !!options.all;
    this.addresses(hostname).then(
      (addresses) => {
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) return callback(lookupError('ENOTFOUND', hostname), all ? [] : '', family || 4);
        if (all) return callback(null, usable);
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      // A fresh error for each caller: net adds its own fields to the one it receives.
      (error: NodeJS.ErrnoException) => callback(lookupError(error.code ?? 'ENOTFOUND', hostname), all ? [] : '', family || 4),
    );
  };
}

/** The error `dns.lookup` gives for `hostname` with `code` (also what a remembered failure answers). */
export function lookupError(code: string, hostname: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException & { hostname?: string } = new Error(`getaddrinfo ${code} ${hostname}`);
  error.code = code;
  error.syscall = 'getaddrinfo';
  error.hostname = hostname;
  return error;
}

/** The process's table: one for every request of the trust engine. */
export const hostLookup = new HostLookup();
