/**
 * A list worker thread (list-workers.ts hands it jobs): builds an answer from the database's row
 * facts (their JSON text, parsed here), re-derives kept rows at a later clock, puts an answer
 * together from its pieces after a write, or catches kept rows up with rows changed elsewhere.
 * Everything heavy about a list answer happens here.
 */
import { parentPort } from 'node:worker_threads';
import type { RowSource } from '@certdesk/shared/certificate-row';
import { applyChange, assemble, deriveRows } from './list-answer';
import type { ListJob, ListJobAnswer } from './list-workers';

/** A buffer's memory moved, not copied, when it is the whole of its ArrayBuffer (not a pooled slice). */
const movable = (b: Buffer) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? [b.buffer as ArrayBuffer] : []);

parentPort!.on('message', (job: ListJob) => {
  let answer: ListJobAnswer;
  try {
    if (job.kind === 'assemble') {
      answer = { id: job.id, ok: true, ...assemble(job.pieces, job.reuse) };
    } else if (job.kind === 'patch') {
      const changed = JSON.parse(job.changed) as RowSource[];
      const added = new Set(job.appended);
      const change = {
        replaced: changed.filter((row) => !added.has(row.id)),
        appended: changed.filter((row) => added.has(row.id)),
        removed: job.removed,
      };
      const applied = applyChange(job.kept, change, new Date(job.now));
      if (!applied) throw new Error('as linhas guardadas não correspondem às mudanças');
      const { reuse, ...rows } = applied;
      answer = { id: job.id, ok: true, ...rows, ...assemble(rows.pieces, reuse) };
    } else {
      const sources = (
        job.kind === 'build' ? JSON.parse(job.sources) : JSON.parse(Buffer.from(job.sources).toString('utf8'))
      ) as RowSource[];
      const derived = deriveRows(sources, new Date(job.now));
      answer = { id: job.id, ok: true, ...derived, ...assemble(derived.pieces) };
    }
  } catch (error) {
    answer = { id: job.id, ok: false, message: (error as Error).message };
  }
  parentPort!.postMessage(answer, answer.ok ? [...movable(answer.body), ...movable(answer.gzip)] : []);
});
