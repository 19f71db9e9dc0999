/**
 * SEFAZ checks of the embedded workspace through the desktop core's own handler table (createCore):
 * a real data folder, the real OS keychain, the certificate opened from the vault, the SEFAZ stand-in
 * over real mutual TLS (reached through the core's test-only transport option), and the result kept
 * in the data folder — where a repeat within three minutes, even after a restart, finds its answers.
 */
import { randomUUID } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HandlerTable } from '@certdesk/shared/contract';
import { keychainUnavailable, type SecretStore } from '@certdesk/core/secret-store';
import { createCore, type Core } from '#desktop/composition-root';
import { OsKeychain } from '#desktop/keychain';
import { startSefazStandin, type SefazStandin } from '../../stand-ins/sefaz-server';
import { EXPECTED_CALLS, hostAndPath, SEFAZ_MODULES, SEFAZ_PASSWORD, threeStates } from '../sefaz-branches';
import { clientPfx } from './helpers/sefaz';

/** A machine without a keychain, as the real client behaves there (tested in workspace-safety.test.ts). */
class NoKeychain implements SecretStore {
  get(): Promise<string | null> {
    return Promise.reject(keychainUnavailable());
  }
  set(): Promise<void> {
    return Promise.reject(keychainUnavailable());
  }
  delete(): Promise<boolean> {
    return Promise.reject(keychainUnavailable());
  }
}

const H = 'homologacao';
const EM_OPERACAO_ROOT = '10107000';
let standin: SefazStandin;
let dir: string;
let clock: number;
let cores: Core[] = [];
const keychain = new OsKeychain(`CertDesk-test-sefaz-${randomUUID()}`);

beforeAll(async () => {
  standin = await startSefazStandin();
});
afterAll(() => standin.close());
beforeEach(async () => {
  standin.reset();
  dir = await mkdtemp(join(tmpdir(), 'certdesk-sefaz-'));
  clock = Date.parse('2026-03-02T12:00:00Z');
});
afterEach(async () => {
  for (const core of cores) await core.close();
  cores = [];
  await rm(dir, { recursive: true, force: true });
});

async function open(store: SecretStore = keychain): Promise<HandlerTable> {
  const core = await createCore({
    dataDir: dir,
    shell: 'browser',
    version: 't',
    keychain: store,
    now: () => new Date(clock),
    sefazTestTransport: { connectOverride: standin.connectOverride, extraTrustAnchors: [standin.rootPem] },
  });
  cores.push(core);
  return core.handlers;
}

/** The SP / RS / MA workspace with `file` installed on the three branches, each with its parametrized modules. */
async function installed(handlers: HandlerTable, file = 'em-operacao', password: string | null = SEFAZ_PASSWORD) {
  const branches = threeStates(EM_OPERACAO_ROOT);
  await handlers['workspace:setup']({ environment: H, kind: 'guided', branches, modules: SEFAZ_MODULES });
  const { certificate, results } = await handlers['certificates:install']({
    environment: H,
    path: clientPfx(file),
    password,
    selection: branches.map((b) => ({ branch: b.code, modules: b.modules })),
  });
  expect(results.every((r) => r.installed)).toBe(true);
  return certificate.id;
}

