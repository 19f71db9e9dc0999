/**
 * The desktop shell's hardening, tested without Electron: the app:// protocol's path confinement
 * and answers, the start-up failure dialog's text, and the fuses configured for electron-builder
 * (packaging.test.ts checks them flipped in a packaged executable).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertdeskError } from '@certdesk/core/errors';
import {
  APP_ORIGIN,
  APP_PAGE_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  mimeTypeFor,
  resolveAppPath,
  respondToAppRequest,
} from '../../electron/app-protocol';
import { STARTUP_FAILURE_TITLE, startupFailureMessage } from '../../electron/startup-failure';

const ROOT = resolve(import.meta.dirname, '../..');
const CSP = "default-src 'none'";

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'certdesk-app-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>CertDesk</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'export {};');
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'assets', 'blob.bin'), 'x');
  // Beside the renderer folder, with a name that starts like it: must stay out of reach.
  await writeFile(join(base, 'secret.txt'), 'segredo');
  await mkdir(join(base, 'renderer-evil'));
  await writeFile(join(base, 'renderer-evil', 'x.js'), 'evil');
  if (process.platform !== 'win32') execFileSync('mkfifo', [join(root, 'assets', 'pipe.js')]);
});

afterAll(() => base && rm(base, { recursive: true, force: true }));

describe('app:// scheme', () => {
  it('is a standard, secure, fetch-capable scheme with one host, and nothing more', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_ORIGIN).toBe('app://certdesk');
    expect(APP_PAGE_URL).toBe('app://certdesk/index.html');
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });

  it('maps the page and its assets to files under the renderer folder', () => {
    expect(resolveAppPath(APP_PAGE_URL, root)).toBe(join(root, 'index.html'));
    expect(resolveAppPath(`${APP_PAGE_URL}#/inspecionar`, root)).toBe(join(root, 'index.html'));
    expect(resolveAppPath('app://certdesk/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppPath('app://certdesk/assets/index-abc.js?v=1', root)).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath('app://certdesk/assets/n%C3%A3o%20h%C3%A1.svg', root)).toBe(join(root, 'assets', 'não há.svg'));
  });

  it('refuses traversal, encoded separators, NUL, absolute paths and foreign origins', () => {
    const refused = [
      'app://certdesk/../secret.txt',
      'app://certdesk/assets/../../secret.txt',
      'app://certdesk/./index.html',
      'app://certdesk/%2e%2e/secret.txt',
      'app://certdesk/%2E%2E/secret.txt',
      'app://certdesk/%2e%2e%2fsecret.txt',
      'app://certdesk/..%2fsecret.txt',
      'app://certdesk/assets%2F..%2F..%2Fsecret.txt',
      'app://certdesk/assets%2findex-abc.js', // even an encoded separator that stays inside
      'app://certdesk/..%5csecret.txt',
      'app://certdesk/..\\secret.txt',
      'app://certdesk/assets\\..\\..\\secret.txt',
      'app://certdesk/index.html%00.js',
      'app://certdesk/index.html\u0000',
      'app://certdesk//etc/passwd',
      'app://certdesk/%2Fetc%2Fpasswd',
      'app://certdesk/C:/Windows/win.ini',
      'app://certdesk/C%3A%5CWindows%5Cwin.ini',
      'app://certdesk/index.html:stream',
      'app://certdesk/assets/', // a folder, not a file
      'app://certdesk/assets//index-abc.js',
      'app://certdesk/CON',
      'app://certdesk/assets/nul.js',
      'app://certdesk/index.html.',
      'app://certdesk/%E0%A4%A', // malformed percent-encoding
      `app://certdesk/${encodeURIComponent(join(base, 'secret.txt'))}`,
      'app://certdesk/../renderer-evil/x.js',
      'app://evil/index.html',
      'app://CERTDESK/index.html',
      'app://user@certdesk/index.html',
      'app://certdesk:443/index.html',
      'file:///etc/passwd',
      'https://certdesk/index.html',
      'app:/index.html',
    ];
    for (const url of refused) expect(resolveAppPath(url, root), url).toBeNull();

    // Decoded once only, and an absolute path in the URL is read as a path under the folder.
    for (const url of ['app://certdesk/%252e%252e/secret.txt', `app://certdesk${join(base, 'secret.txt')}`]) {
      expect(resolveAppPath(url, root)?.startsWith(root + sep), url).toBe(true);
    }
  });

  it('gives each file its type, and unknown ones opaque bytes', () => {
    expect(mimeTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('a/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('a/index-abc.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('icon.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('font.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('blob.bin')).toBe('application/octet-stream');
    expect(mimeTypeFor('noextension')).toBe('application/octet-stream');
  });

  it('answers files with their type, the CSP and nosniff; refusals are empty', async () => {
    const ask = (url: string, method = 'GET') => respondToAppRequest({ url, method }, root, { contentSecurityPolicy: CSP });

    const page = await ask(APP_PAGE_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>CertDesk</title>');

    const script = await ask('app://certdesk/assets/index-abc.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await ask('app://certdesk/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');

    const head = await ask(APP_PAGE_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    for (const [url, status] of [
      ['app://certdesk/../secret.txt', 400],
      ['app://certdesk/%2e%2e%2fsecret.txt', 400],
      ['app://certdesk/assets', 404], // a folder
      ['app://certdesk/missing.js', 404],
    ] as const) {
      const answer = await ask(url);
      expect(answer.status, url).toBe(status);
      expect(await answer.text(), url).toBe('');
    }
    expect((await ask(APP_PAGE_URL, 'POST')).status).toBe(405);
    if (process.platform !== 'win32') {
      // A FIFO planted in the folder is not read (reading it would hang).
      expect((await ask('app://certdesk/assets/pipe.js')).status).toBe(404);
    }
  });

  it('does not follow a link out of the folder, and does follow one that stays inside', async () => {
    if (process.platform === 'win32') return; // symlinks need privileges there
    await symlink(join(base, 'secret.txt'), join(root, 'assets', 'out.js'));
    await symlink(join(base, 'renderer-evil'), join(root, 'evil-dir'));
    await symlink(join(root, 'assets', 'index-abc.js'), join(root, 'assets', 'alias.js'));
    const ask = (url: string) => respondToAppRequest({ url, method: 'GET' }, root, { contentSecurityPolicy: CSP });
    try {
      for (const url of ['app://certdesk/assets/out.js', 'app://certdesk/evil-dir/x.js']) {
        const answer = await ask(url);
        expect(answer.status, url).toBe(404);
        expect(await answer.text(), url).toBe('');
      }
      const alias = await ask('app://certdesk/assets/alias.js');
      expect(alias.status).toBe(200);
      expect(await alias.text()).toBe('export {};');
    } finally {
      for (const link of ['assets/out.js', 'evil-dir', 'assets/alias.js']) await rm(join(root, link), { force: true });
    }
  });

  it('the protocol module is plain Node (no Electron), so this test can import it', async () => {
    for (const file of ['electron/app-protocol.ts', 'electron/startup-failure.ts', 'electron/security-policy.ts']) {
      const source = await readFile(join(ROOT, file), 'utf8');
      expect(source, file).not.toMatch(/from ['"]electron['"]/);
    }
  });
});

describe('start-up failure dialog', () => {
  it('shows a CertdeskError as it is (it already says what failed, in Portuguese)', () => {
    const inUse = new CertdeskError(
      'WORKSPACE_IN_USE',
      'A pasta de dados /home/ana/.config/CertDesk já está em uso por outro CertDesk (outra janela, o modo navegador ou outro usuário).',
    );
    expect(STARTUP_FAILURE_TITLE).toBe('CertDesk não pôde iniciar');
    expect(startupFailureMessage(inUse, 'data')).toBe(inUse.message);
  });

  it('names the step, never the library text, for anything else', () => {
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/home/ana/.config/CertDesk/settings.json'"), {
      code: 'EACCES',
    });
    const message = startupFailureMessage(eacces, 'data');
    expect(message).toMatch(/^Não foi possível abrir a pasta de dados \(código EACCES\)\./);
    expect(message).not.toContain('permission denied');
    expect(message).not.toContain('/home/ana');

    const typeError = startupFailureMessage(new TypeError("Cannot read properties of undefined (reading 'x')"), 'window');
    expect(typeError).toMatch(/^Não foi possível abrir a janela principal \(código TypeError\)\./);
    expect(typeError).not.toContain('Cannot read');

    expect(startupFailureMessage(new Error('x'), 'security')).toMatch(/^Não foi possível preparar a proteção da janela \(código Error\)\./);
    // Thrown non-errors and odd codes: the fixed line only.
    for (const thrown of ['a string with /some/path', undefined, null, 42, { code: 'has spaces and /paths' }, {}]) {
      const text = startupFailureMessage(thrown, 'data');
      expect(text).toMatch(/^Não foi possível abrir a pasta de dados\. Feche o CertDesk/);
    }
  });
});

describe('Electron fuses (electron-builder.yml)', () => {
  it('turns off every way to run other code and on the asar and cookie protections', async () => {
    const yaml = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('js-yaml') as {
      load(text: string): unknown;
    };
    const config = yaml.load(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as { electronFuses?: unknown };
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
