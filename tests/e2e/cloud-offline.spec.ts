/**
 * Cloud mode as the screens tell it: offline the last list stays with its age,
 * a retry and changes disabled; a wrong password says so; an ended session offers "Entrar"; the
 * header says where the data lives; read-only users see no setup or manage buttons.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { ADMIN, CloudPage, READER, cloudApi } from './pages/cloud-page';
import { ManagementPage } from './pages/management-page';

const SHOTS = 'test-results/screens';

test.beforeEach(async ({ page, request }) => {
  await CloudPage.resetServer(request);
  await new AppPage(page).resetSettings();
});

/** A free loopback port (asked of the OS, then released for the server to take). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A CertDesk Cloud of this test's own (`npm run cloud:server`), so stopping it affects nobody else. */
class OwnCloud {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v1`;
  }
  async start(fresh: boolean): Promise<void> {
    // One Node process (the built server, no npx in between), so stopping it closes the port for sure.
    const args = [
      'cloud-service/dist-testing/server.js',
      '--port',
      String(this.port),
      '--data',
      this.dataDir,
      '--demo',
      '--exit-on-stdin-close', // this worker holds its stdin: if the worker dies, the server stops too
      ...(fresh ? ['--fresh'] : []),
    ];
    this.child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    // Up once it prints its address (the line the command always prints when listening).
    await new Promise<void>((ready, fail) => {
      this.child!.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('CertDesk Cloud em') && ready());
      this.child!.on('exit', (code) => fail(new Error(`the cloud server stopped (${code})`)));
    });
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Produção on `url`, signed in as the administrator, set up, with one certificate installed. */
async function seedProducao(page: Page, url: string): Promise<void> {
  const app = new AppPage(page);
  await app.rpc('backend:set', { environment: 'producao', kind: 'cloud', url });
  await app.rpc('cloud:signIn', { environment: 'producao', method: 'cloud', ...ADMIN });
  const m = new ManagementPage(page);
  await m.seedExampleWorkspace('producao');
  await m.seedInstall(pfx('v01_default.pfx'), ['0001'], { environment: 'producao' });
}

test('offline: the last list stays with its age and a retry, changes are disabled, and it comes back', async ({ page }) => {
  test.setTimeout(300_000); // starts a server of its own twice (PGlite takes a while to open)
  const dir = await mkdtemp(join(tmpdir(), 'certdesk-own-cloud-'));
  const cloud = new OwnCloud(await freePort(), dir);
  try {
    await cloud.start(true);
    await seedProducao(page, cloud.url);
    const app = new AppPage(page);
    const m = new ManagementPage(page);
    await page.setViewportSize({ width: 1366, height: 768 });
    await app.watchAnswers();
    await app.open('/');
    await expect(m.row('EMPRESA EXEMPLO LTDA')).toHaveCount(1);
    await expect(page.getByTestId('data-source')).toHaveText('Dados: nuvem · Administrador · Administrador');
    await expect(page.getByTestId('add-certificate')).toBeEnabled();
    // Links by module name (not id): the workspace status read online names them.
    const links = m.row('EMPRESA EXEMPLO LTDA').locator('.links');
    await expect(links).toHaveAttribute('title', /^0001 · [A-ZÀ-Ú]/);
    const namedLinks = (await links.getAttribute('title'))!;

    await cloud.stop(); // the port is closed now: nothing answers there
    await app.open('/'); // a new page: nothing read before survives in the renderer
    await expect(page.getByTestId('stale-list')).toContainText('Sem conexão com a nuvem: mostrando a última lista obtida');
    await expect(page.getByTestId('stale-list')).toContainText('Alterações ficam desativadas até a nuvem responder.');
    const row = m.row('EMPRESA EXEMPLO LTDA');
    await expect(row).toHaveCount(1);
    await expect(page.getByTestId('add-certificate')).toBeDisabled();
    await expect(row.getByTestId('row-edit')).toHaveCount(0);
    await expect(row.getByTestId('row-delete')).toHaveCount(0);
    await expect(page.getByTestId('data-source')).toContainText('sem conexão');
    await expect(page.getByTestId('list-error')).toHaveCount(0);
    // The names still show: the core kept the last workspace status beside the last list.
    await expect(row.locator('.links')).toHaveAttribute('title', namedLinks);
    await page.screenshot({ path: `${SHOTS}/cloud-offline-pt-BR.png` });
    await page.getByTestId('lang-en').click();
    await expect(page.getByTestId('stale-list')).toContainText('No connection to the cloud: showing the last list obtained');
    await expect(page.getByTestId('data-source')).toContainText('offline');
    await page.screenshot({ path: `${SHOTS}/cloud-offline-en.png` });
    await page.getByTestId('lang-pt-BR').click();

    // Retry while it is still down: the list stays as it was.
    await app.afterAnswer('certificates:list', 'producao', () => page.getByTestId('stale-retry').click());
    await expect(page.getByTestId('stale-list')).toBeVisible();
    await expect(row).toHaveCount(1);

    // Back up (same data): a retry brings the live list and the changes back.
    await cloud.start(false);
    await app.afterAnswer('certificates:list', 'producao', () => page.getByTestId('stale-retry').click());
    await expect(page.getByTestId('stale-list')).toHaveCount(0);
    await expect(page.getByTestId('add-certificate')).toBeEnabled();
    await expect(row.getByTestId('row-edit')).toHaveCount(1);
  } finally {
    await cloud.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a wrong password at sign-in says wrong password, not an expired session', async ({ page }) => {
  const app = new AppPage(page);
  const cloud = new CloudPage(page);
  await app.rpc('backend:set', { environment: 'producao', kind: 'cloud', url: cloudApi() });
  await app.open('/configuracoes');
  await expect(page.getByTestId('data-source')).toHaveText('Dados: nuvem · não conectado');
  await page.getByTestId('backend-login').fill(ADMIN.login);
  await page.getByTestId('backend-password').fill('Errada#2026');
  await page.getByTestId('backend-sign-in-submit').click();
  await expect(page.getByTestId('backend-sign-in-error')).toHaveText('Usuário ou senha incorretos.');
  await expect(page.getByText(/expirou/)).toHaveCount(0);
  await expect(page.getByTestId('backend-password')).toHaveValue('');
  await expect(page.getByTestId('backend-login')).toHaveValue(ADMIN.login);
  // And the right one still works.
  await cloud.signIn(ADMIN);
  await expect(page.getByTestId('data-source')).toHaveText('Dados: nuvem · Administrador · Administrador');
});

test('an ended session offers "Entrar", which leads to the sign-in form', async ({ page, request }) => {
  const app = new AppPage(page);
  await seedProducao(page, cloudApi());
  await app.open('/');
  await expect(new ManagementPage(page).row('EMPRESA EXEMPLO LTDA')).toHaveCount(1);

  await CloudPage.resetServer(request); // the server forgets every session (and the data)
  await app.open('/');
  await expect(page.getByTestId('go-sign-in')).toHaveText('Entrar');
  await expect(page.getByTestId('list-error')).toHaveCount(0);
  await expect(page.getByTestId('data-source')).toHaveText('Dados: nuvem · não conectado');
  await page.getByTestId('go-sign-in').click();
  await expect(page.getByTestId('backend-sign-in')).toBeVisible();
});

test('read-only: the header names the user and role, and no setup or manage button shows', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await seedProducao(page, cloudApi());
  await app.rpc('cloud:signIn', { environment: 'producao', method: 'cloud', ...READER });
  await page.setViewportSize({ width: 1366, height: 768 });
  await app.open('/');
  const row = m.row('EMPRESA EXEMPLO LTDA');
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId('data-source')).toHaveText('Dados: nuvem · João (consulta) · Somente leitura');
  await expect(page.getByTestId('read-only')).toBeVisible();
  await expect(page.getByTestId('add-certificate')).toHaveCount(0);
  await expect(row.getByTestId('row-edit')).toHaveCount(0);
  await expect(row.getByTestId('row-delete')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/cloud-read-only-list-pt-BR.png` });
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('data-source')).toHaveText('Data: cloud · João (consulta) · Read-only');
  await page.screenshot({ path: `${SHOTS}/cloud-read-only-list-en.png` });
  await page.getByTestId('lang-pt-BR').click();

  await app.nav('Configurações').click();
  await expect(page.getByTestId('backend-session')).toBeVisible();
  await expect(page.getByTestId('workspace-settings')).toHaveCount(0);
});

test('read-only on an environment nobody set up: no setup buttons, a note to ask an administrator', async ({ page }) => {
  const app = new AppPage(page);
  await app.rpc('backend:set', { environment: 'producao', kind: 'cloud', url: cloudApi() });
  await app.rpc('cloud:signIn', { environment: 'producao', method: 'cloud', ...READER });
  await app.open('/');
  await expect(page.getByTestId('not-set-up-read-only')).toContainText('Peça a um administrador');
  await expect(page.getByTestId('workspace-setup')).toHaveCount(0);
  await expect(page.getByTestId('setup-example')).toHaveCount(0);
});
