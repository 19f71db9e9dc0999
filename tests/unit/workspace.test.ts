/**
 * The embedded workspace on a real lowdb folder in a temp dir, the real OS keychain and the real
 * PFX fixtures: every rule and message of docs/PRODUCT.md §2.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '@certdesk/shared/contract';
import { OsKeychain } from '#desktop/keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { decodeSecret, readVaultFile } from '@certdesk/core/workspace/vault';
import { vaultAccount } from '@certdesk/core/workspace/workspace-store';
import { PASSWORD, pfx } from '../fixtures';

let dir: string;
let clock: Date;
let service: WorkspaceService;
const keychain = new OsKeychain(`CertDesk-test-${randomUUID()}`);
const P: Environment = 'producao';

function makeService(): WorkspaceService {
  return new WorkspaceService({
    dataDir: dir,
    keychain,
    inspect: (path, password) => inspectFile(path, { password, now: clock }),
    now: () => clock,
    user: () => 'ana.admin',
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-ws-'));
  clock = new Date('2026-06-01T12:00:00Z');
  service = makeService();
});
afterEach(async () => {
  for (const env of ['producao', 'homologacao'] as const) {
    for (const cert of await service.list(env).catch(() => []))
      await keychain.delete(vaultAccount(env, cert.certificate.fingerprints.sha256));
  }
  await rm(dir, { recursive: true, force: true });
});

const install = (
  file: string,
  selection: { branch: string; modules: string[] }[],
  extra: { password?: string | null; manual?: boolean } = {},
) =>
  service.install(P, {
    path: pfx(file),
    password: extra.password === undefined ? PASSWORD : extra.password,
    selection,
    manual: extra.manual,
  });

describe('first run', () => {
  it('starts unconfigured and refuses to install until set up', async () => {
    expect(await service.status(P)).toMatchObject({ ready: false, setup: null, branches: [], certificates: 0 });
    await expect(install('v01_default.pfx', [])).rejects.toMatchObject({ code: 'SETUP_REQUIRED' });
  });

  it('offers an example workspace, per environment', async () => {
    const status = await service.setup(P, { kind: 'example' });
    expect(status).toMatchObject({ ready: true, setup: 'example' });
    expect(status.branches.map((b) => b.code)).toEqual(['0001', '0002', '0003', '0101']);
    expect(status.modules.filter((m) => m.licensed).map((m) => m.name)).toEqual(['Faturamento', 'Recebimento CT-e', 'Recebimento NF-e']);
    expect((await service.status('homologacao')).ready).toBe(false); // Produção and Homologação are apart
  });

  it('guided setup validates CNPJs (numeric and alphanumeric), codes and modules', async () => {
    const modules = [{ id: 'faturamento', name: 'Faturamento', licensed: true }];
    const ok = await service.setup(P, {
      kind: 'guided',
      modules,
      branches: [
        { code: '0001', name: 'Matriz', cnpj: '11.222.333/0001-81', modules: ['faturamento'], uf: 'SP' },
        { code: '0002', name: 'Nova', cnpj: '12.ABC.345/01DE-35', modules: [], uf: 'MA' },
      ],
    });
    expect(ok.branches.map((b) => b.cnpj)).toEqual(['11222333000181', '12ABC34501DE35']);
    const bad = (branches: object[], mods = modules) =>
      service.setup(P, { kind: 'guided', modules: mods, branches: branches.map((b) => ({ uf: 'SP', ...b })) as never });
    await expect(bad([{ code: '1', name: 'x', cnpj: '11222333000182', modules: [] }])).rejects.toMatchObject({
      code: 'INVALID_DATA',
      message: expect.stringContaining('CNPJ inválido na filial 1'),
    });
    await expect(
      bad([
        { code: '1', name: 'x', cnpj: '11222333000181', modules: [] },
        { code: '1', name: 'y', cnpj: '11222333000181', modules: [] },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('repetido') });
    await expect(bad([{ code: '1', name: 'x', cnpj: '11222333000181', modules: ['nfse'] }])).rejects.toMatchObject({
      code: 'INVALID_DATA',
      message: expect.stringContaining('nfse'),
    });
    // Every branch says its state: none is guessed, and only the 27 states are states.
    await expect(bad([{ code: '7', name: 'x', cnpj: '11222333000181', modules: [], uf: null }])).rejects.toMatchObject({
      code: 'INVALID_DATA',
      message: 'Informe o estado (UF) da filial 7.',
    });
    await expect(bad([{ code: '7', name: 'x', cnpj: '11222333000181', modules: [], uf: 'XX' }])).rejects.toMatchObject({
      code: 'INVALID_DATA',
      message: expect.stringContaining('Estado (UF) inválido na filial 7'),
    });
    expect((await service.status(P)).branches.map((b) => b.uf)).toEqual(['SP', 'MA']);
  });
});

describe('install', () => {
  beforeEach(async () => {
    await service.setup(P, { kind: 'example' });
  });

  it('refuses a selection over its budget, or naming a branch or module the workspace does not have — before storing anything', async () => {
    const refused = async (selection: { branch: string; modules: string[] }[]) => {
      const error = await install('v01_default.pfx', selection).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error?.code).toBe('INVALID_DATA');
      return error!.message;
    };
    expect(await refused([{ branch: '0009', modules: ['faturamento'] }])).toBe('A filial 0009 não está cadastrada neste ambiente.');
    expect(await refused([{ branch: '0001', modules: ['xyz'] }])).toBe('O módulo xyz não existe no catálogo deste ambiente.');
    const many = Array.from({ length: 600 }, (_, i) => `m${i}`);
    expect(await refused([{ branch: '0001', modules: many }])).toBe('A filial 0001 traz 600 módulos; o máximo é 100.');
    const items = Array.from({ length: 501 }, () => ({ branch: '0001', modules: ['faturamento'] }));
    expect(await refused(items)).toBe('A seleção tem 501 filiais; o máximo é 500.');
    expect((await service.status(P)).certificates).toBe(0);
    expect((await service.history(P, {})).entries).toEqual([]);
  });

  it('installs per branch and module, with an observation for each one refused', async () => {
    const { certificate, results } = await install('v01_default.pfx', [
      { branch: '0001', modules: ['faturamento', 'recebimento-cte', 'manifestacao'] },
      { branch: '0002', modules: ['faturamento', 'recebimento-cte'] },
      { branch: '0101', modules: ['faturamento'] },
    ]);
    const byKey = Object.fromEntries(results.map((r) => [`${r.branch}/${r.module}`, r]));
    expect(byKey['0001/faturamento']).toMatchObject({ installed: true, observation: null });
    expect(byKey['0001/recebimento-cte']).toMatchObject({ installed: true });
    expect(byKey['0001/manifestacao']!.observation).toEqual({
      code: 'MODULE_NOT_LICENSED',
      message: 'Módulo Manifestação do Destinatário não licenciado para este cliente.',
    });
    expect(byKey['0002/faturamento']!.observation).toEqual({
      code: 'MODULE_NOT_PARAMETRIZED',
      message: 'Módulo Faturamento não parametrizado na filial 0002',
    });
    expect(byKey['0002/recebimento-cte']!.installed).toBe(true);
    expect(byKey['0101/faturamento']!.observation).toEqual({
      code: 'CNPJ_ROOT_DIFFERS',
      message:
        'Rejeição 213: CNPJ-Base do Emitente difere do CNPJ-Base do Certificado Digital (filial 0101: 44.555.666; certificado: 11.222.333).',
    });
    expect(certificate).toMatchObject({
      status: 'configured',
      origin: 'certdesk',
      installedBy: 'ana.admin',
      fileName: 'v01_default.pfx',
    });
    expect(certificate.links).toEqual([
      { branch: '0001', module: 'faturamento' },
      { branch: '0001', module: 'recebimento-cte' },
      { branch: '0002', module: 'recebimento-cte' },
    ]);

    // The file is kept encrypted under a key kept, with its password, only in the keychain.
    const sha256 = certificate.certificate.fingerprints.sha256;
    const vault = join(dir, 'workspaces', 'producao', 'vault', `${sha256}.cdv`);
    const secret = decodeSecret((await keychain.get(vaultAccount(P, sha256)))!);
    expect(secret.password).toBe(PASSWORD);
    expect(await readVaultFile(vault, { key: Buffer.from(secret.key!, 'base64') })).toEqual(await readFile(pfx('v01_default.pfx')));
    expect((await readFile(vault)).includes(await readFile(pfx('v01_default.pfx')))).toBe(false);
    for (const name of ['workspace.json', 'certificates.json', 'history/000001.json']) {
      expect(await readFile(join(dir, 'workspaces', 'producao', name), 'utf8')).not.toContain(PASSWORD);
    }

    const [entry] = (await service.history(P, {})).entries;
    expect(entry).toMatchObject({
      action: 'install',
      user: 'ana.admin',
      at: '2026-06-01T12:00:00.000Z',
      certificate: { id: certificate.id, holderName: 'EMPRESA EXEMPLO LTDA' },
    });
    expect(entry!.selection).toHaveLength(3);
    expect(entry!.results).toEqual(results);
  });

  it('an empty selection leaves the certificate "Instalado e configuração disponível"', async () => {
    expect((await install('v01_default.pfx', [])).certificate.status).toBe('available');
  });

  it('refuses the same certificate twice, pointing to the existing one', async () => {
    const first = await install('v01_default.pfx', []);
    await expect(install('v16_chain_flag.pfx', [])).rejects.toMatchObject({
      code: 'DUPLICATE_CERTIFICATE',
      details: { existingId: first.certificate.id },
    });
  });

  it('refuses expired, not yet valid, keyless, mismatched and wrongly unlocked files, recording nothing', async () => {
    await expect(install('v24_expired.pfx', [])).rejects.toMatchObject({
      code: 'CERTIFICATE_EXPIRED',
      message: expect.stringContaining('01/01/2021'),
    });
    await expect(install('v43_not_yet_valid.pfx', [])).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_YET_VALID' });
    await expect(install('v28_certs_only.pfx', [])).rejects.toMatchObject({ code: 'NO_PRIVATE_KEY' });
    await expect(install('v44_key_mismatch.pfx', [])).rejects.toMatchObject({ code: 'KEY_MISMATCH' });
    await expect(install('v01_default.pfx', [], { password: 'errada' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(await service.list(P)).toEqual([]);
    expect((await service.history(P, {})).entries).toEqual([]);
    expect(await readdir(join(dir, 'workspaces', 'producao', 'vault'))).toEqual([]);
  });

  it('an e-CPF cannot serve a branch; another company serves its own root', async () => {
    const ecpf = await install('v23_ecpf.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
    expect(ecpf.results[0]!.observation?.code).toBe('CERTIFICATE_WITHOUT_CNPJ');
    const other = await install('v42_other_company.pfx', [{ branch: '0101', modules: ['faturamento'] }]);
    expect(other.results[0]).toMatchObject({ installed: true, observation: null });
  });

  it('registers a manual installation', async () => {
    const { certificate } = await install('v42_other_company.pfx', [{ branch: '0101', modules: ['faturamento'] }], { manual: true });
    expect(certificate.status).toBe('manual');
    expect((await service.history(P, {})).entries[0]).toMatchObject({ action: 'install', manual: true });
  });

  it('a manual registration links a branch/module or is refused, at install and at edit, recording nothing', async () => {
    // No branch, or only links the rules refuse (213): there is nothing "installed by hand" to register.
    await expect(install('v42_other_company.pfx', [], { manual: true })).rejects.toMatchObject({ code: 'MANUAL_WITHOUT_LINK' });
    await expect(install('v42_other_company.pfx', [{ branch: '0001', modules: ['faturamento'] }], { manual: true })).rejects.toMatchObject({
      code: 'MANUAL_WITHOUT_LINK',
    });
    expect(await service.list(P)).toEqual([]);
    expect((await service.history(P, {})).entries).toEqual([]);
    const { certificate } = await install('v42_other_company.pfx', [{ branch: '0101', modules: ['faturamento'] }], { manual: true });
    await expect(service.edit(P, certificate.id, [])).rejects.toMatchObject({ code: 'MANUAL_WITHOUT_LINK' });
    expect((await service.get(P, certificate.id)).status).toBe('manual');
  });

  it('serializes concurrent installs of the same file (two windows)', async () => {
    const outcomes = await Promise.allSettled([install('v01_default.pfx', []), install('v01_default.pfx', [])]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'DUPLICATE_CERTIFICATE' } });
    expect(await service.list(P)).toHaveLength(1);
  });
});

describe('edit, delete, expiry and history', () => {
  beforeEach(async () => {
    await service.setup(P, { kind: 'example' });
  });

  it('edit records before → after with observations', async () => {
    const { certificate } = await install('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
    clock = new Date('2026-06-02T09:00:00Z');
    const edited = await service.edit(P, certificate.id, [
      { branch: '0001', modules: ['recebimento-nfe'] },
      { branch: '0003', modules: ['faturamento', 'recebimento-cte'] },
    ]);
    expect(edited.before).toEqual([{ branch: '0001', module: 'faturamento' }]);
    expect(edited.after).toEqual([
      { branch: '0001', module: 'recebimento-nfe' },
      { branch: '0003', module: 'faturamento' },
    ]);
    expect(edited.results.find((r) => r.module === 'recebimento-cte')!.observation?.message).toBe(
      'Módulo Recebimento CT-e não parametrizado na filial 0003',
    );
    const [entry] = (await service.history(P, { action: 'edit' })).entries;
    expect(entry).toMatchObject({ action: 'edit', at: '2026-06-02T09:00:00.000Z', before: edited.before, after: edited.after });
    expect((await service.get(P, certificate.id)).lastResults).toEqual(edited.results);
  });

  it('delete removes the vault file and the keychain entry, records what it served, and history survives', async () => {
    const { certificate } = await install('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
    const sha256 = certificate.certificate.fingerprints.sha256;
    const { served } = await service.remove(P, certificate.id);
    expect(served).toEqual([{ branch: '0001', module: 'faturamento' }]);
    expect(await readdir(join(dir, 'workspaces', 'producao', 'vault'))).toEqual([]);
    expect(await keychain.get(vaultAccount(P, sha256))).toBeNull();
    await expect(service.get(P, certificate.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const history = (await service.history(P, { certificateId: certificate.id })).entries;
    expect(history.map((e) => e.action)).toEqual(['delete', 'install']);
    expect(history[0]!.served).toEqual(served);
    // Deleted: the same file can be installed again.
    expect((await install('v01_default.pfx', [])).certificate.id).not.toBe(certificate.id);
  });

  it('an expired certificate is shown as Expirado and only deletion is allowed', async () => {
    const { certificate } = await install('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
    clock = new Date('2046-01-01T00:00:00Z');
    expect((await service.list(P))[0]!.status).toBe('expired');
    await expect(service.edit(P, certificate.id, [])).rejects.toMatchObject({ code: 'EXPIRED_DELETE_ONLY' });
    await expect(service.remove(P, certificate.id)).resolves.toMatchObject({ served: certificate.links });
  });

  it('history filters by branch and action and pages newest first', async () => {
    const a = await install('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
    await install('v42_other_company.pfx', [{ branch: '0101', modules: ['faturamento'] }]);
    await service.edit(P, a.certificate.id, [{ branch: '0002', modules: ['recebimento-cte'] }]);
    expect((await service.history(P, { branch: '0101' })).entries.map((e) => e.certificate.holderName)).toEqual(['OUTRA EMPRESA SA']);
    expect((await service.history(P, { branch: '0002' })).entries.map((e) => e.action)).toEqual(['edit']);
    const first = await service.history(P, { limit: 2 });
    expect(first).toMatchObject({ more: true });
    expect(first.entries.map((e) => e.action)).toEqual(['edit', 'install']);
    const next = await service.history(P, { limit: 2, after: first.entries[1]!.id });
    expect(next).toMatchObject({ more: false, entries: [{ action: 'install', certificate: { holderName: 'EMPRESA EXEMPLO LTDA' } }] });
  });

  it('keeps Produção and Homologação apart', async () => {
    await install('v01_default.pfx', []);
    await service.setup('homologacao', { kind: 'example' });
    expect(await service.list('homologacao')).toEqual([]);
    // The same certificate may be installed in both environments.
    const h = await service.install('homologacao', { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] });
    expect(h.certificate.environment).toBe('homologacao');
    expect((await service.history('homologacao', {})).entries).toHaveLength(1);
    expect((await service.history(P, {})).entries).toHaveLength(1);
  });
});

describe('reliability', () => {
  it('a corrupt document is backed up and reported, never replaced', async () => {
    await service.setup(P, { kind: 'example' });
    await install('v01_default.pfx', []);
    const file = join(dir, 'workspaces', 'producao', 'certificates.json');
    await writeFile(file, '{"version":1,"certificates":[{"id":');
    const fresh = makeService();
    await expect(fresh.list(P)).rejects.toMatchObject({
      code: 'WORKSPACE_CORRUPT',
      message: expect.stringContaining('cópia foi salva em'),
    });
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"certificates":[{"id":');
    const backups = (await readdir(join(dir, 'workspaces', 'producao'))).filter((n) => n.startsWith('certificates.json.corrompido-'));
    expect(backups).toHaveLength(1);
    await expect(fresh.install(P, { path: pfx('v42_other_company.pfx'), password: PASSWORD, selection: [] })).rejects.toMatchObject({
      code: 'WORKSPACE_CORRUPT',
    });
  });

  it('finishes an operation that reached its commit point before a crash, and drops one that did not', async () => {
    await service.setup(P, { kind: 'example' });
    const { certificate } = await install('v01_default.pfx', []);
    const ws = join(dir, 'workspaces', 'producao');
    const certs = JSON.parse(await readFile(join(ws, 'certificates.json'), 'utf8'));
    const entry = { ...(await service.history(P, {})).entries[0]!, id: randomUUID(), action: 'edit', before: [], after: [] };
    // Crash after the certificates write, before the history append:
    await writeFile(join(ws, 'journal.json'), JSON.stringify({ pending: { id: entry.id, entry, remove: [] } }));
    await writeFile(join(ws, 'certificates.json'), JSON.stringify({ ...certs, lastOperation: entry.id }));
    const recovered = makeService();
    expect((await recovered.history(P, {})).entries.map((e) => e.id)).toContain(entry.id);
    expect(JSON.parse(await readFile(join(ws, 'journal.json'), 'utf8'))).toEqual({ pending: null });
    // Crash before the commit point: the journal is discarded, nothing is added.
    const lost = { ...entry, id: randomUUID() };
    await writeFile(join(ws, 'journal.json'), JSON.stringify({ pending: { id: lost.id, entry: lost, remove: [] } }));
    const again = makeService();
    expect((await again.history(P, {})).entries.map((e) => e.id)).not.toContain(lost.id);
    expect((await again.get(P, certificate.id)).id).toBe(certificate.id);
  });

  it('removes the vault file of an install the journal proves never committed, and nothing else', async () => {
    await service.setup(P, { kind: 'example' });
    const ws = join(dir, 'workspaces', 'producao');
    const orphan = 'ab'.repeat(32);
    const unknown = 'cd'.repeat(32);
    await writeFile(join(ws, 'vault', `${orphan}.cdv`), 'x');
    await writeFile(join(ws, 'vault', `${unknown}.cdv`), 'y');
    await writeFile(join(ws, 'certificates.json'), JSON.stringify({ version: 1, lastOperation: null, certificates: [] }));
    await writeFile(join(ws, 'journal.json'), JSON.stringify({ pending: { id: 'op-1', entry: {}, remove: [], add: orphan } }));
    await makeService().list(P);
    // The journal proves the first an orphan; the second is no document's, but nothing proves it is garbage.
    expect(await readdir(join(ws, 'vault'))).toEqual([`${unknown}.cdv`]);
  });
});

describe('renaming a branch code', () => {
  const branch0002 = { code: '0002', name: 'Filial Campinas', cnpj: '11222333000262', modules: ['recebimento-cte'], uf: 'SP' as const };
  beforeEach(async () => {
    await service.setup(P, { kind: 'example' });
  });

  it('carries the links over to the new code, atomically, with a history entry per certificate', async () => {
    const a = await install('v01_default.pfx', [
      { branch: '0001', modules: ['faturamento'] },
      { branch: '0002', modules: ['recebimento-cte', 'faturamento'] },
    ]);
    const b = await install('v42_other_company.pfx', [{ branch: '0101', modules: ['faturamento'] }]);
    clock = new Date('2026-06-03T10:00:00Z');
    const status = await service.saveBranch(P, { ...branch0002, code: '0009' }, '0002');
    expect(status.branches.map((x) => x.code)).toEqual(['0001', '0003', '0009', '0101']);

    const moved = await service.get(P, a.certificate.id);
    expect(moved.links).toEqual([
      { branch: '0001', module: 'faturamento' },
      { branch: '0009', module: 'recebimento-cte' },
    ]);
    expect(moved.lastResults.map((r) => r.branch)).not.toContain('0002');
    expect(moved.updatedAt).toBe('2026-06-03T10:00:00.000Z');
    expect((await service.get(P, b.certificate.id)).links).toEqual(b.certificate.links); // untouched

    const [entry, ...rest] = (await service.history(P, { certificateId: a.certificate.id })).entries;
    expect(entry).toMatchObject({
      action: 'edit',
      at: '2026-06-03T10:00:00.000Z',
      renamedBranch: { from: '0002', to: '0009' },
      before: a.certificate.links,
      after: moved.links,
    });
    expect(rest.map((e) => e.action)).toEqual(['install']);
    expect((await service.history(P, {})).entries).toHaveLength(3); // nothing for the certificate that did not serve 0002
    expect((await service.history(P, { branch: '0009' })).entries.map((e) => e.id)).toEqual([entry!.id]);

    // On disk, both documents agree and a fresh open sees the same; the old code serves nothing.
    const reopened = makeService();
    expect((await reopened.list(P)).flatMap((c) => c.links.map((l) => l.branch))).not.toContain('0002');
    await expect(reopened.deleteBranch(P, '0009')).rejects.toMatchObject({ code: 'INVALID_DATA' });
    await expect(reopened.deleteBranch(P, '0002')).resolves.toBeTruthy(); // no such branch any more: nothing to refuse
  });

  it('a rename no certificate is affected by only changes the workspace', async () => {
    await install('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
    await service.saveBranch(P, { ...branch0002, code: '0009' }, '0002');
    expect((await service.history(P, {})).entries.map((e) => e.action)).toEqual(['install']);
    expect((await service.status(P)).branches.map((x) => x.code)).toContain('0009');
  });

  it('a rename onto an existing code is refused and changes nothing', async () => {
    const a = await install('v01_default.pfx', [{ branch: '0002', modules: ['recebimento-cte'] }]);
    await expect(service.saveBranch(P, { ...branch0002, code: '0001' }, '0002')).rejects.toMatchObject({ code: 'INVALID_DATA' });
    expect((await service.get(P, a.certificate.id)).links).toEqual(a.certificate.links);
    expect((await service.history(P, {})).entries).toHaveLength(1);
  });

  it('a crash after the commit point finishes the rename: the workspace follows the certificates', async () => {
    await install('v01_default.pfx', [{ branch: '0002', modules: ['recebimento-cte'] }]);
    const ws = join(dir, 'workspaces', 'producao');
    const oldWorkspace = await readFile(join(ws, 'workspace.json'), 'utf8');
    await service.saveBranch(P, { ...branch0002, code: '0009' }, '0002');
    const [entry] = (await service.history(P, { action: 'edit' })).entries;
    const newWorkspace = JSON.parse(await readFile(join(ws, 'workspace.json'), 'utf8'));
    // As if the process died after certificates.json (the commit point), before workspace.json and the history.
    await writeFile(join(ws, 'workspace.json'), oldWorkspace);
    await writeFile(
      join(ws, 'journal.json'),
      JSON.stringify({ pending: { id: entry!.id, entry: { ...entry, id: entry!.id }, remove: [], workspace: newWorkspace } }),
    );
    const recovered = makeService();
    expect((await recovered.status(P)).branches.map((b) => b.code)).toEqual(['0001', '0003', '0009', '0101']);
    expect((await recovered.history(P, { action: 'edit' })).entries).toHaveLength(1); // not appended twice
    expect(JSON.parse(await readFile(join(ws, 'journal.json'), 'utf8'))).toEqual({ pending: null });
  });
});

describe('what the details show, kept at install', () => {
  beforeEach(async () => {
    await service.setup(P, { kind: 'example' });
  });
  const stored = () => readFile(join(dir, 'workspaces', 'producao', 'certificates.json'), 'utf8');

  it('keeps the key check, the chain and the protection report — never the password or key material', async () => {
    const { certificate } = await install('v15_chain_certfile.pfx', []);
    const seen = await service.get(P, certificate.id);
    expect(seen.certificate).toMatchObject({ serialNumber: '1000', keyAlgorithm: 'RSA', fingerprints: { sha256: expect.any(String) } });
    expect(seen.inspection).toEqual({
      privateKey: { present: true, matchesCertificate: true },
      chain: [
        { commonName: 'EMPRESA EXEMPLO LTDA:11222333000181', notAfter: '2045-01-01T00:00:00.000Z', inFile: true },
        { commonName: 'AC EXEMPLO RFB v5', notAfter: '2034-01-01T00:00:00.000Z', inFile: true },
        { commonName: 'Autoridade Certificadora Raiz EXEMPLO v5', notAfter: '2039-01-01T00:00:00.000Z', inFile: true },
      ],
      icpBrasilRoot: null,
      protection: {
        mac: 'SHA-256',
        macIterations: 2048,
        encryption: [
          { target: 'certificates', algorithm: 'PBES2 AES-256-CBC', kdf: 'PBKDF2-SHA256', iterations: 2048 },
          { target: 'privateKey', algorithm: 'PBES2 AES-256-CBC', kdf: 'PBKDF2-SHA256', iterations: 2048 },
        ],
        warnings: [],
      },
    });
    const text = await stored();
    expect(text).toContain('AC EXEMPLO RFB v5');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toMatch(/PRIVATE KEY|"password"|passwordSource|"daysRemaining"|"status"/);
    const kept = JSON.parse(text).certificates[0];
    expect(Object.keys(kept.inspection).sort()).toEqual(['chain', 'icpBrasilRoot', 'privateKey', 'protection']);
    // Nothing else in the data folder holds the password in clear either.
    for (const name of await readdir(dir, { recursive: true })) {
      if (name.endsWith('.json')) expect(await readFile(join(dir, name), 'utf8')).not.toContain(PASSWORD);
    }
  });

  it('an install from before the facts were kept still opens, with what there is, validity derived now', async () => {
    const { certificate } = await install('v01_default.pfx', []);
    const doc = JSON.parse(await stored());
    delete doc.certificates[0].inspection;
    await writeFile(join(dir, 'workspaces', 'producao', 'certificates.json'), JSON.stringify(doc));
    clock = new Date('2046-01-02T00:00:00Z');
    const seen = await makeService().get(P, certificate.id);
    expect(seen.inspection).toBeUndefined();
    expect(seen).toMatchObject({ status: 'expired', certificate: { serialNumber: '1000', status: 'expired' } });
  });
});
