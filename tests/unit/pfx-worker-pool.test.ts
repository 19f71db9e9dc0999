/**
 * The worker pool as CertDesk Cloud will use it (packages/core/pfx/worker-pool.ts): bytes handed
 * over by transfer, a cap of running jobs per owner so one tenant cannot occupy every worker, and
 * a time limit that really ends the worker. Real worker threads, real fixtures.
 */
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { PfxInspection } from '@certdesk/shared/contract';
import { tlsCredentialsFromPfx } from '@certdesk/core/pfx/tls-credentials';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import * as hostile from '../../scripts/fixtures/hostile';
import { PASSWORD, pfx } from '../fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const bytesOf = (name: string) => readFileSync(pfx(name));
let pool: PfxWorkerPool;
afterEach(() => pool?.close());

/** The pool's worker threads, kept by its PfxWorkerThreads (what a test needs to watch one end). */
const workersOf = (p: PfxWorkerPool) =>
  (p as unknown as { threads: { slots: { worker: Worker }[] } }).threads.slots.map((slot) => slot.worker);

describe('bytes instead of a path', () => {
  it('reads bytes in a worker; by default the caller keeps its buffer (only the bytes are copied)', async () => {
    pool = new PfxWorkerPool(1);
    const bytes = bytesOf('v01_default.pfx');
    const result = await pool.inspectBytes(bytes, 'empresa.pfx', PASSWORD, NOW);
    expect(result).toMatchObject({ file: 'empresa.pfx', certificate: { holderName: 'EMPRESA EXEMPLO LTDA' } });
    expect(bytes.equals(bytesOf('v01_default.pfx'))).toBe(true);
  });

  it('with transfer, a buffer the caller owns whole is handed over without a copy (detached here)', async () => {
    pool = new PfxWorkerPool(1);
    const owned = new Uint8Array(bytesOf('v23_ecpf.pfx'));
    const result = await pool.inspectBytes(owned, 'ecpf.pfx', PASSWORD, NOW, { transfer: true });
    expect(result.certificate!.type).toBe('e-CPF');
    expect(owned.buffer.byteLength).toBe(0);
  });

  it('a hostile upload is refused by the worker with TOO_COMPLEX, and the pool goes on', async () => {
    pool = new PfxWorkerPool(1);
    await expect(pool.inspectBytes(hostile.hugeKeyLength(), 'hostil.pfx', null, NOW)).rejects.toMatchObject({
      code: 'TOO_COMPLEX',
      details: { limit: 'keyLength', derived: '0' },
    });
    expect((await pool.inspectBytes(bytesOf('v01_default.pfx'), 'ok.pfx', PASSWORD, NOW)).certificate).not.toBeNull();
  });

  it('more than 10 MB is TOO_LARGE before any worker starts', async () => {
    pool = new PfxWorkerPool(1);
    await expect(pool.inspectBytes(Buffer.alloc(10 * 1024 * 1024 + 1, 0x30), 'grande.pfx', null, NOW)).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
    expect(pool.stats().workers).toBe(0);
  });
});

describe("a cloud install's raw body", () => {
  const body = (fields: Record<string, unknown>) =>
    Buffer.from(JSON.stringify({ fileName: 'empresa.pfx', password: PASSWORD, selection: [], ...fields }));

  it('is read in the worker: the fields, the PFX bytes back by transfer, the inspection and the chain', async () => {
    pool = new PfxWorkerPool(1);
    const file = bytesOf('v01_default.pfx');
    const raw = body({ pfxBase64: file.toString('base64'), selection: [{ branch: '0001', modules: ['nfe'] }], manual: true });
    const opened = await pool.openUploadBody('installCertificate', raw, NOW, { transfer: true });
    expect(opened.upload).toMatchObject({
      fileName: 'empresa.pfx',
      password: PASSWORD,
      fields: { selection: [{ branch: '0001', modules: ['nfe'] }], manual: true },
    });
    expect(opened.upload.pfx.equals(file)).toBe(true);
    expect(opened.inspection.certificate!.holderName).toBe('EMPRESA EXEMPLO LTDA');
    expect(opened.certificates.length).toBeGreaterThan(0);
  });

  it('refuses what the contract refuses, in the words the server uses for any body, and the pool goes on', async () => {
    pool = new PfxWorkerPool(1);
    const refusals: [Buffer, RegExp][] = [
      [Buffer.from('{"fileName": '), /o corpo não é JSON válido/],
      [Buffer.from(JSON.stringify({ fileName: 'a.pfx' })), /^Requisição inválida: campo \(corpo\) must have required property/],
      [body({ pfxBase64: 'AAAA', fileName: '../a.pfx' }), /fileName deve ser só o nome do arquivo/],
      [body({ pfxBase64: 'AA A' }), /pfxBase64 não é base64 válido/],
      [body({ pfxBase64: 'AAAA', fileName: 'a\\u0000.pfx' }), /caractere nulo/],
    ];
    for (const [raw, message] of refusals)
      await expect(pool.openUploadBody('installCertificate', raw, NOW)).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        message: expect.stringMatching(message),
      });
    // A body that is fine but whose file is hostile: the engine's budget, as for any upload.
    await expect(
      pool.openUploadBody('installCertificate', body({ pfxBase64: hostile.hugeKeyLength().toString('base64'), password: null }), NOW),
    ).rejects.toMatchObject({
      code: 'TOO_COMPLEX',
    });
    expect(
      (await pool.openUploadBody('installCertificate', body({ pfxBase64: bytesOf('v23_ecpf.pfx').toString('base64') }), NOW)).inspection
        .certificate!.type,
    ).toBe('e-CPF');
  });
});

