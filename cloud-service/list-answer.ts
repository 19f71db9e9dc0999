/**
 * The certificate list's answer, made from its rows: the pure part of the list cache, run in the
 * list workers (list-worker.ts) so a 1,000-row answer is never parsed, serialised or compressed on
 * the server's event loop. An answer is kept as one JSON text per row ("pieces"): a write replaces,
 * adds or removes the pieces it touched and the answer is put together again from them — exactly
 * the text `JSON.stringify(rows)` gives, since that is how an array is written.
 */
import { gzipSync } from 'node:zlib';
import { rowAt, type RowSource } from '@certdesk/shared/certificate-row';

const DAY_MS = 86_400_000;

/** What a build or a re-derivation gives: each row's JSON, its id, and until when it holds. */
export interface DerivedRows {
  pieces: string[];
  ids: string[];
  /** Last instant (ms) at which the pieces are what the rows derive to; after it, derive again. */
  until: number;
}

/** The answer's bytes: the JSON text (UTF-8) and the same gzip-compressed. */
export interface AssembledAnswer {
  body: Buffer;
  gzip: Buffer;
}

/**
 * The last instant at which every row still derives to what it derives to at `now`. A row's derived
 * fields are installedStatus's (packages/shared/workspace.ts, over validityOf in packages/shared/status.ts): days left
 * is floor((notAfter − now) / day), so it holds until notAfter − days × day, and "expired" (after
 * notAfter) only ever starts at such an instant (days left 0 → −1). notBefore shows nowhere in a row
 * (a certificate not yet valid is listed as configured or available, as in the embedded list), so
 * it ends nothing. The test checks both ways: same at this instant, one row different 1 ms later.
 */
export function derivedStableUntil(sources: readonly RowSource[], now: Date): number {
  const t = now.getTime();
  let until = Number.POSITIVE_INFINITY;
  for (const { certificate } of sources) {
    const notAfter = Date.parse(certificate.notAfter);
    const days = Math.floor((notAfter - t) / DAY_MS);
    until = Math.min(until, notAfter - days * DAY_MS);
  }
  return until;
}

/** One row's JSON at `now` and until when it holds (a write's row, derived where the write ran). */
export function deriveRow(source: RowSource, now: Date): { piece: string; until: number } {
  const row = rowAt(source, now);
  return { piece: JSON.stringify(row), until: derivedStableUntil([row], now) };
}

/** Every row derived at `now`, in order (a build from the database, or a re-derivation of kept rows). */
export function deriveRows(sources: readonly RowSource[], now: Date): DerivedRows {
  const rows = sources.map((s) => rowAt(s, now));
  return { pieces: rows.map((r) => JSON.stringify(r)), ids: rows.map((r) => r.id), until: derivedStableUntil(rows, now) };
}

/** The answer from its pieces: byte for byte `JSON.stringify(rows)`, and its gzip (level 6, as always). */
export function assemble(pieces: readonly string[]): AssembledAnswer {
  const body = Buffer.from(`[${pieces.join(',')}]`, 'utf8');
  return { body, gzip: gzipSync(body, { level: 6 }) };
}
