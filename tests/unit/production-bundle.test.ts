/**
 * The packaged app must not contain the browser mode. scripts/test.sh builds the desktop bundle
 * (`electron-vite build`) first; this reads what would be packaged.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const OUT = resolve(import.meta.dirname, '../../out');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// Strings only browser mode's code contains.
const MARKERS = ['X-CertDesk-Token', '/stage?name=', '/rpc/', 'startBrowserModeServer', '/test/reset'];

describe('production bundle', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(join(OUT, 'renderer/index.html'))).toBe(true);
    expect(existsSync(join(OUT, 'main/main.js'))).toBe(true);
    expect(existsSync(join(OUT, 'preload/preload.cjs'))).toBe(true);
  });

  it('has no browser-mode code in main, preload or renderer', () => {
    for (const dir of ['main', 'preload', 'renderer']) {
      for (const file of files(join(OUT, dir)).filter((f) => /\.(c?js|html)$/.test(f))) {
        const text = readFileSync(file, 'utf8');
        for (const marker of MARKERS) expect(text.includes(marker), `${marker} in ${file}`).toBe(false);
      }
    }
  });

  it('the browser-mode build does contain it (so the check above can fail)', () => {
    const browserBuild = join(OUT, 'renderer-browser');
    expect(existsSync(browserBuild)).toBe(true);
    const all = files(browserBuild)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(all.includes('/stage?name='), 'browser-mode marker in the browser-mode build').toBe(true);
  });

  it('the main process serves the renderer from app://certdesk, never file://', () => {
    const main = readFileSync(join(OUT, 'main/main.js'), 'utf8');
    expect(main).toContain('registerSchemesAsPrivileged');
    expect(main).toMatch(/protocol\.handle\(/);
    expect(main).toMatch(/scheme:\s*"app"/);
    expect(main).toMatch(/\{\s*standard:\s*true,\s*secure:\s*true,\s*supportFetchAPI:\s*true\s*\}/);
    expect(main).toContain('app://certdesk');
    expect(main).not.toMatch(/\.loadFile\(/);
    // A failed start says why instead of leaving no window.
    expect(main).toContain('showErrorBox');
  });

  it('the main process keeps the renderer sandboxed and isolated', () => {
    const main = readFileSync(join(OUT, 'main/main.js'), 'utf8');
    expect(main).toMatch(/contextIsolation:\s*true/);
    expect(main).toMatch(/sandbox:\s*true/);
    expect(main).toMatch(/nodeIntegration:\s*false/);
  });
});
