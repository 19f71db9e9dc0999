import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsService } from '#desktop/settings/settings-service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings on a real lowdb folder', () => {
  it('starts with pt-BR, the system theme and Produção', async () => {
    expect((await SettingsService.open(dir)).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('persists an update and reads it back in a new instance', async () => {
    const settings = await SettingsService.open(dir);
    await settings.update({ locale: 'en', environment: 'homologacao' });
    const json = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(json).toEqual({ locale: 'en', theme: 'system', environment: 'homologacao' });
    expect((await SettingsService.open(dir)).get()).toMatchObject({ locale: 'en', environment: 'homologacao' });
  });

  it('ignores unknown values in an edited file instead of failing', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ locale: 'fr', theme: 'dark', environment: 42 }));
    expect((await SettingsService.open(dir)).get()).toEqual({ locale: 'pt-BR', theme: 'dark', environment: 'producao' });
  });

  it('keeps a copy of an unparseable file, starts from defaults and saves the next change', async () => {
    await writeFile(join(dir, 'settings.json'), '{ not json');
    const settings = await SettingsService.open(dir);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    const [backup] = (await readdir(dir)).filter((name) => name.startsWith('settings.json.corrompido-'));
    expect(await readFile(join(dir, backup!), 'utf8')).toBe('{ not json');
    await settings.update({ locale: 'en' });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ locale: 'en' });
  });
});
