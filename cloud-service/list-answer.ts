/**
 * The certificate list's answer, made from its rows: the pure part of the list cache, run in the
 * list workers (list-worker.ts) so a 1,000-row answer is never parsed, serialised or compressed on
 * the server's event loop. An answer is kept as one JSON text per row ("pieces"): a write replaces,
 * adds or removes the pieces it touched and the answer is put together again from them — exactly
 * the text `JSON.stringify(rows)` gives, since that is how an array is written.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { rowAt, type RowSource } from '@certdesk/shared/certificate-row';
import { nextLocalDayStart, systemTimeZone } from '@certdesk/shared/local-time';

/** What a build or a re-derivation gives: each row's JSON, its id, and until when it holds. */
export interface DerivedRows {
  pieces: string[];
  ids: string[];
  /** Last instant (ms) at which the pieces are what the rows derive to; after it, derive again. */
  until: number;
}

/** The answer's bytes: the JSON text (UTF-8), the same gzip-compressed, and that gzip's blocks. */
export interface AssembledAnswer {
  body: Buffer;
  gzip: Buffer;
  /** Each block of BLOCK_ROWS rows compressed on its own (raw deflate ending in a full flush). */
  blocks: Buffer[];
}

/**
 * The gzip is made of blocks of this many rows, each compressed on its own: a deflate stream that
 * ends in a full flush starts nothing the next one depends on, so blocks are concatenated as they
 * are, and a write recompresses only the blocks it touched (~30 KB of text each at 1,000 rows)
 * instead of the whole answer. Blocks always cut at the same rows, so an answer updated by writes
 * and one built afresh are the same bytes, compressed ones included.
 */
export const BLOCK_ROWS = 64;
/** gzip's header as zlib writes it (deflate, no name, no time, Unix), and an empty final fixed block. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
const FINAL_BLOCK = Buffer.from([3, 0]);

/**
 * The last instant at which every row still derives to what it derives to at `now`. A row's derived
 * fields are installedStatus's (packages/shared/workspace.ts, over validityOf in packages/shared/status.ts):
 * days left are calendar days in the server's time zone, so they all change when that zone's next day
 * starts, and "expired" starts just after notAfter. notBefore shows nowhere in a row (a certificate
 * not yet valid is listed as configured or available, as in the embedded list), so it ends nothing.
 * The test checks both ways: same at this instant, one row different 1 ms later.
 */
export function derivedStableUntil(sources: readonly RowSource[], now: Date, timeZone = systemTimeZone()): number {
  if (sources.length === 0) return Number.POSITIVE_INFINITY;
  const t = now.getTime();
  let until = nextLocalDayStart(t, timeZone) - 1;
  for (const { certificate } of sources) {
    const notAfter = Date.parse(certificate.notAfter);
    if (notAfter >= t) until = Math.min(until, notAfter);
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

/** Block `k` of `count`: its rows, with the opening bracket, the commas between blocks and the closing one. */
function blockText(pieces: readonly string[], k: number, count: number): string {
  const rows = pieces.slice(k * BLOCK_ROWS, (k + 1) * BLOCK_ROWS).join(',');
  return (k === 0 ? '[' : ',') + rows + (k === count - 1 ? ']' : '');
}

/**
 * The answer from its pieces: byte for byte `JSON.stringify(rows)`, and its gzip (level 6), whose
 * blocks are taken from `reuse` where given (blocks a write did not touch) and compressed otherwise.
 */
export function assemble(pieces: readonly string[], reuse: readonly (Uint8Array | null | undefined)[] = []): AssembledAnswer {
  const count = Math.max(1, Math.ceil(pieces.length / BLOCK_ROWS));
  const texts: string[] = [];
  const blocks: Buffer[] = [];
  for (let k = 0; k < count; k++) {
    const text = blockText(pieces, k, count);
    texts.push(text);
    const kept = reuse[k];
    blocks.push(
      kept
        ? Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength)
        : deflateRawSync(text, { level: 6, finishFlush: constants.Z_FULL_FLUSH }),
    );
  }
  const body = Buffer.from(texts.join(''), 'utf8');
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(body), 0);
  trailer.writeUInt32LE(body.length % 2 ** 32, 4);
  return { body, gzip: Buffer.concat([GZIP_HEADER, ...blocks, FINAL_BLOCK, trailer]), blocks };
}
