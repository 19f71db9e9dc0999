/** The browser mode over real loopback HTTP: same handlers, token, host check, staging, static files. */
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '#desktop/composition-root';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { startBrowserModeServer, type BrowserModeServer } from '#desktop/browser-mode/browser-mode-server';
import { Staging } from '#desktop/browser-mode/staging';
import { pfx, PASSWORD } from '../fixtures';

let dir: string;
let server: BrowserModeServer;
let closeCore: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-browser-mode-'));
  await mkdir(join(dir, 'static'));
  await writeFile(join(dir, 'static/index.html'), '<html><head></head><body>app</body></html>');
  await writeFile(join(dir, 'secret.txt'), 'do not serve');
  const core = await createCore({ dataDir: join(dir, 'data'), shell: 'browser', version: '9.9.9', keychain: new MemoryKeychain() });
  closeCore = core.close;
  server = await startBrowserModeServer({ handlers: core.handlers, staticDir: join(dir, 'static'), stagingDir: join(dir, 'stage') });
});
afterAll(async () => {
  await server.close();
  await closeCore();
  await rm(dir, { recursive: true, force: true });
});

const rpc = (channel: string, body: unknown, token = server.token) =>
  fetch(`${server.url}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CertDesk-Token': token },
    body: body === undefined ? '' : JSON.stringify(body),
  });

describe('browser mode', () => {
  it('listens on loopback only', () => {
    const address = server.server.address();
    expect(typeof address === 'object' && address ? address.address : address).toBe('127.0.0.1');
  });

  it('serves the handler table with the IPC envelope', async () => {
    const response = await rpc('app:info', undefined);
    expect(await response.json()).toMatchObject({ ok: true, data: { version: '9.9.9', shell: 'browser' } });
    expect(await (await rpc('settings:update', { locale: 'fr' })).json()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('refuses calls without the token, unknown channels and foreign hosts', async () => {
    expect((await rpc('app:info', undefined, 'wrong')).status).toBe(401);
    expect((await rpc('nope:nothing', undefined)).status).toBe(404);
    // fetch() will not send a forged Host header; a raw request can, as a DNS-rebinding page would.
    const status = await new Promise<number>((done, fail) => {
      const req = request(
        `${server.url}/rpc/app:info`,
        {
          method: 'POST',
          headers: { 'X-CertDesk-Token': server.token, Host: 'evil.example' },
        },
        (res) => done(res.statusCode ?? 0),
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('stages an uploaded file and inspects it by path', async () => {
    const staged = await fetch(`${server.url}/stage?name=${encodeURIComponent('../../v01 çá.pfx')}`, {
      method: 'POST',
      headers: { 'X-CertDesk-Token': server.token },
      body: await readFile(pfx('v01_default.pfx')),
    });
    const { path } = (await staged.json()) as { path: string };
    expect(path.startsWith(join(dir, 'stage'))).toBe(true);
    const result = await (await rpc('pfx:inspect', { path, password: PASSWORD })).json();
    expect(result).toMatchObject({ ok: true, data: { certificate: { holderName: 'EMPRESA EXEMPLO LTDA' } } });
    const wrong = await (await rpc('pfx:inspect', { path, password: 'x' })).json();
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
  });

  it('serves the workspace handlers: setup, install a staged file, list, history', async () => {
    const environment = 'homologacao';
    expect(await (await rpc('workspace:setup', { environment, kind: 'example' })).json()).toMatchObject({
      ok: true,
      data: { ready: true },
    });
    const staged = await fetch(`${server.url}/stage?name=v42.pfx`, {
      method: 'POST',
      headers: { 'X-CertDesk-Token': server.token },
      body: await readFile(pfx('v42_other_company.pfx')),
    });
    const { path } = (await staged.json()) as { path: string };
    const installed = await (
      await rpc('certificates:install', {
        environment,
        path,
        password: PASSWORD,
        selection: [{ branch: '0101', modules: ['faturamento'] }],
      })
    ).json();
    // Installed: the staged copy has served its purpose and is gone already.
    expect(existsSync(path)).toBe(false);
    expect(installed).toMatchObject({
      ok: true,
      data: { certificate: { status: 'configured' }, results: [{ installed: true }] },
    });
    const list = await (await rpc('certificates:list', { environment })).json();
    expect(list.data).toMatchObject({ items: [{ certificate: { holderName: 'OUTRA EMPRESA SA' } }], staleSince: null });
    const history = await (await rpc('history:list', { environment })).json();
    expect(history.data.entries[0]).toMatchObject({ action: 'install', environment });
    // Schema validation at the boundary: an unknown environment never reaches the core.
    expect(await (await rpc('certificates:list', { environment: 'teste' })).json()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(await (await rpc('certificates:list', { environment: 'producao' })).json()).toMatchObject({
      ok: true,
      data: { items: [], staleSince: null },
    });
  });

  it('never hands the token to whoever asks: the page is locked without it', async () => {
    const locked = await fetch(`${server.url}/`);
    expect(locked.status).toBe(401);
    const text = await locked.text();
    expect(text).toContain('?token=');
    expect(text).not.toContain(server.token);
    expect((await fetch(`${server.url}/?token=wrong`)).status).toBe(401);
    // Without the key the API is closed too, even with a made-up cookie.
    const forged = await fetch(`${server.url}/rpc/app:info`, { method: 'POST', headers: { Cookie: 'certdesk=x' } });
    expect(forged.status).toBe(401);
  });

  it('exchanges the address with the token for an HttpOnly SameSite=Strict cookie', async () => {
    const opened = await fetch(server.openUrl, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/');
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    const page = await fetch(`${server.url}/`, { headers: { Cookie: pair } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(server.token);
    const call = await fetch(`${server.url}/rpc/app:info`, { method: 'POST', headers: { Cookie: pair, Origin: server.url } });
    expect(await call.json()).toMatchObject({ ok: true, data: { version: '9.9.9' } });
    // Another site's page cannot ride on the cookie.
    const foreign = await fetch(`${server.url}/rpc/app:info`, { method: 'POST', headers: { Cookie: pair, Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(401);
  });

  it('survives hostile addresses and never serves files outside the static folder', async () => {
    const headers = { 'X-CertDesk-Token': server.token };
    expect((await fetch(`${server.url}/%E0%A4%A`, { headers })).status).toBe(400);
    expect((await fetch(`${server.url}/rpc/%E0%A4%A`, { method: 'POST', headers })).status).toBe(400);
    const escape = await fetch(`${server.url}/..%2Fsecret.txt`, { headers });
    expect(escape.status).not.toBe(200);
    expect(await escape.text()).not.toContain('do not serve');
    // Still alive after all of that.
    expect((await rpc('app:info', undefined)).status).toBe(200);
  });

  it('stages uploads privately: folder 0700, file 0600', async () => {
    const staged = await fetch(`${server.url}/stage?name=x.pfx`, {
      method: 'POST',
      headers: { 'X-CertDesk-Token': server.token },
      body: 'abc',
    });
    const { path } = (await staged.json()) as { path: string };
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'stage'))).mode & 0o777).toBe(0o700);
  });
});

describe('staging', () => {
  it('removes an upload after its time even when it was only inspected, and everything at close', async () => {
    let clock = 1_000;
    const staging = new Staging(join(dir, 'ttl-stage'), 60_000, () => clock);
    await staging.open();
    const early = await staging.put('a.pfx', Buffer.from('a'));
    clock += 30_000;
    const late = await staging.put('b.pfx', Buffer.from('b'));
    clock += 31_000; // the first is 61 s old, the second 31 s
    await staging.sweep();
    expect([existsSync(early), existsSync(late)]).toEqual([false, true]);
    await staging.release('/etc/passwd'); // not one of ours: nothing happens
    await staging.close();
    expect(existsSync(join(dir, 'ttl-stage'))).toBe(false);
  });
});
