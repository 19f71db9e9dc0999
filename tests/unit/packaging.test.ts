/**
 * electron-builder packs what the app needs, checked as far as this machine allows: `--dir` with a
 * stand-in Electron distribution (the real binary cannot be downloaded here) must produce an
 * app.asar with the built main, preload and renderer, the keyring binary unpacked beside it, and no
 * browser-mode or renderer-only packages. Needs `npm run build` first (scripts/test.sh does it).
 *
 * The stand-in executable carries a fuse wire laid out as Electron's is (sentinel, version, length,
 * one byte per fuse, Electron's defaults), so electron-builder really flips the `electronFuses` of
 * electron-builder.yml with its own @electron/fuses, and the test reads the flipped wire back.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as { listPackage(path: string): string[] };
// The copy of @electron/fuses that electron-builder itself uses.
const fusesFromBuilder = createRequire(require.resolve('app-builder-lib/package.json'))('@electron/fuses') as {
  getCurrentFuseWire(path: string): Promise<Record<string, number | string>>;
  FuseV1Options: Record<string, number>;
};
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version;

// Electron's fuse wire: this sentinel, then version 1, the number of fuses, one byte each.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's defaults, in wire order: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, only-app-asar off, browser V8 snapshot off, file:// extra privileges on.
const DEFAULT_WIRE = '10110001';
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

function standInElectron(): Buffer {
  return Buffer.concat([
    Buffer.from('#!/bin/sh\necho stand-in\nexit 0\n# '),
    Buffer.from(SENTINEL),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
    Buffer.from('\n'),
  ]);
}

let dir: string;

afterAll(() => dir && rm(dir, { recursive: true, force: true }));

describe('packaging (electron-builder --dir)', () => {
  it('produces app.asar with main, preload, renderer and the unpacked keyring binary, and flips the fuses', async () => {
    dir = await mkdtemp(join(tmpdir(), 'certdesk-pack-'));
    const dist = join(dir, 'electron-dist');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dist);
    await writeFile(join(dist, 'electron'), standInElectron());
    await chmod(join(dist, 'electron'), 0o755);
    const output = join(dir, 'release');
    await new Promise<void>((done, fail) =>
      execFile(
        process.execPath,
        [
          join(ROOT, 'node_modules/electron-builder/cli.js'),
          '--linux',
          'dir',
          `-c.electronDist=${dist}`,
          `-c.electronVersion=${ELECTRON_VERSION}`,
          `-c.directories.output=${output}`,
        ],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stdout}\n${stderr}`)) : done()),
      ),
    );
    const unpackedApp = join(output, 'linux-unpacked');
    const resources = join(unpackedApp, 'resources');
    const files = asar.listPackage(join(resources, 'app.asar'));
    for (const needed of [
      '/out/main/main.js',
      '/out/main/pfx-worker.js',
      '/out/main/cli.js',
      '/out/preload/preload.cjs',
      '/out/renderer/index.html',
      '/package.json',
    ]) {
      expect(files).toContain(needed);
    }
    expect(files.some((f) => f.startsWith('/out/renderer-browser'))).toBe(false);
    expect(files.some((f) => f.startsWith('/electron/') || f.startsWith('/tests/'))).toBe(false);
    // The renderer is bundled: its libraries need not ship as node_modules.
    expect(files.some((f) => f.startsWith('/node_modules/naive-ui/'))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/node-forge/'))).toBe(true);
    const unpacked = readdirSync(join(resources, 'app.asar.unpacked/node_modules/@napi-rs'), { recursive: true }) as string[];
    expect(unpacked.some((f) => f.endsWith('.node'))).toBe(true);

    // The fuses, as electron-builder wrote them into the packaged executable.
    const executable = join(unpackedApp, 'certdesk');
    expect((await readFile(executable)).includes(SENTINEL)).toBe(true);
    const wire = await fusesFromBuilder.getCurrentFuseWire(executable);
    const fuse = (name: string) => wire[fusesFromBuilder.FuseV1Options[name]!];
    expect(wire['version']).toBe('1');
    expect(fuse('RunAsNode')).toBe(OFF);
    expect(fuse('EnableNodeOptionsEnvironmentVariable')).toBe(OFF);
    expect(fuse('EnableNodeCliInspectArguments')).toBe(OFF);
    expect(fuse('EnableEmbeddedAsarIntegrityValidation')).toBe(ON);
    expect(fuse('OnlyLoadAppFromAsar')).toBe(ON);
    expect(fuse('EnableCookieEncryption')).toBe(ON);
    expect(fuse('GrantFileProtocolExtraPrivileges')).toBe(OFF);
    expect(fuse('LoadBrowserProcessSpecificV8Snapshot')).toBe(OFF); // not configured: Electron's default stays
  }, 240_000);
});
