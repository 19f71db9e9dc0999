/** The Electron shell's logic, tested without Electron: launch arguments, menus, window state. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitToDisplays, WindowStateStore } from '#desktop/window-state';
import { pfxPathsFromArgv } from '../../electron/launch-args';
import { menuTemplate, type MenuSpec } from '../../electron/menu-template';

describe('files handed over by a launch', () => {
  it('keeps .pfx/.p12 arguments (any case), resolves relative ones, drops flags', () => {
    expect(
      pfxPathsFromArgv(['--no-sandbox', 'empresa.pfx', '/certs/FILIAL.P12', 'notes.txt', '--inspect=9229'], '/home/ana/Downloads'),
    ).toEqual(['/home/ana/Downloads/empresa.pfx', '/certs/FILIAL.P12']);
    expect(pfxPathsFromArgv([], '/')).toEqual([]);
  });
});

function flatten(items: MenuSpec[]): MenuSpec[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

describe('native menu', () => {
  it('speaks Portuguese with the shortcuts of the product', () => {
    const items = flatten(menuTemplate('pt-BR', 'win32'));
    const byAction = Object.fromEntries(items.filter((i) => i.action).map((i) => [i.action, i]));
    expect(byAction['openFile']).toMatchObject({ label: 'Abrir PFX…', accelerator: 'CmdOrCtrl+O' });
    expect(byAction['newCertificate']).toMatchObject({ label: 'Novo certificado', accelerator: 'CmdOrCtrl+N' });
    expect(byAction['history']).toMatchObject({ label: 'Histórico', accelerator: 'CmdOrCtrl+4' });
    expect(byAction['settings']).toMatchObject({ label: 'Configurações', accelerator: 'CmdOrCtrl+,' });
    expect(byAction['reload']).toMatchObject({ label: 'Recarregar dados', accelerator: 'CmdOrCtrl+R' });
    expect(byAction['about']).toMatchObject({ label: 'Sobre o CertDesk' });
    expect(menuTemplate('pt-BR', 'win32').map((m) => m.label)).toEqual(['Arquivo', 'Editar', 'Exibir', 'Janela', 'Ajuda']);
    // No two items share a shortcut.
    const accelerators = items.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('speaks English, and on macOS puts About, Settings and Quit in the app menu', () => {
    const mac = menuTemplate('en', 'darwin');
    expect(mac.map((m) => m.label)).toEqual(['CertDesk', 'File', 'Edit', 'View', 'Window']);
    expect(mac[0]!.submenu!.map((i) => i.label ?? i.type)).toEqual([
      'About CertDesk',
      'separator',
      'Settings',
      'separator',
      'Hide CertDesk',
      'Hide others',
      'Show all',
      'separator',
      'Quit',
    ]);
    expect(flatten(mac).filter((i) => i.action === 'settings')).toHaveLength(1);
  });
});

describe('window state', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };

  it('keeps a position that is on a display and drops one that is not', () => {
    expect(fitToDisplays({ x: 100, y: 80, width: 1200, height: 800, maximized: false }, [display])).toEqual({
      x: 100,
      y: 80,
      width: 1200,
      height: 800,
      maximized: false,
    });
    expect(fitToDisplays({ x: 2500, y: 80, width: 1200, height: 800, maximized: true }, [display])).toEqual({
      width: 1200,
      height: 800,
      maximized: true,
    });
    expect(
      fitToDisplays({ x: 2500, y: 80, width: 1200, height: 800, maximized: false }, [
        display,
        { x: 1920, y: 0, width: 1920, height: 1080 },
      ]),
    ).toMatchObject({ x: 2500 });
  });

  it('never restores a window smaller than the minimum, and survives a damaged file', async () => {
    expect(fitToDisplays({ width: 200, height: 100 }, [display])).toMatchObject({ width: 960, height: 640 });
    const dir = await mkdtemp(join(tmpdir(), 'certdesk-window-'));
    const store = await WindowStateStore.open(dir);
    await store.save({ x: 10, y: 20, width: 1100, height: 700, maximized: false });
    expect((await WindowStateStore.open(dir)).restore([display])).toEqual({ x: 10, y: 20, width: 1100, height: 700, maximized: false });
    await writeFile(join(dir, 'window-state.json'), '{ broken');
    expect((await WindowStateStore.open(dir)).restore([display])).toEqual({ width: 1280, height: 820, maximized: false });
    await rm(dir, { recursive: true, force: true });
  });
});
