/**
 * A data folder written before certificates kept facts only (the summary's validity frozen at installation, labels
 * as data) opens correctly and is migrated durably; what depends on the clock is derived when read.
 * Real lowdb documents in a temp dir and the real OS keychain.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OsKeychain } from '#desktop/keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { HistoryLog } from '@certdesk/core/workspace/history-log';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { vaultAccount } from '@certdesk/core/workspace/workspace-store';
import { EXAMPLE_BRANCHES, EXAMPLE_MODULES } from '@certdesk/core/workspace/example-workspace';
import { PASSWORD, pfx } from '../fixtures';

let dir: string;
let clock: Date;
const keychain = new OsKeychain(`CertDesk-test-${randomUUID()}`);
const ws = () => join(dir, 'workspaces', 'producao');

const makeService = () =>
  new WorkspaceService({
    dataDir: dir,
    keychain,
    inspect: (path, password) => inspectFile(path, { password, now: clock }),
    now: () => clock,
    user: () => 'ana.admin',
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-migration-'));
  clock = new Date('2026-06-01T12:00:00Z');
});
afterEach(async () => {
  const service = makeService();
  for (const cert of await service.list('producao').catch(() => []))
    await keychain.delete(vaultAccount('producao', cert.certificate.fingerprints.sha256));
  await rm(dir, { recursive: true, force: true });
});

const readJson = async (...path: string[]) => JSON.parse(await readFile(join(ws(), ...path), 'utf8'));

const CERT_ID = '7d0c3f5e-4b7e-4a55-9a51-2f7f7c1f0a01';
const SHA256 = 'a'.repeat(64);

/** certificates.json exactly as the version before certificates kept facts only wrote it (the summary's validity frozen). */
const legacyCertificates = {
  version: 1,
  lastOperation: '11111111-1111-4111-8111-111111111113',
  certificates: [
    {
      id: CERT_ID,
      environment: 'producao',
      origin: 'certdesk',
      fileName: 'empresa.pfx',
      certificate: {
        commonName: 'EMPRESA EXEMPLO LTDA:11222333000181',
        holderName: 'EMPRESA EXEMPLO LTDA',
        type: 'A1',
        cnpj: '11222333000181',
        cpf: null,
        responsible: { name: 'FULANO DE TAL', cpf: '11144477735' },
        birthDate: null,
        issuerCommonName: 'AC EXEMPLO',
        subject: 'CN=EMPRESA EXEMPLO LTDA:11222333000181, O=ICP-Brasil, C=BR',
        issuer: 'CN=AC EXEMPLO, O=ICP-Brasil, C=BR',
        serialNumber: '01',
        notBefore: '2025-01-01T00:00:00.000Z',
        notAfter: '2027-01-01T00:00:00.000Z',
        daysRemaining: 213,
        status: 'valid',
        policy: 'A1',
        keyAlgorithm: 'RSA',
        keySize: 2048,
        fingerprints: { sha1: 'b'.repeat(40), sha256: SHA256 },
        keyUsage: ['digitalSignature'],
        extendedKeyUsage: ['clientAuth'],
        email: null,
      },
      links: [{ branch: '0001', module: 'faturamento' }],
      lastResults: [{ branch: '0001', module: 'faturamento', installed: true, observation: null }],
      installedAt: '2026-06-01T12:00:00.000Z',
      installedBy: 'ana.admin',
      updatedAt: '2026-06-01T12:00:00.000Z',
    },
  ],
};

const legacyEntry = (n: number, action: string) => ({
  id: `11111111-1111-4111-8111-11111111111${n}`,
  at: `2026-06-0${n}T12:00:00.000Z`,
  user: 'ana.admin',
  environment: 'producao',
  action,
  certificate: {
    id: CERT_ID,
    sha256: SHA256,
    holderName: 'EMPRESA EXEMPLO LTDA',
    cnpj: '11222333000181',
    cpf: null,
    notAfter: '2027-01-01T00:00:00.000Z',
  },
  results: [{ branch: '0001', module: 'faturamento', installed: true, observation: null }],
  before: [],
  after: [{ branch: '0001', module: 'faturamento' }],
});

async function writeLegacyFolder(journal: unknown = { pending: null }): Promise<void> {
  await mkdir(join(ws(), 'history'), { recursive: true, mode: 0o700 });
  await mkdir(join(ws(), 'vault'), { recursive: true, mode: 0o700 });
  const write = (name: string, value: unknown) => writeFile(join(ws(), name), JSON.stringify(value), { mode: 0o600 });
  await write('workspace.json', { version: 1, setup: 'example', branches: EXAMPLE_BRANCHES, modules: EXAMPLE_MODULES });
  await write('certificates.json', legacyCertificates);
  await write('journal.json', journal);
  await write(join('history', '000001.json'), [legacyEntry(1, 'Instalação'), legacyEntry(2, 'Edição'), legacyEntry(3, 'Edição')]);
}

