/**
 * SEFAZ checks through the UI on the embedded workspace, in Homologação, against the SEFAZ stand-in
 * started by this spec (the browser mode sends its checks there through the suite's own hook): a
 * workspace with branches in SP, RS and MA (authorizers SP, RS and SVAN), one call per authorizer with
 * the right address and cUF, the plain Portuguese answer of each case, the three-minute reuse, the
 * password asked when no keychain holds it, and the path through a corporate proxy set in Settings.
 * And a Homologação kept in CertDesk Cloud: the check is the service's, with the file it holds.
 */
import { expect, test } from './fixture';
import type { SefazStandin } from '../../stand-ins/sefaz-server';
import type { ConnectProxy } from '../../stand-ins/connect-proxy';
import { EXPECTED_CALLS, SEFAZ_MODULES, hostAndPath, threeStates } from '../sefaz-branches';
import { AppPage } from './pages/app-page';
import { ADMIN, CloudPage, READER } from './pages/cloud-page';
import { SefazPage, startSefaz } from './pages/sefaz-page';

const EM_OPERACAO = 'EMPRESA EM OPERACAO LTDA';
let standin: SefazStandin;
let proxy: ConnectProxy;

test.beforeAll(async () => {
  ({ standin, proxy } = await startSefaz());
});
test.afterAll(async () => {
  await proxy?.close();
  await standin?.close();
});
test.beforeEach(async ({ page }) => {
  standin.reset();
  proxy.connects.length = 0;
  const app = new AppPage(page);
  await new SefazPage(page).pointAt(standin);
  await app.rpc('settings:update', { locale: 'pt-BR', environment: 'homologacao', theme: 'light' });
});

test('one check per authorizer with the right address and cUF, answered in Portuguese, and the three-minute reuse', async ({ page }) => {
  test.slow(); // three checks of five calls each over mutual TLS, and the details opened twice
  const app = new AppPage(page);
  const sefaz = new SefazPage(page);
  const start = Date.parse('2026-03-02T12:00:00Z');
  await app.setClock(new Date(start).toISOString());
  const branches = threeStates('10107000');
  await sefaz.seedWorkspace(branches);
  await sefaz.seedInstall('em-operacao', branches);
  await app.open('/certificados');
  await expect(sefaz.badge(EM_OPERACAO)).toHaveAttribute('data-state', 'never');
  await expect(sefaz.badge(EM_OPERACAO)).toHaveAccessibleName('Ainda não verificado na SEFAZ');

  await sefaz.openDetails(EM_OPERACAO);
  await expect(page.getByTestId('sefaz-not-checked')).toBeVisible();
  await page.getByTestId('sefaz-check-now').click();
  await expect(page.getByTestId('sefaz-summary')).toHaveAttribute('data-state', 'ok');

  // SP, RS and MA (SVAN) for NF-e; SP and RS for CT-e; each asked once, with the branch state's cUF.
  expect(standin.calls.map((c) => `${c.module} ${c.host}${c.path} cUF ${c.cUF} tpAmb ${c.tpAmb}`).sort()).toEqual(
    (['SP nfe', 'SP cte', 'RS nfe', 'RS cte', 'MA nfe'] as const)
      .map((key) => `${key.split(' ')[1]} ${hostAndPath(EXPECTED_CALLS[key].url)} cUF ${EXPECTED_CALLS[key].cUF} tpAmb 2`)
      .sort(),
  );
  await expect(sefaz.linkRow('SP', 'faturamento').getByTestId('sefaz-answer')).toHaveText(
    /^Em operação \(107\) · resposta em (menos de 0,1 s|\d+,\d s)$/,
  );
  await expect(sefaz.linkRow('SP', 'faturamento')).toContainText('NF-e · NfeStatusServico4');
  await expect(sefaz.linkRow('SP', 'faturamento')).toContainText('SP · cUF 35 · Homologação');
  await expect(sefaz.linkRow('RS', 'recebimento-cte')).toContainText('CT-e · CTeStatusServicoV4');
  await expect(sefaz.linkRow('RS', 'recebimento-cte')).toContainText('RS · cUF 43 · Homologação');
  await expect(sefaz.linkRow('MA', 'faturamento')).toContainText('SVAN · cUF 21 · Homologação');
  await expect(sefaz.linkRow('MA', 'recebimento-nfe').getByTestId('sefaz-answer')).toHaveText(
    'Este módulo não tem serviço de status na SEFAZ: nada a consultar.',
  );

  // Within three minutes the answers are the kept ones, with the time they were given; SEFAZ is not asked.
  await app.setClock(new Date(start + 150_000).toISOString());
  await page.getByTestId('sefaz-check-now').click();
  await expect(sefaz.linkRow('SP', 'faturamento').getByTestId('sefaz-when')).toContainText('resposta guardada de');
  expect(standin.calls).toHaveLength(5);
  await sefaz.closeDetails();
  await expect(sefaz.badge(EM_OPERACAO)).toHaveAttribute('data-state', 'ok');
  await expect(sefaz.badge(EM_OPERACAO)).toHaveAccessibleName(/^SEFAZ: em operação — verificado /);

  // Three minutes after the first answers: asked again.
  await app.setClock(new Date(start + 181_000).toISOString());
  await sefaz.openDetails(EM_OPERACAO);
  await page.getByTestId('sefaz-check-now').click();
  await expect(sefaz.linkRow('SP', 'faturamento').getByTestId('sefaz-when')).not.toContainText('resposta guardada');
  expect(standin.calls).toHaveLength(10);
});

