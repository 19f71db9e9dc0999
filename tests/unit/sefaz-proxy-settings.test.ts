/**
 * The proxy of the desktop's SEFAZ checks: Settings (proxy.json for the address, the real OS keychain
 * for the user and password — never a file), HTTPS_PROXY / NO_PROXY of the environment, and a check
 * of an installed certificate carried through the CONNECT proxy stand-in to the SEFAZ stand-in.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keychainUnavailable, type SecretStore } from '@certdesk/core/secret-store';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { BackendRouter } from '#desktop/backend-router';
import { createCore, type Core } from '#desktop/composition-root';
import { OsKeychain } from '#desktop/keychain';
import { ProxySettings } from '#desktop/sefaz/proxy-settings';
import { sefazHandlers } from '#desktop/sefaz/sefaz-handlers';
import { startConnectProxy, type ConnectProxy } from '../../stand-ins/connect-proxy';
import { startSefazStandin, type SefazStandin } from '../../stand-ins/sefaz-server';
import { SEFAZ_MODULES, SEFAZ_PASSWORD, threeStates } from '../sefaz-branches';
import { clientPfx } from './helpers/sefaz';

const H = 'homologacao';
const keychain = new OsKeychain(`CertDesk-test-proxy-${randomUUID()}`);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-proxy-'));
});
afterEach(async () => {
  await keychain.delete('proxy:credentials').catch(() => false);
  await rm(dir, { recursive: true, force: true });
});

describe('the proxy setting', () => {
  it('keeps the address in proxy.json and the user and password in the keychain only', async () => {
    const settings = await ProxySettings.open(dir, keychain, {});
    expect(await settings.view()).toMatchObject({ mode: 'environment', url: null, hasCredentials: false, environmentProxy: null });
    const view = await settings.save({
      mode: 'manual',
      url: 'http://ana.souza:s3nh%40Forte@proxy.empresa.com.br:3128',
      noProxy: ' .local ',
    });
    expect(view).toMatchObject({
      mode: 'manual',
      url: 'http://proxy.empresa.com.br:3128',
      noProxy: '.local',
      hasCredentials: true,
      username: 'ana.souza',
    });
    const file = await readFile(join(dir, 'proxy.json'), 'utf8');
    expect(file).not.toContain('s3nh');
    expect(file).not.toContain('ana.souza');
    expect(JSON.parse((await keychain.get('proxy:credentials'))!)).toEqual({ username: 'ana.souza', password: 's3nh@Forte' });
    // What the checks get: the address with the credentials put back, encoded.
    expect(await settings.option()).toEqual({
      kind: 'manual',
      url: 'http://ana.souza:s3nh%40Forte@proxy.empresa.com.br:3128/',
      noProxy: '.local',
    });

    // A new password alone keeps the user; forgetting them empties the keychain entry.
    await settings.save({ mode: 'manual', password: 'outra' });
    expect(JSON.parse((await keychain.get('proxy:credentials'))!)).toEqual({ username: 'ana.souza', password: 'outra' });
    expect(await settings.save({ mode: 'manual', clearCredentials: true })).toMatchObject({ hasCredentials: false, username: null });
    expect(await keychain.get('proxy:credentials')).toBeNull();
    // Reopened: the same setting.
    expect(await (await ProxySettings.open(dir, keychain, {})).option()).toEqual({
      kind: 'manual',
      url: 'http://proxy.empresa.com.br:3128',
      noProxy: '.local',
    });
  });

  it('refuses what it cannot use, and saves nothing when the keychain cannot keep the credentials', async () => {
    const settings = await ProxySettings.open(dir, keychain, { HTTPS_PROXY: 'http://u:p@proxy.corp:8080', no_proxy: 'localhost' });
    expect(await settings.view()).toMatchObject({ environmentProxy: 'proxy.corp:8080', environmentNoProxy: 'localhost' });
    await expect(settings.save({ mode: 'manual' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('Informe o endereço'),
    });
    await expect(settings.save({ mode: 'manual', url: 'https://proxy:443' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });

    const none: SecretStore = {
      get: () => Promise.reject(keychainUnavailable()),
      set: () => Promise.reject(keychainUnavailable()),
      delete: () => Promise.reject(keychainUnavailable()),
    };
    const locked = await ProxySettings.open(dir, none, {});
    await expect(locked.save({ mode: 'manual', url: 'http://proxy:3128', username: 'ana', password: 'x' })).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    });
    await expect(readFile(join(dir, 'proxy.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await locked.save({ mode: 'manual', url: 'http://proxy:3128' })).hasCredentials).toBe(false); // without credentials it can
  });
});

describe('a check through a corporate proxy', () => {
  let standin: SefazStandin;
  let proxy: ConnectProxy;
  let core: Core | null = null;

  beforeAll(async () => {
    standin = await startSefazStandin();
    proxy = await startConnectProxy({
      route: () => ({ host: '127.0.0.1', port: standin.port }),
      credentials: { user: 'ana', password: 's3nh@' },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await standin.close();
  });
  beforeEach(() => {
    standin.reset();
    proxy.connects.length = 0;
  });
  afterEach(async () => {
    await core?.close();
    core = null;
  });

  async function installEmOperacao(handlers: Core['handlers']) {
    const branches = threeStates('10107000');
    await handlers['workspace:setup']({ environment: H, kind: 'guided', branches, modules: SEFAZ_MODULES });
    const { certificate } = await handlers['certificates:install']({
      environment: H,
      path: clientPfx('em-operacao'),
      password: SEFAZ_PASSWORD,
      selection: [{ branch: 'RS', modules: ['faturamento'] }],
    });
    return certificate.id;
  }

  it('the proxy set in Settings, with its credentials from the keychain, tunnels the mutual TLS to SEFAZ', async () => {
    core = await createCore({
      dataDir: dir,
      shell: 'browser',
      version: 't',
      keychain,
      sefazTestTransport: { connectOverride: standin.connectOverride, extraTrustAnchors: [standin.rootPem] },
    });
    const id = await installEmOperacao(core.handlers);
    await core.handlers['proxy:save']({ mode: 'manual', url: proxy.url, username: 'ana', password: 'errada' });
    const refused = await core.handlers['sefaz:check']({ environment: H, certificateId: id });
    expect(refused.links[0]!.result).toMatchObject({ code: 'PROXY_AUTH_REQUIRED', proxy: `127.0.0.1:${proxy.port}` });
    expect(standin.calls).toHaveLength(0);

    // Fixed in Settings and asked again at once: a proxy failure never reached SEFAZ, so it is not kept.
    await core.handlers['proxy:save']({ mode: 'manual', url: proxy.url, password: 's3nh@' });
    const check = await core.handlers['sefaz:check']({ environment: H, certificateId: id });
    expect(check.links[0]!.result).toMatchObject({ code: 'IN_OPERATION', proxy: `127.0.0.1:${proxy.port}` });
    expect(proxy.connects.map((c) => [c.target, c.status, c.credentialsAccepted])).toEqual([
      ['nfe-homologacao.sefazrs.rs.gov.br:443', 407, false],
      ['nfe-homologacao.sefazrs.rs.gov.br:443', 200, true],
    ]);
    expect(standin.calls.map((c) => [c.sni, c.cUF])).toEqual([['nfe-homologacao.sefazrs.rs.gov.br', 43]]);
    expect(JSON.stringify(check)).not.toContain('s3nh');
  });

  it('HTTPS_PROXY is honoured, and NO_PROXY sends its hosts directly', async () => {
    const workspace = new WorkspaceService({ dataDir: dir, keychain, inspect: (path, password) => inspectFile(path, { password }) });
    const backends = await BackendRouter.open(dir, workspace, keychain);
    const handlers = await sefazHandlers({
      dataDir: dir,
      keychain,
      workspace,
      backends,
      now: () => new Date(),
      env: { HTTPS_PROXY: `http://ana:s3nh%40@127.0.0.1:${proxy.port}`, NO_PROXY: '.sp.gov.br' },
      testTransport: { connectOverride: standin.connectOverride, extraTrustAnchors: [standin.rootPem] },
    });
    const branches = threeStates('10107000');
    await workspace.setup(H, { kind: 'guided', branches, modules: SEFAZ_MODULES });
    const { certificate } = await workspace.install(H, {
      path: clientPfx('em-operacao'),
      password: SEFAZ_PASSWORD,
      selection: [
        { branch: 'SP', modules: ['faturamento'] },
        { branch: 'MA', modules: ['faturamento'] },
      ],
    });
    const check = await handlers['sefaz:check']({ environment: H, certificateId: certificate.id });
    expect(check.links.map((l) => [l.branch, l.result!.code, l.result!.proxy])).toEqual([
      ['SP', 'IN_OPERATION', null],
      ['MA', 'IN_OPERATION', `127.0.0.1:${proxy.port}`],
    ]);
    expect(proxy.connects.map((c) => c.target)).toEqual(['hom.sefazvirtual.fazenda.gov.br:443']);
    expect(standin.calls.map((c) => c.host).sort()).toEqual(['hom.sefazvirtual.fazenda.gov.br', 'homologacao.nfe.fazenda.sp.gov.br']);
    await keychain.delete(`vault:${H}:${certificate.certificate.fingerprints.sha256}`);
  });
});
