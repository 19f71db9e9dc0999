/**
 * A list worker thread (list-workers.ts hands it jobs): builds an answer from the database's row
 * facts (their JSON text, parsed here), re-derives kept rows at a later clock, or updates kept rows
 * by rows changed — by a write of this instance or caught up from another's. Everything heavy about
 * a list answer happens here; rows travel packed (list-answer.ts PackedRows).
 */
import { parentPort } from 'node:worker_threads';
import type { RowSource } from '@certdesk/shared/certificate-row';
import { applyChange, assemble, deriveRows, endsOf, unpack } from './list-answer';
import type { ListJob, ListJobAnswer } from './list-workers';

/** A buffer's memory moved, not copied, when it is the whole of its ArrayBuffer (not a pooled slice). */
const movable = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? [b.buffer as ArrayBuffer] : []);

parentPort!.on('message', (job: ListJob) => {
  let answer: ListJobAnswer;
  try {
    let rows: { pieces: string[]; ids: string[]; until: number };
    let reuse: (Uint8Array | null)[] = [];
    if (job.kind === 'patch') {
      const changed = JSON.parse(job.changed) as RowSource[];
      const added = new Set(job.appended);
      const change = {
        replaced: changed.filter((row) => !added.has(row.id)),
        appended: changed.filter((row) => added.has(row.id)),
        removed: job.removed,
      };
      const applied = applyChange(unpack(job.kept), change, new Date(job.now));
      if (!applied) throw new Error('as linhas guardadas não correspondem às mudanças');
      ({ reuse, ...rows } = applied);
    } else {
      const sources = (
        job.kind === 'build' ? JSON.parse(job.sources) : JSON.parse(Buffer.from(job.sources).toString('utf8'))
      ) as RowSource[];
      rows = deriveRows(sources, new Date(job.now));
    }
    const assembled = assemble(rows.pieces, reuse);
    answer = { id: job.id, ok: true, ...assembled, ends: endsOf(rows.pieces), ids: rows.ids.join('\n'), until: rows.until };
  } catch (error) {
    answer = { id: job.id, ok: false, message: (error as Error).message };
  }
  parentPort!.postMessage(answer, answer.ok ? [...movable(answer.body), ...movable(answer.gzip), answer.ends.buffer as ArrayBuffer] : []);
});
