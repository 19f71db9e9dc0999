/**
 * Broken side documents never stop the app (docs/SECURITY.md): a damaged preference document is
 * copied aside once, defaults are used and the UI is told; the log lives in the data folder, 0600.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCore } from '#desktop/composition-root';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-side-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const open = () => createCore({ dataDir: dir, shell: 'browser', version: 't', keychain: new MemoryKeychain() });

it('damaged invoicy.json, backends.json and settings.json: the core opens with defaults, one backup each, and says so', async () => {
  await writeFile(join(dir, 'invoicy.json'), '{"homologacao": {"url": ');
  await writeFile(join(dir, 'backends.json'), 'null');
  await writeFile(join(dir, 'settings.json'), '[1, 2');
  for (let round = 0; round < 2; round++) {
    const core = await open();
    try {
      const info = await core.handlers['app:info'](undefined);
      expect(info.preferenceResets.map((r) => r.document).sort()).toEqual(['backends.json', 'invoicy.json', 'settings.json']);
      expect(info.preferenceResets.every((r) => r.backup?.startsWith(join(dir, r.document)))).toBe(true);
      expect(await core.handlers['settings:get'](undefined)).toMatchObject({ locale: 'pt-BR', environment: 'producao' });
      expect(await core.handlers['invoicy:getSettings']({ environment: 'homologacao' })).toMatchObject({ hasEmpPK: false });
      expect(await core.handlers['backend:get']({ environment: 'producao' })).toMatchObject({ kind: 'embedded' });
    } finally {
      await core.close();
    }
  }
  const backups = (await readdir(dir)).filter((name) => name.includes('.corrompido-'));
  expect(backups).toHaveLength(3); // two opens, one copy per damaged document
});

it('keeps a log in the data folder (0600) that names what failed, never its text', async () => {
  await writeFile(join(dir, 'invoicy.json'), '{"segredo-no-texto": ');
  const core = await open();
  const { logFile } = await core.handlers['app:info'](undefined);
  await core.close();
  expect(logFile).toBe(join(dir, 'logs', 'certdesk.log'));
  expect((await stat(logFile)).mode & 0o777).toBe(0o600);
  const log = await readFile(logFile, 'utf8');
  expect(log).toContain('invoicy.json could not be read (WORKSPACE_CORRUPT): using defaults');
  expect(log).not.toContain('segredo-no-texto');
});