/** Each stand-in client certificate, the branch it serves (its CNPJ root) and what the UI must say. */
const CASES = [
  { file: 'em-operacao', holder: 'EMPRESA EM OPERACAO LTDA', root: '10107000', state: 'ok', answer: /^Em operação \(107\) · resposta em / },
  {
    file: 'paralisado-108',
    holder: 'EMPRESA PARALISADA CURTO PRAZO LTDA',
    root: '10108000',
    answer: /^Serviço paralisado momentaneamente \(108\)/,
  },
  {
    file: 'paralisado-109',
    holder: 'EMPRESA PARALISADA SEM PREVISAO LTDA',
    root: '10109000',
    answer: /^Serviço paralisado sem previsão \(109\)/,
  },
  {
    file: 'ac-desconhecida',
    holder: 'EMPRESA AC DESCONHECIDA LTDA',
    root: '10999000',
    answer: /^A SEFAZ recusou a conexão segura com este certificado \(negociação TLS recusada\)$/,
  },
  {
    file: 'vencido',
    holder: 'EMPRESA CERTIFICADO VENCIDO LTDA',
    root: '10403000',
    installedAt: '2020-06-01T12:00:00Z',
    answer: /^A SEFAZ negou o acesso \(HTTP 403\): o certificado venceu em 01\/01\/2021$/,
  },
  {
    file: 'uso-invalido',
    holder: 'EMPRESA USO INVALIDO LTDA',
    root: '10280000',
    answer: /^A SEFAZ recusou o certificado: certificado transmissor inválido \(280\)/,
  },
  {
    file: 'ainda-nao-valido',
    holder: 'EMPRESA CERTIFICADO FUTURO LTDA',
    root: '10281000',
    installedAt: '2040-06-01T12:00:00Z',
    answer: /^A SEFAZ recusou o certificado: certificado fora da validade \(281\)/,
  },
  {
    file: 'cadeia-invalida',
    holder: 'EMPRESA CADEIA INVALIDA LTDA',
    root: '10283000',
    answer: /^A SEFAZ recusou o certificado: erro na cadeia de certificação \(283\)/,
  },
  {
    file: 'revogado',
    holder: 'EMPRESA CERTIFICADO REVOGADO LTDA',
    root: '10284000',
    answer: /^A SEFAZ recusou o certificado: certificado revogado \(284\)/,
  },
  {
    file: 'fora-icp',
    holder: 'EMPRESA FORA DA ICP LTDA',
    root: '10285000',
    answer: /^A SEFAZ recusou o certificado: certificado fora da ICP-Brasil \(285\)/,
  },
  {
    file: 'lcr-indisponivel',
    holder: 'EMPRESA LCR FORA DO AR LTDA',
    root: '10286000',
    answer: /^A SEFAZ recusou o certificado: a SEFAZ não conseguiu consultar a lista de revogação \(LCR\) \(286\)/,
  },
] as const;