describe("a stored PFX's TLS credentials", () => {
  it('are opened in a worker, the same as on the calling thread, with the same refusals', async () => {
    pool = new PfxWorkerPool(1);
    const file = bytesOf('v01_default.pfx');
    const inWorker = await pool.tlsCredentials(file, PASSWORD, NOW, { owner: 'tenant-a' });
    const here = tlsCredentialsFromPfx(file, PASSWORD, NOW);
    expect(inWorker).toEqual(here);
    expect(inWorker.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    await expect(pool.tlsCredentials(file, 'senha errada', NOW)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });
});

describe('a cap of running jobs per owner', () => {
  /** Tenant A uploads three slow files (v10: 100,000 iterations ×3), then tenant B one ordinary file. */
  function submit(p: PfxWorkerPool) {
    const a = [1, 2, 3].map(() => p.inspectBytes(bytesOf('v10_iter100000.pfx'), 'a.pfx', PASSWORD, NOW, { owner: 'A' }));
    const b = p.inspectBytes(bytesOf('v01_default.pfx'), 'b.pfx', PASSWORD, NOW, { owner: 'B' });
    return { a, b };
  }

  it('with maxPerOwner 1, A holds one of two workers and waits in its own queue; B runs at once', async () => {
    pool = new PfxWorkerPool(2, 60_000, { maxPerOwner: 1 });
    const { a, b } = submit(pool);
    // B's job runs from its submission, beside A's one (B never waits for A's queue). How many of
    // A's files finish before B's is the machine's timing, not the pool's rule, so it is not asserted.
    expect(pool.stats().owners).toEqual({ A: { running: 1, queued: 2 }, B: { running: 1, queued: 0 } });
    const answer: PfxInspection = await b;
    expect(answer.certificate!.holderName).toBe('EMPRESA EXEMPLO LTDA');
    expect(pool.stats().owners['A']?.running ?? 0).toBeLessThanOrEqual(1); // the cap holds while A's queue drains
    expect((await Promise.all(a)).map((r) => r.protection.macIterations)).toEqual([100_000, 100_000, 100_000]);
    expect(pool.stats()).toMatchObject({ queued: 0, busyWorkers: 0 });
  });

  it('without a cap the same uploads take both workers and B waits behind A', async () => {
    pool = new PfxWorkerPool(2);
    const { a, b } = submit(pool);
    expect(pool.stats().owners).toEqual({ A: { running: 2, queued: 1 }, B: { running: 0, queued: 1 } });
    await Promise.all([...a, b]);
  });

  it('jobs without an owner (desktop, CLI) are never capped', async () => {
    pool = new PfxWorkerPool(2, 60_000, { maxPerOwner: 1 });
    const jobs = [1, 2].map(() => pool.inspectBytes(bytesOf('v01_default.pfx'), 'x.pfx', PASSWORD, NOW));
    expect(pool.stats().owners).toEqual({ '': { running: 2, queued: 0 } });
    await Promise.all(jobs);
  });
});

describe('a time limit that ends the worker', () => {
  it('a job past its limit answers TIMEOUT and its worker thread exits; the next job gets a new worker', async () => {
    pool = new PfxWorkerPool(1);
    await pool.inspectBytes(bytesOf('v01_default.pfx'), 'warm.pfx', PASSWORD, NOW); // the worker is loaded
    const [worker] = workersOf(pool);
    const exited = new Promise<number>((done) => worker!.once('exit', done));
    pool.jobTimeoutMs = 1; // v10 needs three derivations of 100,000 iterations: far more than 1 ms
    await expect(pool.inspectBytes(bytesOf('v10_iter100000.pfx'), 'lento.pfx', PASSWORD, NOW)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await exited).toBe(1); // terminated, not left running
    expect(pool.stats()).toMatchObject({ workers: 0, running: 0, timedOut: 1 });
    pool.jobTimeoutMs = 60_000;
    expect((await pool.inspect(pfx('v01_default.pfx'), PASSWORD, NOW)).certificate).not.toBeNull();
    expect(workersOf(pool)[0]).not.toBe(worker);
  });

  it('close() ends every worker, waiting ones included, and answers what was pending', async () => {
    pool = new PfxWorkerPool(1);
    const pending = [1, 2].map(() =>
      pool.inspectBytes(bytesOf('v10_iter100000.pfx'), 'x.pfx', PASSWORD, NOW).catch((error: unknown) => error),
    );
    const [worker] = workersOf(pool);
    const exited = new Promise<number>((done) => worker!.once('exit', done));
    await pool.close();
    await exited;
    for (const outcome of await Promise.all(pending)) expect(outcome).toMatchObject({ code: 'INTERNAL' });
  });
});
