/** The two channels added for the renderer: its error log line, and showing a downloaded file's folder. */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#desktop/composition-root';
import { dispatch } from '#desktop/dispatch';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';

let dir: string;
let core: Core;
let shown: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-channels-'));
  shown = [];
  core = await createCore({
    dataDir: join(dir, 'data'),
    shell: 'electron',
    version: 'test',
    keychain: new MemoryKeychain(),
    showInFolder: (file) => shown.push(file),
  });
});
afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const log = () => readFile(join(dir, 'data', 'logs', 'certdesk.log'), 'utf8').catch(() => '');

describe('app:logError', () => {
  it('logs the source, the code and the class', async () => {
    const answer = await dispatch(core.handlers, 'app:logError', { source: 'vue', code: 'CLOUD_OFFLINE', kind: 'ApiError' });
    expect(answer).toEqual({ ok: true, data: null });
    expect(await log()).toContain('[renderer] vue error: CLOUD_OFFLINE (ApiError)');
  });

  it('refuses anything that could carry a message or a secret', async () => {
    for (const bad of [
      { source: 'vue', code: 'INTERNAL', kind: 'senha 12345 errada' },
      { source: 'vue', code: 'INTERNAL', kind: 'Error', message: '/home/maria/certificado.pfx' },
      { source: 'vue', code: 'SENHA_12345', kind: 'Error' },
      { source: 'console', code: 'INTERNAL', kind: 'Error' },
    ]) {
      const answer = await dispatch(core.handlers, 'app:logError', bad);
      expect(answer.ok ? null : answer.error.code).toBe('INVALID_REQUEST');
    }
    const written = await log();
    expect(written).not.toContain('12345');
    expect(written).not.toContain('maria');
  });
});

describe('invoicy:openFolder', () => {
  it("shows a downloaded file in the system's file manager and answers its folder", async () => {
    const downloads = join(dir, 'data', 'downloads');
    await mkdir(downloads, { recursive: true });
    const file = join(downloads, 'certificado-52998224725.pfx');
    await writeFile(file, 'x');
    const answer = await dispatch(core.handlers, 'invoicy:openFolder', { file });
    expect(answer).toEqual({ ok: true, data: { opened: true, folder: downloads } });
    expect(shown).toEqual([file]);
  });

  it('refuses any other path, also through a link, and a file that is gone', async () => {
    const downloads = join(dir, 'data', 'downloads');
    await mkdir(downloads, { recursive: true });
    const outside = join(dir, 'outside.pfx');
    await writeFile(outside, 'x');
    await symlink(outside, join(downloads, 'link.pfx'));
    for (const file of [
      outside,
      join(downloads, 'link.pfx'),
      join(downloads, '..', 'settings.json'),
      join(downloads, 'gone.pfx'),
      downloads,
    ]) {
      const answer = await dispatch(core.handlers, 'invoicy:openFolder', { file });
      expect(answer.ok ? 'opened' : answer.error.code, file).toBe('NOT_FOUND');
    }
    expect(shown).toEqual([]);
  });

  it('without a file manager (browser mode) it answers the folder to show instead', async () => {
    const browser = await createCore({ dataDir: join(dir, 'browser'), shell: 'browser', version: 'test', keychain: new MemoryKeychain() });
    try {
      const downloads = join(dir, 'browser', 'downloads');
      await mkdir(downloads, { recursive: true });
      await writeFile(join(downloads, 'a.pfx'), 'x');
      const answer = await dispatch(browser.handlers, 'invoicy:openFolder', { file: join(downloads, 'a.pfx') });
      expect(answer).toEqual({ ok: true, data: { opened: false, folder: downloads } });
    } finally {
      await browser.close();
    }
  });
});