test('a Homologação kept in CertDesk Cloud is checked by the service with the file it holds, and the answer is the tenant’s', async ({
  page,
  request,
}) => {
  test.slow(); // a cloud sign-in, setup and install, then a check of five calls made by the service
  const app = new AppPage(page);
  const sefaz = new SefazPage(page);
  const cloud = new CloudPage(page);
  await CloudPage.resetServer(request);
  await SefazPage.pointCloudAt(request, standin);
  await cloud.seedSignedIn('homologacao', ADMIN);
  const branches = threeStates('10107000');
  await sefaz.seedWorkspace(branches); // on the service: Homologação's data source is the cloud now
  await sefaz.seedInstall('em-operacao', branches);
  await app.open('/certificados');
  await expect(page.getByTestId('data-source')).toContainText('nuvem · Administrador');
  await expect(sefaz.badge(EM_OPERACAO)).toHaveAttribute('data-state', 'never');

  await sefaz.openDetails(EM_OPERACAO);
  await page.getByTestId('sefaz-check-now').click();
  await expect(page.getByTestId('sefaz-summary')).toHaveAttribute('data-state', 'ok');
  // The service holds the file and its password: nothing is asked on this computer.
  await expect(page.getByTestId('sefaz-password-dialog')).toHaveCount(0);
  expect(standin.calls.map((c) => `${c.module} cUF ${c.cUF} tpAmb ${c.tpAmb}`).sort()).toEqual(
    (['SP nfe', 'SP cte', 'RS nfe', 'RS cte', 'MA nfe'] as const)
      .map((key) => `${key.split(' ')[1]} cUF ${EXPECTED_CALLS[key].cUF} tpAmb 2`)
      .sort(),
  );
  await expect(sefaz.linkRow('SP', 'faturamento').getByTestId('sefaz-answer')).toHaveText(
    /^Em operação \(107\) · resposta em (menos de 0,1 s|\d+,\d s)$/,
  );
  await sefaz.closeDetails();

  // Kept by the service for the tenant: a read-only colleague signed in on this computer sees it, and SEFAZ is not asked again.
  await cloud.seedSignedIn('homologacao', READER);
  await app.open('/certificados');
  await expect(page.getByTestId('data-source')).toContainText('nuvem · João (consulta)');
  await expect(sefaz.badge(EM_OPERACAO)).toHaveAttribute('data-state', 'ok');
  await expect(sefaz.badge(EM_OPERACAO)).toHaveAccessibleName(/^SEFAZ: em operação — verificado /);
  expect(standin.calls).toHaveLength(5);
});

test('checking the whole environment: the progress, then each certificate’s answer in plain Portuguese', async ({ page }) => {
  // Eleven certificates installed, checked and their details opened one by one: a bound on waiting for a
  // loaded machine, not a measure.
  test.setTimeout(300_000);
  const app = new AppPage(page);
  const sefaz = new SefazPage(page);
  const branches = CASES.map((c, i) => ({ ...threeStates(c.root, `${i}`)[i % 3]!, modules: ['faturamento'] }));
  await sefaz.seedWorkspace(branches);
  for (const [i, c] of CASES.entries()) {
    await app.setClock('installedAt' in c ? c.installedAt : null); // installs refuse certificates outside their validity
    await sefaz.seedInstall(c.file, [branches[i]!]);
  }
  await app.setClock(null);
  await app.open('/certificados');
  await page.getByTestId('sefaz-check-environment').click();
  // Eleven certificates opened and checked over mutual TLS, two at a time: the wait is bounded by the test's.
  await expect(page.getByTestId('sefaz-progress').or(page.getByTestId('sefaz-finished'))).toBeVisible();
  await expect(page.getByTestId('sefaz-finished')).toHaveText('Verificação concluída: 1 em operação, 10 com problema, 0 não verificados.', {
    timeout: 60_000,
  });
  // One call per certificate (one branch each), each with its branch state's cUF when the request was read.
  expect(standin.calls).toHaveLength(CASES.length);
  for (const c of CASES) {
    await expect(sefaz.badge(c.holder), c.file).toHaveAttribute('data-state', 'state' in c ? c.state : 'problem');
  }
  await expect(sefaz.badge('EMPRESA CERTIFICADO REVOGADO LTDA')).toHaveAccessibleName(
    /^SEFAZ: A SEFAZ recusou o certificado: certificado revogado \(284\) — verificado /,
  );
  for (const [i, c] of CASES.entries()) {
    await sefaz.openDetails(c.holder);
    const row = sefaz.linkRow(branches[i]!.code, 'faturamento');
    await expect(row.getByTestId('sefaz-answer'), c.file).toHaveText(c.answer);
    if (!('state' in c)) await expect(row.getByTestId('sefaz-action'), `${c.file}: what to do`).not.toBeEmpty();
    await sefaz.closeDetails();
  }
});

