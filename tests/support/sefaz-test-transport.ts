/**
 * Where the suite's servers send SEFAZ checks: nowhere special until a test says so, then every host
 * of the service table to the SEFAZ stand-in it started (`POST /test/sefaz {"connectTo": "127.0.0.1:PORT",
 * "rootPem": "…"}`), trusting that stand-in's root. Only the suite's own entries hold one of these; the
 * product's entries have no such route and no such option.
 */
import type { ConnectOverride } from '@certdesk/core/sefaz/transport';

export interface SefazTestTarget {
  connectOverride: ConnectOverride;
  /** The array the clients read at each call (filled in place). */
  extraTrustAnchors: string[];
  /** `{ connectTo, rootPem }` from the route's body; null or `{}` forgets them. Answers an error text or null. */
  set(body: unknown): string | null;
}

export function sefazTestTarget(): SefazTestTarget {
  let target: { host: string; port: number } | null = null;
  const extraTrustAnchors: string[] = [];
  return {
    connectOverride: () => (target ? { ...target } : null),
    extraTrustAnchors,
    set(body) {
      const { connectTo, rootPem } = (body ?? {}) as { connectTo?: unknown; rootPem?: unknown };
      if (connectTo === undefined || connectTo === null) {
        target = null;
        extraTrustAnchors.length = 0;
        return null;
      }
      const match = typeof connectTo === 'string' ? /^127\.0\.0\.1:(\d{1,5})$/.exec(connectTo) : null;
      if (!match || typeof rootPem !== 'string' || !rootPem.includes('BEGIN CERTIFICATE')) return 'connectTo 127.0.0.1:PORT e rootPem';
      target = { host: '127.0.0.1', port: Number(match[1]) };
      extraTrustAnchors.splice(0, extraTrustAnchors.length, rootPem);
      return null;
    },
  };
}