describe('a data folder written before certificates kept facts only', () => {
  it('opens with the validity and status derived from the clock, not the frozen ones', async () => {
    await writeLegacyFolder();
    clock = new Date('2028-01-01T00:00:00Z'); // after notAfter: the stored "valid · 213" is a year stale
    const service = makeService();
    const [cert] = await service.list('producao');
    expect(cert).toMatchObject({ status: 'expired', daysRemaining: -365 });
    expect(cert!.certificate).toMatchObject({ status: 'expired', daysRemaining: -365 });
    // Details (get) agree with the list.
    expect((await service.get('producao', CERT_ID)).certificate).toMatchObject({ status: 'expired', daysRemaining: -365 });
    await expect(service.edit('producao', CERT_ID, [])).rejects.toMatchObject({ code: 'EXPIRED_DELETE_ONLY' });

    clock = new Date('2026-12-02T00:00:00Z');
    expect((await service.get('producao', CERT_ID)).certificate).toMatchObject({ status: 'expiring', daysRemaining: 30 });
    expect((await service.get('producao', CERT_ID)).status).toBe('configured');
  });

  it('writes the certificates back with facts only and the history with action codes, once', async () => {
    await writeLegacyFolder();
    const service = makeService();
    expect((await service.history('producao', { action: 'edit' })).entries.map((e) => e.id)).toEqual([
      legacyEntry(3, '').id,
      legacyEntry(2, '').id,
    ]);
    const stored = await readJson('certificates.json');
    expect(stored.certificates[0].certificate).not.toHaveProperty('status');
    expect(stored.certificates[0].certificate).not.toHaveProperty('daysRemaining');
    expect(stored.certificates[0].certificate.notAfter).toBe('2027-01-01T00:00:00.000Z');
    expect(stored.lastOperation).toBe(legacyCertificates.lastOperation); // recovery still agrees with the journal
    expect((await readJson('history', '000001.json')).map((e: { action: string }) => e.action)).toEqual(['install', 'edit', 'edit']);
    // Written through the durable adapter: no temporary file left, no damaged copy made.
    expect((await readdir(ws())).filter((n) => n.endsWith('.tmp') || n.includes('corrompido'))).toEqual([]);

    // Idempotent: opening the migrated folder changes nothing.
    const before = await readFile(join(ws(), 'certificates.json'), 'utf8');
    const again = makeService();
    expect((await again.list('producao'))[0]!.status).toBe('configured');
    expect(await readFile(join(ws(), 'certificates.json'), 'utf8')).toBe(before);
    expect((await again.history('producao', {})).entries.map((e) => e.action)).toEqual(['edit', 'edit', 'install']);
  });

  it('a filter by an old label still finds the entries (callers of an earlier version)', async () => {
    await writeLegacyFolder();
    const service = makeService();
    expect((await service.history('producao', { action: 'Instalação' as never })).entries.map((e) => e.action)).toEqual(['install']);
  });

  it('an operation in flight in an old journal is finished with a code in the history', async () => {
    const pending = { ...legacyEntry(4, 'Exclusão'), served: [{ branch: '0001', module: 'faturamento' }] };
    await writeLegacyFolder({ pending: { id: pending.id, entry: pending, remove: [] } });
    await writeFile(
      join(ws(), 'certificates.json'),
      JSON.stringify({ ...legacyCertificates, lastOperation: pending.id, certificates: [] }),
    );
    const service = makeService();
    expect((await service.history('producao', { limit: 1 })).entries[0]).toMatchObject({ id: pending.id, action: 'delete' });
    expect(await readJson('journal.json')).toEqual({ pending: null });
  });

  it('old history documents beyond the newest are migrated when a listing reaches them', async () => {
    const history = join(dir, 'history');
    await mkdir(history);
    await writeFile(join(history, '000001.json'), JSON.stringify([legacyEntry(1, 'Instalação'), legacyEntry(2, 'Exclusão')]));
    await writeFile(join(history, '000002.json'), JSON.stringify([legacyEntry(3, 'Edição')]));
    const log = await HistoryLog.open(history);
    expect(JSON.parse(await readFile(join(history, '000002.json'), 'utf8'))[0].action).toBe('edit'); // the newest, at open
    expect((await log.list({ action: 'delete' })).entries.map((e) => e.id)).toEqual([legacyEntry(2, '').id]);
    expect(JSON.parse(await readFile(join(history, '000001.json'), 'utf8')).map((e: { action: string }) => e.action)).toEqual([
      'install',
      'delete',
    ]);
  });
});

describe('facts only from now on', () => {
  it('an installed certificate is stored without the clock-dependent validity, and read fresh', async () => {
    const service = makeService();
    await service.setup('producao', { kind: 'example' });
    const { certificate } = await service.install('producao', {
      path: pfx('v01_default.pfx'),
      password: PASSWORD,
      selection: [{ branch: '0001', modules: ['faturamento'] }],
    });
    expect(certificate.certificate.status).toBe('valid');
    const stored = (await readJson('certificates.json')).certificates[0];
    expect(stored.certificate).not.toHaveProperty('status');
    expect(stored.certificate).not.toHaveProperty('daysRemaining');
    expect(stored).not.toHaveProperty('status');
    const days = certificate.certificate.daysRemaining;
    clock = new Date(clock.getTime() + 10 * 86_400_000);
    expect((await service.get('producao', certificate.id)).certificate.daysRemaining).toBe(days - 10);
    expect((await service.get('producao', certificate.id)).daysRemaining).toBe(days - 10);
    clock = new Date('2046-01-01T00:00:00Z');
    const expired = await service.get('producao', certificate.id);
    expect(expired).toMatchObject({ status: 'expired', certificate: { status: 'expired' } });
    expect(expired.daysRemaining).toBeLessThan(0);
  });
});
