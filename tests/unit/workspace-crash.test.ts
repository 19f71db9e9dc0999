/**
 * Kill a writer process mid-write many times; after each kill every document must parse and every
 * confirmed operation must be there (PRODUCT.md §7: a crash loses nothing already confirmed).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { inspectFile } from '#core/pfx/inspect';
import { WorkspaceService } from '#core/workspace/workspace-service';
import { PASSWORD, pfx } from '../fixtures';

const WRITER = resolve(import.meta.dirname, 'helpers/workspace-writer.ts');
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let certificateId: string;

const open = () =>
  new WorkspaceService({ dataDir: dir, keychain: new MemoryKeychain(), inspect: (p, pw) => inspectFile(p, { password: pw }) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-crash-'));
  const service = open();
  await service.setup('producao', { kind: 'example' });
  certificateId = (await service.install('producao', { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] })).certificate.id;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Run the writer until a random moment after it is ready, kill it, return the confirmed ops. */
function runAndKill(start: number, delayMs: number): Promise<number[]> {
  return new Promise((done) => {
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild a kill would miss.
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, certificateId, String(start)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const confirmed: number[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === 'READY') setTimeout(() => child.kill('SIGKILL'), delayMs);
        else if (line.startsWith('C ')) confirmed.push(Number(line.slice(2)));
      }
    });
    child.on('exit', () => done(confirmed));
  });
}

async function allDocumentsParse(): Promise<void> {
  const ws = join(dir, 'workspaces', 'producao');
  const files = ['workspace.json', 'certificates.json', 'journal.json', ...(await readdir(join(ws, 'history'))).filter((n) => n.endsWith('.json')).map((n) => `history/${n}`)];
  for (const file of files) {
    const text = await readFile(join(ws, file), 'utf8');
    expect(() => JSON.parse(text), file).not.toThrow();
  }
}

describe('crash safety of the embedded workspace', () => {
  it('survives 20 kills at random moments without losing a confirmed edit', async () => {
    let confirmedInAll = 0;
    const random = (() => {
      let seed = 7;
      return () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    })();
    for (let round = 0; round < 20; round++) {
      const editsBefore = (await open().history('producao', { certificateId, action: 'Edição', limit: 1000 })).entries.length;
      const confirmed = await runAndKill(editsBefore, 20 + Math.floor(random() * 300));
      confirmedInAll += confirmed.length;
      await allDocumentsParse();
      // Reopen (this runs journal recovery) and check every confirmed edit is in the history.
      const service = open();
      const edits = (await service.history('producao', { certificateId, action: 'Edição', limit: 1000 })).entries;
      expect(edits.length).toBeGreaterThanOrEqual(editsBefore + confirmed.length);
      // At most one edit more than confirmed: one that committed just before the kill.
      expect(edits.length).toBeLessThanOrEqual(editsBefore + confirmed.length + 1);
      const current = await service.get('producao', certificateId);
      expect(current.links).toEqual(edits[0]?.after ?? []);
    }
    expect(confirmedInAll).toBeGreaterThan(20); // the writer really did work between kills
    const journal = JSON.parse(await readFile(join(dir, 'workspaces', 'producao', 'journal.json'), 'utf8'));
    expect(journal).toEqual({ pending: null });
  }, 120_000);
});