test('the password is asked when no keychain holds it, and only for that check', async ({ page }) => {
  test.slow(); // a reset without keychain, a setup and an install before the check
  const app = new AppPage(page);
  const sefaz = new SefazPage(page);
  await app.bridge('/test/reset', { keychain: 'none' });
  await sefaz.pointAt(standin);
  await app.rpc('settings:update', { locale: 'pt-BR', environment: 'homologacao', theme: 'light' });
  const branches = threeStates('10107000').slice(0, 1);
  await sefaz.seedWorkspace(branches);
  await sefaz.seedInstall('em-operacao', branches);
  await app.open('/certificados');
  await sefaz.openDetails(EM_OPERACAO);
  await page.getByTestId('sefaz-check-now').click();
  const dialog = page.getByTestId('sefaz-password-dialog');
  await expect(dialog).toContainText('não está no cofre de senhas do sistema');
  await page.getByTestId('sefaz-password-input').fill('errada');
  await page.getByTestId('sefaz-password-submit').click();
  await expect(dialog).toContainText('Senha incorreta: tente de novo.');
  expect(standin.calls).toHaveLength(0);
  await page.getByTestId('sefaz-password-input').fill('SenhaTeste123');
  await page.getByTestId('sefaz-password-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(sefaz.linkRow('SP', 'faturamento').getByTestId('sefaz-answer')).toHaveText(/^Em operação \(107\)/);
});

test('through the corporate proxy set in Settings, its password kept in the keychain', async ({ page }) => {
  test.slow(); // Settings saved through the keychain, then a check through the proxy's tunnel
  const app = new AppPage(page);
  const sefaz = new SefazPage(page);
  const branches = threeStates('10107000');
  await sefaz.seedWorkspace(branches);
  await sefaz.seedInstall('em-operacao', branches.slice(2)); // MA: one call, to SVAN
  await app.open('/configuracoes');
  const card = page.getByTestId('proxy-settings');
  await expect(card.getByTestId('proxy-environment')).toBeVisible();
  await card.getByTestId('proxy-mode-manual').click();
  await page.getByTestId('proxy-url').fill(proxy.url);
  await page.getByTestId('proxy-username').fill('ana');
  await page.getByTestId('proxy-password').fill('s3nh@');
  await page.getByTestId('proxy-save').click();
  await expect(page.getByTestId('proxy-password')).toHaveAttribute('placeholder', 'guardada no cofre de senhas');

  await app.open('/certificados');
  await sefaz.openDetails(EM_OPERACAO);
  await page.getByTestId('sefaz-check-now').click();
  await expect(sefaz.linkRow('MA', 'faturamento').getByTestId('sefaz-answer')).toHaveText(
    new RegExp(`^Em operação \\(107\\) · resposta em .+ \\(via proxy 127\\.0\\.0\\.1:${proxy.port}\\)$`),
  );
  expect(proxy.connects).toEqual([
    { target: 'hom.sefazvirtual.fazenda.gov.br:443', credentialsSent: true, credentialsAccepted: true, status: 200 },
  ]);
  expect(standin.calls.map((c) => [c.sni, c.cUF])).toEqual([['hom.sefazvirtual.fazenda.gov.br', 21]]);
});

test('branches saved before states were kept: the list names them, and their states are asked once and saved', async ({ page }) => {
  test.slow(); // a data folder written by hand, then three branch saves
  const app = new AppPage(page);
  // A workspace file as versions without states wrote it, in the fresh data folder before the core starts.
  const branches = threeStates('10107000').map(({ uf: _uf, ...branch }) => branch);
  const workspace = JSON.stringify({ version: 1, setup: 'guided', branches, modules: SEFAZ_MODULES });
  await app.bridge('/test/reset', { files: { 'workspaces/homologacao/workspace.json': workspace } });
  await app.rpc('settings:update', { locale: 'pt-BR', environment: 'homologacao', theme: 'light' });
  await app.open('/certificados');
  const notice = page.getByTestId('branch-states-notice');
  await expect(notice).toContainText('Falta o estado (UF) de 3 filial(is) (SP, RS, MA)');

  await page.getByTestId('branch-states-ask').click();
  const dialog = page.getByTestId('branch-states-dialog');
  await page.getByTestId('branch-states-save').click();
  await expect(dialog.getByRole('alert')).toHaveText('Escolha o estado de cada filial.');
  for (const uf of ['SP', 'RS', 'MA']) {
    await dialog.locator(`[data-testid="branch-state-row"][data-code="${uf}"]`).getByLabel('Estado (UF)').click();
    await page.keyboard.type(uf);
    await page.keyboard.press('Enter');
  }
  await page.getByTestId('branch-states-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(notice).toHaveCount(0);
  const status = await app.rpc('workspace:status', { environment: 'homologacao' });
  expect(Object.fromEntries(status.branches.map((b) => [b.code, b.uf]))).toEqual({ SP: 'SP', RS: 'RS', MA: 'MA' });
});

test.describe('many branches without a state, at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the states dialog scrolls its rows under the buttons, and its refusal is said beside them', async ({ page }) => {
    const app = new AppPage(page);
    const branches = Array.from({ length: 9 }, (_, i) => threeStates(String(10107000 + i * 17), `F${i}`))
      .flat()
      .map(({ uf: _uf, ...branch }) => branch);
    const workspace = JSON.stringify({ version: 1, setup: 'guided', branches, modules: SEFAZ_MODULES });
    await app.bridge('/test/reset', { files: { 'workspaces/homologacao/workspace.json': workspace } });
    await app.rpc('settings:update', { locale: 'pt-BR', environment: 'homologacao', theme: 'light' });
    await app.open('/certificados');
    await page.getByTestId('branch-states-ask').click();
    const dialog = page.getByTestId('branch-states-dialog');
    await expect(dialog.getByTestId('branch-state-row')).toHaveCount(27);
    await page.getByTestId('branch-states-save').click();
    await expect(dialog.getByRole('alert')).toHaveText('Escolha o estado de cada filial.');
    await expect(dialog.getByRole('alert')).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('branch-states-save')).toBeInViewport({ ratio: 1 });
    // The button row reaches down to the card's lower edge, and nothing of a row is drawn anywhere
    // beneath its top: the rows scroll out of sight under it, no strip below the buttons shows them.
    const seen = await dialog.evaluate((card) => {
      const box = card.getBoundingClientRect();
      const actions = card.querySelector('.cd-dialog-actions')!.getBoundingClientRect();
      const rowsBeneath: string[] = [];
      for (let y = actions.top + 1; y < box.bottom; y += 2)
        for (let x = box.left + 4; x < box.right; x += 16)
          if (document.elementFromPoint(x, y)?.closest('[data-testid="branch-state-row"]')) rowsBeneath.push(`${x},${y}`);
      return { gapBelowButtons: Math.round(box.bottom - actions.bottom), rowsBeneath: rowsBeneath.length };
    });
    expect(seen).toEqual({ gapBelowButtons: 0, rowsBeneath: 0 });
  });
});
