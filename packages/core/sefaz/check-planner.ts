/**
 * Checks certificates against SEFAZ the way SEFAZ tolerates: for each certificate, one call per
 * (authorizer, service, environment) its branches need — ten branches in states SVRS serves make one
 * call, whose answer is given to each of them — and a kept answer for at least three minutes per
 * (certificate, authorizer, service, environment), because repeated checking earns a 656 (consumo
 * indevido) block. A repeat within that time gets the kept answer, marked `reused`, with the time
 * it was really asked. Calls run a few at a time; a whole environment reports progress per call.
 */
import type { ApiErrorPayload, Environment } from '@certdesk/shared/contract';
import type { SefazModule, SefazStatusResult, Uf } from '@certdesk/shared/sefaz';
import { toErrorPayload } from '../errors';
import type { TlsCredentials } from '../pfx/tls-credentials';
import type { StatusService } from './service-table';
import type { SefazStatusClient } from './status-client';

/** A branch the certificate serves, in a module, in an environment. */
export interface BranchLink {
  branch: string;
  uf: Uf;
  module: SefazModule;
  environment: Environment;
}

export interface CertificateToCheck {
  /** SHA-256 of the certificate (what the workspace already knows without opening the file). */
  fingerprint: string;
  links: BranchLink[];
  /** Opens the PFX (keychain password, or asks): called at most once a run, and only when a call is needed. */
  credentials: () => Promise<TlsCredentials>;
}

export interface LinkResult {
  fingerprint: string;
  link: BranchLink;
  /** null when the certificate could not be opened (then `error` says why). */
  result: SefazStatusResult | null;
  error: ApiErrorPayload | null;
}

export interface PlannedCall {
  key: string;
  fingerprint: string;
  /** The first branch's state gives the request its cUF; the answer is the authorizer's for all. */
  service: StatusService;
  links: BranchLink[];
}

export interface CheckProgress {
  done: number;
  total: number;
  call: PlannedCall;
  result: SefazStatusResult | null;
}

export interface PlannerOptions {
  /** How long an answer is kept (default and minimum: 3 minutes). */
  keepMs?: number;
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  /** Kept answers at most (oldest out), so a long-running app does not grow without bound. */
  maxKept?: number;
  now?: () => number;
}

export const THREE_MINUTES = 3 * 60 * 1000;

/**
 * Outcomes in which SEFAZ's server saw the request: kept. Failures before it (DNS, proxy, our own
 * refusal of the server) are not — a proxy's 407 or 403 carries an HTTP status too, but it is the
 * proxy's, and fixing the proxy must let the next check through at once.
 */
const reachedServer = (result: SefazStatusResult) =>
  !result.code.startsWith('PROXY_') &&
  (result.httpStatus !== null || result.code === 'TLS_REFUSED' || result.code === 'ANSWER_TIMEOUT' || result.code === 'NO_ANSWER');

export class SefazCheckPlanner {
  private readonly kept = new Map<string, { result: SefazStatusResult; until: number }>();
  private readonly inFlight = new Map<string, Promise<SefazStatusResult>>();
  private readonly keepMs: number;
  private readonly concurrency: number;
  private readonly maxKept: number;
  private readonly now: () => number;

