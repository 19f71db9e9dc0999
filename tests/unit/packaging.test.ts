/**
 * electron-builder packs what the app needs, checked as far as this machine allows: `--dir` with a
 * stand-in Electron distribution (the real binary cannot be downloaded here) must produce an
 * app.asar with the built main, preload and renderer, the keyring binary unpacked beside it, and no
 * test-bridge or renderer-only packages. Needs `npm run build` first (scripts/test.sh does it).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const asar = createRequire(import.meta.url)('@electron/asar') as { listPackage(path: string): string[] };
let dir: string;

afterAll(() => dir && rm(dir, { recursive: true, force: true }));

describe('packaging (electron-builder --dir)', () => {
  it('produces app.asar with main, preload, renderer and the unpacked keyring binary', async () => {
    dir = await mkdtemp(join(tmpdir(), 'certdesk-pack-'));
    const dist = join(dir, 'electron-dist');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dist);
    await writeFile(join(dist, 'electron'), '#!/bin/sh\necho stand-in\n');
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
          '-c.electronVersion=40.8.5',
          `-c.directories.output=${output}`,
        ],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stdout}\n${stderr}`)) : done()),
      ),
    );
    const resources = join(output, 'linux-unpacked', 'resources');
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
    expect(files.some((f) => f.startsWith('/out/renderer-bridge'))).toBe(false);
    expect(files.some((f) => f.startsWith('/electron/') || f.startsWith('/tests/'))).toBe(false);
    // The renderer is bundled: its libraries need not ship as node_modules.
    expect(files.some((f) => f.startsWith('/node_modules/naive-ui/'))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/node-forge/'))).toBe(true);
    const unpacked = readdirSync(join(resources, 'app.asar.unpacked/node_modules/@napi-rs'), { recursive: true }) as string[];
    expect(unpacked.some((f) => f.endsWith('.node'))).toBe(true);
  }, 240_000);
});
