/**
 * A step that may fail without stopping the operation logs what failed by kind, and for an error
 * without a code where it was thrown — never the error's text (paths, secrets a library put there).
 * Written to a real data folder's log.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { CertdeskError, logAndContinue } from '@certdesk/core/errors';
import { logToFolder } from '@certdesk/core/log';

let dir: string;
let logFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-log-'));
  logFile = logToFolder(dir);
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // stderr stays quiet; the file is read
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

it('names the kind and the file and line it came from, never the message, and answers the fallback', async () => {
  const secret = 'senha=Segredo#2026 em /home/ana/certificados/empresa.pfx';
  expect(logAndContinue('revocation recheck (producao)', 'fallback')(new Error(secret))).toBe('fallback');
  logAndContinue('a read', null)(Object.assign(new Error(secret), { code: 'EACCES' }));
  logAndContinue('an install', null)(new CertdeskError('WRONG_PASSWORD', secret));
  const log = await readFile(logFile, 'utf8');
  expect(log).toMatch(/revocation recheck \(producao\) failed: Error at log-and-continue\.test\.ts:\d+\n/);
  expect(log).toMatch(/a read failed: EACCES\n/);
  expect(log).toMatch(/an install failed: WRONG_PASSWORD\n/);
  expect(log).not.toMatch(/Segredo|home|empresa\.pfx/);
});