  constructor(
    private readonly client: SefazStatusClient,
    options: PlannerOptions = {},
  ) {
    this.keepMs = Math.max(options.keepMs ?? THREE_MINUTES, THREE_MINUTES);
    this.concurrency = Math.max(1, Math.min(options.concurrency ?? 4, 16));
    this.maxKept = options.maxKept ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The calls `certificates` need: one per (certificate, authorizer, module, environment). */
  plan(certificates: CertificateToCheck[]): PlannedCall[] {
    const calls = new Map<string, PlannedCall>();
    for (const certificate of certificates) {
      for (const link of certificate.links) {
        const service = this.client.service(link.module, link.uf, link.environment);
        const key = keyOf(certificate.fingerprint, service);
        const call = calls.get(key);
        if (call) call.links.push(link);
        else calls.set(key, { key, fingerprint: certificate.fingerprint, service, links: [link] });
      }
    }
    return [...calls.values()];
  }

  /** The answer kept for this call, if still within its time. */
  keptResult(call: PlannedCall): SefazStatusResult | null {
    const entry = this.kept.get(call.key);
    if (!entry || entry.until <= this.now()) return null;
    return { ...entry.result, reused: true };
  }

  /**
   * Takes an answer obtained earlier — read back from where results are stored (after a restart, or
   * made by another instance of the cloud service) — as kept for what is left of its time, counted
   * from when it was really asked. Answers that never reached SEFAZ's server are not kept, as in `run`.
   */
  remember(fingerprint: string, result: SefazStatusResult): void {
    if (!reachedServer(result)) return;
    const until = Date.parse(result.checkedAt) + this.keepMs;
    const key = keyOf(fingerprint, result);
    if (!(until > this.now()) || (this.kept.get(key)?.until ?? 0) >= until) return;
    this.keep(key, result, until);
  }

  /** Runs every needed call (kept answers first), at most `concurrency` at a time. */
  async run(certificates: CertificateToCheck[], onProgress?: (progress: CheckProgress) => void): Promise<LinkResult[]> {
    const calls = this.plan(certificates);
    const byFingerprint = new Map(certificates.map((c) => [c.fingerprint, c]));
    const opened = new Map<string, Promise<TlsCredentials>>();
    const outcomes = new Map<string, { result: SefazStatusResult | null; error: ApiErrorPayload | null }>();
    let done = 0;
    const queue = [...calls];
    const worker = async () => {
      for (let call = queue.shift(); call; call = queue.shift()) {
        let outcome: { result: SefazStatusResult | null; error: ApiErrorPayload | null };
        try {
          const result = await this.answer(call, () => {
            const certificate = byFingerprint.get(call!.fingerprint)!;
            if (!opened.has(call!.fingerprint)) opened.set(call!.fingerprint, certificate.credentials());
            return opened.get(call!.fingerprint)!;
          });
          outcome = { result, error: null };
        } catch (error) {
          outcome = { result: null, error: toErrorPayload(error) };
        }
        outcomes.set(call.key, outcome);
        onProgress?.({ done: ++done, total: calls.length, call, result: outcome.result });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, calls.length) }, worker));

    const results: LinkResult[] = [];
    for (const certificate of certificates) {
      for (const link of certificate.links) {
        const key = keyOf(certificate.fingerprint, this.client.service(link.module, link.uf, link.environment));
        const { result, error } = outcomes.get(key)!;
        results.push({ fingerprint: certificate.fingerprint, link, result, error });
      }
    }
    return results;
  }

  /** A kept answer, the answer of a call already under way for the same key, or a new call. */
  private async answer(call: PlannedCall, credentials: () => Promise<TlsCredentials>): Promise<SefazStatusResult> {
    const kept = this.keptResult(call);
    if (kept) return kept;
    const running = this.inFlight.get(call.key);
    if (running) return running;
    const promise = (async () => {
      const result = await this.client.check(await credentials(), call.service);
      if (reachedServer(result)) this.keep(call.key, result, this.now() + this.keepMs);
      return result;
    })();
    this.inFlight.set(call.key, promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(call.key);
    }
  }

  private keep(key: string, result: SefazStatusResult, until: number): void {
    this.kept.delete(key);
    if (this.kept.size >= this.maxKept) {
      const now = this.now();
      for (const [k, entry] of this.kept) if (entry.until <= now) this.kept.delete(k);
      while (this.kept.size >= this.maxKept) this.kept.delete(this.kept.keys().next().value!);
    }
    this.kept.set(key, { result, until });
  }
}

const keyOf = (fingerprint: string, service: Pick<StatusService, 'authorizer' | 'module' | 'environment'>) =>
  `${fingerprint}|${service.authorizer}|${service.module}|${service.environment}`;