describe('a check of an installed certificate', () => {
  it('asks each authorizer once, with the right address and cUF, and words every branch and module', async () => {
    const handlers = await open();
    const id = await installed(handlers);
    const check = await handlers['sefaz:check']({ environment: H, certificateId: id });

    // SP, RS and MA for NF-e (SP, RS, SVAN) and SP and RS for CT-e: five calls, each once.
    expect(standin.calls.map((c) => `${c.module} ${c.host}${c.path} ${c.cUF} ${c.tpAmb}`).sort()).toEqual(
      (['SP nfe', 'SP cte', 'RS nfe', 'RS cte', 'MA nfe'] as const)
        .map((key) => `${key.split(' ')[1]} ${hostAndPath(EXPECTED_CALLS[key].url)} ${EXPECTED_CALLS[key].cUF} 2`)
        .sort(),
    );
    expect(check.links.map((l) => [l.branch, l.module, l.kind, l.result?.code ?? null, l.result?.authorizer ?? null])).toEqual([
      ['SP', 'faturamento', 'checked', 'IN_OPERATION', 'SP'],
      ['SP', 'recebimento-cte', 'checked', 'IN_OPERATION', 'SP'],
      ['RS', 'faturamento', 'checked', 'IN_OPERATION', 'RS'],
      ['RS', 'recebimento-cte', 'checked', 'IN_OPERATION', 'RS'],
      ['MA', 'faturamento', 'checked', 'IN_OPERATION', 'SVAN'],
      ['MA', 'recebimento-nfe', 'no-service', null, null],
    ]);
    const sp = check.links.find((l) => l.branch === 'SP' && l.module === 'faturamento')!.result!;
    expect(sp).toMatchObject({ cStat: 107, tpAmb: 2, cUF: 35, url: EXPECTED_CALLS['SP nfe'].url, reused: false, proxy: null });
    expect(sp.text).toMatch(/^Em operação \(107\) · resposta em /);
    expect(check.summary).toMatchObject({ certificateId: id, state: 'ok', code: null, checkedAt: '2026-03-02T12:00:00.000Z' });
    expect((await handlers['sefaz:summaries']({ environment: H })).items).toEqual([check.summary]);
  });

  it('answers a repeat within three minutes from the kept answers, with their time — after a restart too', async () => {
    let handlers = await open();
    const id = await installed(handlers);
    await handlers['sefaz:check']({ environment: H, certificateId: id });
    expect(standin.calls).toHaveLength(5);

    clock += 2 * 60 * 1000;
    const again = await handlers['sefaz:check']({ environment: H, certificateId: id });
    expect(standin.calls).toHaveLength(5);
    const answers = again.links.filter((l) => l.result).map((l) => l.result!);
    expect(answers.every((r) => r.reused && r.checkedAt === '2026-03-02T12:00:00.000Z')).toBe(true);

    // The app restarts: the answers are read back from the data folder, not asked again.
    await cores.pop()!.close();
    handlers = await open();
    clock += 50 * 1000;
    expect((await handlers['sefaz:check']({ environment: H, certificateId: id })).links.every((l) => !l.result || l.result.reused)).toBe(
      true,
    );
    expect(standin.calls).toHaveLength(5);

    // Three minutes after the first answers: SEFAZ is asked again.
    clock += 11 * 1000;
    const fresh = await handlers['sefaz:check']({ environment: H, certificateId: id });
    expect(standin.calls).toHaveLength(10);
    expect(fresh.links.filter((l) => l.result).every((l) => !l.result!.reused && l.result!.checkedAt === '2026-03-02T12:03:01.000Z')).toBe(
      true,
    );
  });

  it('keeps the result in a private file of the data folder, and the last check comes back from it', async () => {
    const handlers = await open();
    const id = await installed(handlers);
    const check = await handlers['sefaz:check']({ environment: H, certificateId: id });
    const folder = join(dir, 'sefaz-checks', H);
    expect((await lstat(join(dir, 'sefaz-checks'))).mode & 0o777).toBe(0o700);
    expect((await lstat(folder)).mode & 0o777).toBe(0o700);
    expect(await readdir(folder)).toEqual([`${id}.json`]);
    expect((await lstat(join(folder, `${id}.json`))).mode & 0o777).toBe(0o600);
    const text = await readFile(join(folder, `${id}.json`), 'utf8');
    expect(text).not.toContain(SEFAZ_PASSWORD);
    expect(text).not.toContain('PRIVATE KEY');
    expect(await handlers['sefaz:lastCheck']({ environment: H, certificateId: id })).toEqual(check);

    // Deleting the certificate forgets its result too (the list no longer names it, the file goes).
    await handlers['certificates:delete']({ environment: H, id });
    expect((await handlers['sefaz:summaries']({ environment: H })).items).toEqual([]);
    expect(await readdir(folder)).toEqual([]);
  });

  it('says which branches have no state (never guessed) and which modules have no status service', async () => {
    const handlers = await open();
    const id = await installed(handlers);
    // A branch as an earlier version kept it: no state. Only the workspace file knows that shape.
    const file = join(dir, 'workspaces', H, 'workspace.json');
    const doc = JSON.parse(await readFile(file, 'utf8'));
    delete doc.branches.find((b: { code: string }) => b.code === 'RS').uf;
    await cores.pop()!.close();
    await writeFile(file, JSON.stringify(doc));
    const reopened = await open();
    expect((await reopened['workspace:status']({ environment: H })).branches.find((b) => b.code === 'RS')!.uf).toBeNull();

    const check = await reopened['sefaz:check']({ environment: H, certificateId: id });
    expect(check.links.filter((l) => l.branch === 'RS').map((l) => l.kind)).toEqual(['no-state', 'no-state']);
    expect(check.summary.state).toBe('incomplete');
    expect(standin.calls.map((c) => c.host).sort()).toEqual([
      'hom.sefazvirtual.fazenda.gov.br',
      ...Array(2).fill('homologacao.nfe.fazenda.sp.gov.br'),
    ]);
  });
});

describe('the certificate’s password', () => {
  it('without a keychain is asked: PASSWORD_REQUIRED, then WRONG_PASSWORD, then the check with the right one', async () => {
    const handlers = await open(new NoKeychain());
    const id = await installed(handlers);
    await expect(handlers['sefaz:check']({ environment: H, certificateId: id })).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    await expect(handlers['sefaz:check']({ environment: H, certificateId: id, password: 'errada' })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    expect(standin.calls).toHaveLength(0);
    const check = await handlers['sefaz:check']({ environment: H, certificateId: id, password: SEFAZ_PASSWORD });
    expect(check.summary.state).toBe('ok');
    expect(await readdir(join(dir, 'sefaz-checks', H))).toEqual([`${id}.json`]);
  });
});

describe('answers per certificate', () => {
  it.each([
    ['paralisado-108', '10108000', 'PAUSED', 108, /^Serviço paralisado momentaneamente \(108\)/],
    ['revogado', '10284000', 'CERT_REVOKED', 284, /^A SEFAZ recusou o certificado: certificado revogado \(284\)/],
    ['ac-desconhecida', '10999000', 'TLS_REFUSED', null, /^A SEFAZ recusou a conexão segura com este certificado/],
  ])('%s: %s', async (file, root, code, cStat, text) => {
    const handlers = await open();
    const branches = threeStates(root).slice(0, 1);
    await handlers['workspace:setup']({ environment: H, kind: 'guided', branches, modules: SEFAZ_MODULES });
    const { certificate } = await handlers['certificates:install']({
      environment: H,
      path: clientPfx(file),
      password: SEFAZ_PASSWORD,
      selection: [{ branch: 'SP', modules: ['faturamento'] }],
    });
    const check = await handlers['sefaz:check']({ environment: H, certificateId: certificate.id });
    expect(check.links[0]!.result).toMatchObject({ code, cStat, ok: false });
    expect(check.links[0]!.result!.text).toMatch(text);
    expect(check.summary).toMatchObject({ state: 'problem', code, cStat });
  });
});
