/**
 * Kill a writer process mid-write many times; after each kill every document must parse and every
 * confirmed operation must be there (docs/PRODUCT.md §7: a crash loses nothing already confirmed).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { PASSWORD, pfx } from '../fixtures';
import { seededRandom, testSeed } from './helpers/seeded-random';

const WRITER = resolve(import.meta.dirname, 'helpers/workspace-writer.ts');
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let bundleDir: string;
let writerBundle: string;
let certificateId: string;

const open = () =>
  new WorkspaceService({ dataDir: dir, keychain: new MemoryKeychain(), inspect: (p, pw) => inspectFile(p, { password: pw }) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-crash-'));
  // The writer is bundled once into plain JavaScript: started twenty times through tsx it paid the
  // TypeScript loader each time (about 0.9 CPU-second a start against 0.2 for the bundle).
  bundleDir = await mkdtemp(join(tmpdir(), 'certdesk-crash-writer-'));
  writerBundle = join(bundleDir, 'workspace-writer.mjs');
  await build({
    entryPoints: [WRITER],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: writerBundle,
    // CommonJS dependencies (node-forge) call require(): give the ES module one.
    banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const service = open();
  await service.setup('producao', { kind: 'example' });
  certificateId = (await service.install('producao', { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] })).certificate.id;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(bundleDir, { recursive: true, force: true });
});

/**
 * Run the writer, kill it once it has confirmed `killAfter` edits — while it is in the middle of
 * the next one, `offsetMs` into it — and return the confirmed ops. Counting confirmations, not
 * time, means the writer always did work before the kill, however fast or slow the machine; the
 * offset only spreads the moment of the crash over the next write (it waits for nothing).
 */
function runAndKill(start: number, killAfter: number, offsetMs: number): Promise<number[]> {
  return new Promise((done) => {
    // The writer itself is the child (no CLI wrapper in between, which a kill would miss).
    const child = spawn(process.execPath, [writerBundle, dir, certificateId, String(start)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const confirmed: number[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('C ')) continue;
        confirmed.push(Number(line.slice(2)));
        if (confirmed.length === killAfter) setTimeout(() => child.kill('SIGKILL'), offsetMs);
      }
    });
    child.on('exit', () => done(confirmed));
  });
}

async function allDocumentsParse(): Promise<void> {
  const ws = join(dir, 'workspaces', 'producao');
  const files = [
    'workspace.json',
    'certificates.json',
    'journal.json',
    ...(await readdir(join(ws, 'history'))).filter((n) => n.endsWith('.json')).map((n) => `history/${n}`),
  ];
  for (const file of files) {
    const text = await readFile(join(ws, file), 'utf8');
    expect(() => JSON.parse(text), file).not.toThrow();
  }
}

describe('crash safety of the embedded workspace', () => {
  it('survives 20 kills at random moments without losing a confirmed edit', async () => {
    const random = seededRandom(testSeed(7));
    for (let round = 0; round < 20; round++) {
      const where = `round ${round}, seed ${random.seed} (CERTDESK_TEST_SEED)`;
      const editsBefore = (await open().history('producao', { certificateId, action: 'edit', limit: 1000 })).entries.length;
      const killAfter = random.int(1, 4);
      const confirmed = await runAndKill(editsBefore, killAfter, random.int(0, 15));
      // The writer reached the kill: it did not die on its own before confirming that many edits.
      expect(confirmed.length, where).toBeGreaterThanOrEqual(killAfter);
      await allDocumentsParse();
      // Reopen (this runs journal recovery) and check every confirmed edit is in the history.
      const service = open();
      const edits = (await service.history('producao', { certificateId, action: 'edit', limit: 1000 })).entries;
      expect(edits.length, where).toBeGreaterThanOrEqual(editsBefore + confirmed.length);
      // At most one edit more than confirmed: one that committed just before the kill.
      expect(edits.length, where).toBeLessThanOrEqual(editsBefore + confirmed.length + 1);
      const current = await service.get('producao', certificateId);
      expect(current.links, where).toEqual(edits[0]?.after ?? []);
    }
    const journal = JSON.parse(await readFile(join(dir, 'workspaces', 'producao', 'journal.json'), 'utf8'));
    expect(journal).toEqual({ pending: null });
  }, 120_000);
});
