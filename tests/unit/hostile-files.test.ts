/**
 * Hostile local inputs and a crashing reader (docs/SECURITY.md): a FIFO or a device named .pfx must
 * not hang or flood; a worker that dies is replaced without taking innocent workers with it; a job
 * that runs too long is abandoned and its worker's other jobs still get answered.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { PASSWORD, pfx } from '../fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-hostile-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('only regular files are read', () => {
  it('a FIFO named .pfx is refused at once instead of hanging', async () => {
    const fifo = join(dir, 'x.pfx');
    execFileSync('mkfifo', [fifo]);
    await expect(inspectFile(fifo, { password: PASSWORD })).rejects.toMatchObject({
      code: 'UNREADABLE',
      message: expect.stringContaining('não é um arquivo comum'),
    });
  });

  it('a link to /dev/zero named .pfx is refused instead of read without end', async () => {
    const link = join(dir, 'z.pfx');
    await symlink('/dev/zero', link);
    await expect(inspectFile(link, { password: PASSWORD })).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});

describe('worker pool', () => {
  it('a worker that reports an error and then exits is replaced once: innocent workers stay', async () => {
    const pool = new PfxWorkerPool(3);
    try {
      const files = ['v01_default.pfx', 'v23_ecpf.pfx', 'v42_other_company.pfx'];
      await Promise.all(files.map((f) => pool.inspect(pfx(f), PASSWORD, new Date())));
      const slots = (pool as unknown as { threads: { slots: { worker: import('node:worker_threads').Worker }[] } }).threads.slots;
      expect(slots).toHaveLength(3);
      const victim = slots[0]!.worker;
      const exited = new Promise((done) => victim.once('exit', done));
      victim.emit('error', new Error('crash')); // what a worker that throws does first…
      await victim.terminate(); // …then it exits
      await exited;
      expect(slots).toHaveLength(2);
      const results = await Promise.all(files.map((f) => pool.inspect(pfx(f), PASSWORD, new Date())));
      expect(results.map((r) => r.certificate!.fingerprints.sha1)).toHaveLength(3);
      expect(slots.length).toBeLessThanOrEqual(3);
    } finally {
      await pool.close();
    }
  });

  it('a job past its time limit answers TIMEOUT and the pool keeps answering', async () => {
    // 1 ms is shorter than starting a worker thread, so the first job cannot finish in time.
    const pool = new PfxWorkerPool(1, 1);
    try {
      await expect(pool.inspect(pfx('v10_iter100000.pfx'), PASSWORD, new Date())).rejects.toMatchObject({ code: 'TIMEOUT' });
      pool.jobTimeoutMs = 60_000;
      const result = await pool.inspect(pfx('v01_default.pfx'), PASSWORD, new Date());
      expect(result.certificate!.holderName).toBe('EMPRESA EXEMPLO LTDA');
    } finally {
      await pool.close();
    }
  });
});
