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

/** What changed in a list: rows added at its end, rows replaced in place, rows removed. */
export interface ListChange {
  appended?: RowSource[];
  replaced?: RowSource[];
  removed?: string[];
}

/** A kept answer's rows (their JSON, their ids, until when they hold) and its compressed blocks. */
export interface KeptRows {
  pieces: readonly string[];
  ids: readonly string[];
  until: number;
  blocks: readonly Uint8Array[];
}

/**
 * Kept rows as they travel between the event loop and a list worker: the answer's JSON bytes (which
 * are the rows' pieces between `[`, `,` and `]`), where each piece ends in that text, and the ids as
 * one text. A thousand separate strings each way cost ~5 ms of copying per update, most of it on the
 * event loop; a few buffers and two texts cost a fraction of a millisecond.
 */
export interface PackedRows {
  body: Uint8Array;
  /** Index in the body's text (UTF-16 units, as `String.prototype.slice` counts) just after each piece. */
  ends: Uint32Array;
  /** The ids, one per line. */
  ids: string;
  until: number;
  blocks: readonly Uint8Array[];
}

/** Where each piece ends in `'[' + pieces.join(',') + ']'`. */
export function endsOf(pieces: readonly string[]): Uint32Array {
  const ends = new Uint32Array(pieces.length);
  let start = 1;
  for (let i = 0; i < pieces.length; i++) {
    ends[i] = start + pieces[i]!.length;
    start = ends[i]! + 1;
  }
  return ends;
}

/** The ids of a packed answer (one per line; none for an empty list). */
export const idsOf = (text: string): string[] => (text ? text.split('\n') : []);

/** The kept rows back from their packed form (in a list worker). */
export function unpack(packed: PackedRows): KeptRows {
  const text = Buffer.from(packed.body.buffer, packed.body.byteOffset, packed.body.byteLength).toString('utf8');
  const pieces: string[] = new Array(packed.ends.length);
  let start = 1;
  for (let i = 0; i < packed.ends.length; i++) {
    pieces[i] = text.slice(start, packed.ends[i]);
    start = packed.ends[i]! + 1;
  }
  return { pieces, ids: idsOf(packed.ids), until: packed.until, blocks: packed.blocks };
}

/**
 * The kept rows with a change applied, only the changed rows derived (at `now`), and the compressed
 * blocks still good for the result: all but those of replaced rows, every one from a removed row on
 * (the rows after it move up) and the last (it closes the bracket). Null when the change names a
 * row the kept rows do not hold — the answer is then built afresh.
 */
export function applyChange(
  kept: KeptRows,
  change: ListChange,
  now: Date,
): { pieces: string[]; ids: string[]; until: number; reuse: (Uint8Array | null)[] } | null {
  const pieces = [...kept.pieces];
  const ids = [...kept.ids];
  let until = kept.until;
  const dirty = new Set<number>();
  let shiftedFrom = Number.POSITIVE_INFINITY;
  if (change.replaced?.length) {
    const at = new Map(ids.map((id, i) => [id, i]));
    for (const source of change.replaced) {
      const i = at.get(source.id);
      if (i === undefined) return null;
      const row = deriveRow(source, now);
      pieces[i] = row.piece;
      dirty.add(Math.floor(i / BLOCK_ROWS));
      until = Math.min(until, row.until);
    }
  }
  for (const id of change.removed ?? []) {
    const i = ids.indexOf(id);
    if (i < 0) return null;
    pieces.splice(i, 1);
    ids.splice(i, 1);
    shiftedFrom = Math.min(shiftedFrom, Math.floor(i / BLOCK_ROWS));
  }
  for (const source of change.appended ?? []) {
    const row = deriveRow(source, now);
    pieces.push(row.piece);
    ids.push(source.id);
    until = Math.min(until, row.until);
  }
  const last = kept.blocks.length - 1;
  const reuse = kept.blocks.map((block, k) => (k < shiftedFrom && k < last && !dirty.has(k) ? block : null));
  return { pieces, ids, until, reuse };
}

/**
 * How rows changed elsewhere (another instance's writes, read by revision) apply to kept rows: a
 * changed row the kept rows hold is replaced in place (a row's place, its install order, never
 * changes); one they do not hold is new and is appended — only if the new rows are the list's tail,
 * each followed by nothing or by another new row (`next`: the id after each changed row in the list
 * now). Removals of rows never kept (added and removed since) are nothing to apply. Null: the order
 * cannot be kept by appending (a clock stepped back); the answer is built afresh.
 */
export function catchUpPlan(
  keptIds: readonly string[],
  changedIds: readonly string[],
  next: readonly (string | null)[],
  removed: readonly string[],
): { appended: string[]; removed: string[] } | null {
  const held = new Set(keptIds);
  const gone = [...new Set(removed.filter((id) => held.has(id)))];
  for (const id of gone) held.delete(id);
  const appended = changedIds.filter((id) => !held.has(id));
  const added = new Set(appended);
  for (let i = 0; i < changedIds.length; i++) {
    const after = next[i] ?? null;
    if (!held.has(changedIds[i]!) && after !== null && !added.has(after)) return null;
  }
  return { appended, removed: gone };
}
