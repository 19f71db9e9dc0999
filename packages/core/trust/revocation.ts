/**
 * Whether a certificate is revoked, honestly: OCSP first when the certificate names a responder
 * (small, current), then each CRL distribution point in turn. Only a current answer signed by the
 * issuer says "not revoked"; a revocation listed in any verified CRL counts even if that CRL is no
 * longer current (revocation is final — except a hold). Offline, the kept CRL answers while it is
 * current; otherwise "not checked", with the date of the last CRL known. Nothing here ever throws
 * for a network or data problem: every problem is an outcome with a code.
 */
import type { RevocationAttempt, RevocationCode, RevocationVerdict } from '@certdesk/shared/trust';
import type { PoolCertificate } from './certificate-pool';
import type { CrlEntry } from './crl-index';
import type { CrlStore, ObtainedCrl } from './crl-store';
import { FetchError, fetchBytes, type FetchBudget } from './http-get';
import { OcspError, ocspRequestFor, readOcspResponse, type OcspAnswer } from './ocsp';
import type { PrivateCache } from './private-cache';
import { dateText, dateTimeText, reasonName, reasonText } from './trust-text';
import { CrlError } from './crl-error';

export const OCSP_BUDGET: FetchBudget = { maxBytes: 1024 * 1024, timeoutMs: 10_000, maxRedirects: 0 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CERTIFICATE_HOLD = 6;

export interface RevocationContext {
  online: boolean;
  now: Date;
  cache: PrivateCache | null;
  crls: CrlStore;
  /** Time zone of the dates in `message` (default: the process's). */
  timeZone?: string;
  /**
   * Online only: a kept CRL downloaded before this instant, or a kept OCSP answer produced before
   * it, is asked for again even while current — the background recheck's "daily", which would
   * otherwise reread the same CRL until its nextUpdate. If the network fails, the kept one answers.
   */
  refreshKeptBefore?: Date;
}

interface Decided {
  code: RevocationCode;
  message: string;
  source: 'crl' | 'ocsp' | null;
  entry?: CrlEntry | null;
  crl?: ObtainedCrl | null;
  ocsp?: { url: string; answer: OcspAnswer; fromCache: boolean } | null;
  /** When the answer stops being current. */
  validUntil?: Date | null;
}

export async function checkRevocation(
  leaf: PoolCertificate,
  issuer: PoolCertificate | null,
  ctx: RevocationContext,
): Promise<RevocationVerdict> {
  const attempts: RevocationAttempt[] = [];
  const decided = await decide(leaf, issuer, ctx, attempts);
  return verdictOf(decided, ctx, attempts);
}

async function decide(
  leaf: PoolCertificate,
  issuer: PoolCertificate | null,
  ctx: RevocationContext,
  attempts: RevocationAttempt[],
): Promise<Decided> {
  const tz = ctx.timeZone;
  if (!issuer) {
    return { code: 'UNCHECKED_NO_ISSUER', message: 'Não verificado — o certificado da AC emissora não foi encontrado.', source: null };
  }
  const pointers = leaf.pointers ?? { crlUrls: [], ocspUrls: [], caIssuersUrls: [], subjectKeyId: null, authorityKeyId: null };
  if (pointers.crlUrls.length === 0 && pointers.ocspUrls.length === 0) {
    return { code: 'UNCHECKED_NO_SOURCE', message: 'Não verificado — o certificado não indica LCR nem OCSP.', source: null };
  }
  const serial = leaf.x509.serialNumber.toLowerCase();

  for (const url of pointers.ocspUrls) {
    const ocsp = await askOcsp(url, leaf, issuer, ctx, attempts);
    if (ocsp && ocsp.answer.status !== 'unknown') {
      const { answer } = ocsp;
      if (answer.status === 'revoked')
        return revoked({ revokedAt: answer.revokedAt!, reasonCode: answer.reasonCode }, 'ocsp', tz, { ocsp });
      return {
        code: 'NOT_REVOKED',
        message: `Não revogado (OCSP de ${dateTimeText(answer.producedAt, tz)})`,
        source: 'ocsp',
        ocsp,
        validUntil: answer.nextUpdate,
      };
    }
  }

  let newestStale: ObtainedCrl | null = null;
  for (const url of pointers.crlUrls) {
    const obtained = await obtainCrl(url, issuer, ctx, attempts);
    if (!obtained) continue;
    const entry = obtained.crl.lookup(serial);
    if (isCurrent(obtained, ctx.now)) {
      if (entry) return revoked(entry, 'crl', tz, { crl: obtained, entry });
      return {
        code: 'NOT_REVOKED',
        message: `Não revogado (LCR de ${dateTimeText(obtained.crl.thisUpdate, tz)})`,
        source: 'crl',
        crl: obtained,
        entry: null,
        validUntil: obtained.crl.nextUpdate,
      };
    }
    if (entry && entry.reasonCode !== CERTIFICATE_HOLD) return revoked(entry, 'crl', tz, { crl: obtained, entry });
    if (!newestStale || obtained.crl.thisUpdate > newestStale.crl.thisUpdate) newestStale = obtained;
  }

  const fetched = attempts.filter((a) => a.source === 'crl');
  const onlyNetworkFailed = fetched.every((a) => ['offline', 'timeout', 'cache-miss', 'expired-cache'].includes(a.outcome));
  if (ctx.online && newestStale && fetched.some((a) => a.outcome === 'expired')) {
    const { crl } = newestStale;
    return {
      code: 'UNCHECKED_CRL_EXPIRED',
      message: `Não verificado — a LCR publicada venceu em ${dateTimeText(crl.nextUpdate!, tz)} (LCR de ${dateTimeText(crl.thisUpdate, tz)}).`,
      source: null,
      crl: newestStale,
    };
  }
  if (ctx.online && !onlyNetworkFailed && fetched.some((a) => a.outcome === 'invalid')) {
    const detail = fetched.find((a) => a.outcome === 'invalid')!.detail;
    return {
      code: 'UNCHECKED_CRL_INVALID',
      message: `Não verificado — a LCR obtida não é válida: ${detail}.`,
      source: null,
      crl: newestStale,
    };
  }
  const last = newestStale ? `última LCR de ${dateTimeText(newestStale.crl.thisUpdate, tz)}` : 'nenhuma LCR guardada';
  const why = ctx.online ? 'sem conexão com os endereços da LCR' : 'sem conexão';
  return { code: 'UNCHECKED_OFFLINE', message: `Não verificado — ${why}; ${last}.`, source: null, crl: newestStale };
}

function revoked(entry: CrlEntry, source: 'crl' | 'ocsp', tz: string | undefined, extra: Partial<Decided>): Decided {
  const reason = reasonText(entry.reasonCode) ?? 'motivo não informado';
  return { code: 'REVOKED', message: `Revogado em ${dateText(entry.revokedAt, tz)} (${reason})`, source, entry, ...extra };
}

/** Current: issued (not ahead of the clock by more than 5 min) and not past nextUpdate; without nextUpdate, at most a day old. */
const isCurrent = (obtained: ObtainedCrl, now: Date) =>
  obtained.crl.thisUpdate.getTime() <= now.getTime() + 5 * 60_000 &&
  (obtained.crl.nextUpdate ? obtained.crl.nextUpdate >= now : now.getTime() - obtained.crl.thisUpdate.getTime() <= DAY);

/** A verified CRL for `url`: the kept one while current, else (online) a fresh download. null when none. */
async function obtainCrl(
  url: string,
  issuer: PoolCertificate,
  ctx: RevocationContext,
  attempts: RevocationAttempt[],
): Promise<ObtainedCrl | null> {
  const kept = await ctx.crls.cached(url, issuer);
  const refresh = ctx.online && !!ctx.refreshKeptBefore && !!kept && kept.obtainedAt < ctx.refreshKeptBefore;
  if (kept && isCurrent(kept, ctx.now) && !refresh) {
    attempts.push({ url, source: 'crl', outcome: 'cache', detail: null });
    return kept;
  }
  if (!ctx.online) {
    attempts.push({ url, source: 'crl', outcome: kept ? 'expired-cache' : 'cache-miss', detail: null });
    return kept;
  }
  try {
    const fresh = await ctx.crls.download(url, issuer);
    const current = isCurrent(fresh, ctx.now);
    attempts.push({ url, source: 'crl', outcome: current ? 'ok' : 'expired', detail: current ? null : 'LCR vencida' });
    return fresh;
  } catch (error) {
    attempts.push(failure(url, 'crl', error));
    if (kept && isCurrent(kept, ctx.now)) attempts.push({ url, source: 'crl', outcome: 'cache', detail: null });
    return kept; // still current (a refresh that failed), or it tells its date and a listed revocation
  }
}

async function askOcsp(
  url: string,
  leaf: PoolCertificate,
  issuer: PoolCertificate,
  ctx: RevocationContext,
  attempts: RevocationAttempt[],
): Promise<{ url: string; answer: OcspAnswer; fromCache: boolean } | null> {
  const key = `${url} ${issuer.fingerprint} ${leaf.x509.serialNumber}`;
  const kept = ctx.cache ? await ctx.cache.read('ocsp', key, OCSP_BUDGET.maxBytes) : null;
  let keptAnswer: OcspAnswer | null = null;
  if (kept) {
    try {
      keptAnswer = readOcspResponse(kept, leaf, issuer, ctx.now);
    } catch {
      // expired or damaged: ask again
    }
  }
  const refresh = ctx.online && !!ctx.refreshKeptBefore && !!keptAnswer && keptAnswer.producedAt < ctx.refreshKeptBefore;
  const fromKept = () => {
    attempts.push({ url, source: 'ocsp', outcome: 'cache', detail: null });
    return { url, answer: keptAnswer!, fromCache: true };
  };
  if (keptAnswer && !refresh) return fromKept();
  if (!ctx.online) return null;
  try {
    const bytes = await fetchBytes({
      url,
      budget: OCSP_BUDGET,
      body: ocspRequestFor(leaf, issuer),
      contentType: 'application/ocsp-request',
    });
    const answer = readOcspResponse(bytes, leaf, issuer, ctx.now);
    attempts.push({ url, source: 'ocsp', outcome: answer.status === 'unknown' ? 'unknown' : 'ok', detail: null });
    if (answer.status !== 'unknown' && ctx.cache) await ctx.cache.write('ocsp', key, bytes).catch(() => undefined);
    return { url, answer, fromCache: false };
  } catch (error) {
    attempts.push(failure(url, 'ocsp', error));
    return keptAnswer ? fromKept() : null; // a refresh that failed: the kept answer is still current
  }
}

function failure(url: string, source: 'crl' | 'ocsp', error: unknown): RevocationAttempt {
  if (error instanceof FetchError) return { url, source, outcome: error.failure, detail: error.message };
  if (error instanceof CrlError || error instanceof OcspError) return { url, source, outcome: 'invalid', detail: error.message };
  return { url, source, outcome: 'invalid', detail: 'resposta ilegível' };
}

function verdictOf(d: Decided, ctx: RevocationContext, attempts: RevocationAttempt[]): RevocationVerdict {
  const now = ctx.now.getTime();
  // Check again when the answer stops being current — at least daily; within the hour when nothing answered.
  const until = d.code === 'NOT_REVOKED' && d.validUntil ? d.validUntil.getTime() : now + (d.code === 'REVOKED' ? DAY : HOUR);
  const nextCheckAt = new Date(Math.max(now + 60_000, Math.min(until, now + DAY)));
  const entry =
    d.entry ?? (d.ocsp?.answer.status === 'revoked' ? { revokedAt: d.ocsp.answer.revokedAt!, reasonCode: d.ocsp.answer.reasonCode } : null);
  return {
    status: d.code === 'REVOKED' ? 'revoked' : d.code === 'NOT_REVOKED' ? 'good' : 'unknown',
    code: d.code,
    message: d.message,
    source: d.source,
    revokedAt: d.code === 'REVOKED' && entry ? entry.revokedAt.toISOString() : null,
    reasonCode: d.code === 'REVOKED' && entry ? entry.reasonCode : null,
    reason: d.code === 'REVOKED' && entry ? reasonName(entry.reasonCode) : null,
    crl: d.crl
      ? {
          url: d.crl.url,
          thisUpdate: d.crl.crl.thisUpdate.toISOString(),
          nextUpdate: d.crl.crl.nextUpdate?.toISOString() ?? null,
          fromCache: d.crl.fromCache,
        }
      : null,
    ocsp: d.ocsp
      ? {
          url: d.ocsp.url,
          producedAt: d.ocsp.answer.producedAt.toISOString(),
          thisUpdate: d.ocsp.answer.thisUpdate.toISOString(),
          nextUpdate: d.ocsp.answer.nextUpdate?.toISOString() ?? null,
          fromCache: d.ocsp.fromCache,
        }
      : null,
    checkedAt: ctx.now.toISOString(),
    nextCheckAt: nextCheckAt.toISOString(),
    attempts,
  };
}

/** "Check again" for the scheduler: whether a kept verdict is due at `now` (its answer expired, or a day passed). */
export function isRecheckDue(verdict: Pick<RevocationVerdict, 'nextCheckAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(verdict.nextCheckAt);
}

/** Milliseconds until the first of `verdicts` is due again (0 when one already is): what a scheduler waits. */
export function nextRecheckDelay(verdicts: Pick<RevocationVerdict, 'nextCheckAt'>[], now: Date): number | null {
  if (verdicts.length === 0) return null;
  return Math.max(0, Math.min(...verdicts.map((v) => Date.parse(v.nextCheckAt))) - now.getTime());
}
