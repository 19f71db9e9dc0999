/**
 * Chain and revocation in the embedded workspace, against the CA stand-in (a real HTTP server on
 * 127.0.0.1), real PFX files of its hierarchy, a real lowdb folder and the real worker pool: the check
 * at install (a revoked certificate refused, offline never blocking, a slow answer kept when it
 * comes), the result kept beside the record, edits refused once revoked, and the background recheck.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Environment } from '@certdesk/shared/contract';
import { certificateRow } from '@certdesk/shared/certificate-row';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { TrustService } from '@certdesk/core/trust/trust-service';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';

const P: Environment = 'producao';
const HOUR = 3_600_000;
let ca: CaServer;
let files: string;
let pool: PfxWorkerPool;
let dir: string;
let clock: Date;
let service: WorkspaceService;

function makeService(installWaitMs?: number): WorkspaceService {
  const trust = new TrustService({ dataDir: dir, online: true, now: () => clock, timeZone: 'America/Sao_Paulo' });
  return new WorkspaceService({
    dataDir: dir,
    keychain: new MemoryKeychain(),
    inspect: (path, password) => pool.inspect(path, password, clock),
    now: () => clock,
    user: () => 'ana.admin',
    trust: { open: (path, password) => pool.inspectWithCertificates(path, password, clock), evaluator: trust, installWaitMs },
  });
}

/** `<case>.pfx`: the leaf, its key and (withChain) the AC and root; else the AC comes from AIA. */
async function file(name: CaCase, withChain = false): Promise<string> {
  const path = join(files, `${name}${withChain ? '-cadeia' : ''}.pfx`);
  await writeFile(path, caPfx(ca.pki, name, withChain));
  return path;
}
const install = async (name: CaCase, withChain = false) =>
  service.install(P, {
    path: await file(name, withChain),
    password: CA_PFX_PASSWORD,
    selection: [{ branch: '0001', modules: ['faturamento'] }],
  });

beforeAll(async () => {
  ca = await startCaServer();
  files = await mkdtemp(join(tmpdir(), 'certdesk-ca-pfx-'));
  pool = new PfxWorkerPool(2);
}, 120_000);
afterAll(async () => {
  await pool.close();
  await ca.close();
  await rm(files, { recursive: true, force: true });
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-ws-trust-'));
  clock = new Date();
  service = makeService();
  await service.setup(P, { kind: 'example' });
  return () => rm(dir, { recursive: true, force: true });
});

describe('the check at install', () => {
  it('keeps the chain (completed from AIA) and "not revoked" with its CRL beside the record; the row has no revoked mark', async () => {
    const { certificate } = await install('valido');
    expect(certificate.trust).toMatchObject({
      online: true,
      chain: { status: 'unknown-root', path: 'AC Teste CertDesk → Raiz de Teste CertDesk' },
      revocation: { status: 'good', code: 'NOT_REVOKED', source: 'crl', crl: { url: `${ca.url}/lcr/ac-teste.crl` } },
    });
    expect((await service.get(P, certificate.id)).trust).toEqual(certificate.trust);
    const [row] = (await service.list(P)).map(certificateRow);
    expect(row).toMatchObject({ id: certificate.id, status: 'configured' });
    expect(row).not.toHaveProperty('revoked');

    // Beside certificates.json, private, with the certificate the recheck needs (public data, no key).
    const kept = join(dir, 'workspaces', P, 'trust.json');
    expect((await stat(kept)).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(await readFile(kept, 'utf8'));
    expect(Object.keys(doc.entries)).toEqual([certificate.id]);
    expect(doc.entries[certificate.id].certificates[0]).toBe(ca.pki.leaves['valido'].der.toString('base64'));
    expect(await readFile(kept, 'utf8')).not.toContain(CA_PFX_PASSWORD);
  });

  for (const [name, source] of [
    ['revogado', 'LCR'],
    ['ocsp-revogado', 'OCSP'],
  ] as const) {
    it(`refuses a certificate the ${source} says is revoked, saying when and why; nothing is installed`, async () => {
      const day = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo' }).format(ca.revokedAt);
      await expect(install(name)).rejects.toMatchObject({
        code: 'CERTIFICATE_REVOKED',
        message: `Certificado revogado em ${day} (comprometimento da chave): não pode ser instalado.`,
      });
      expect(await service.list(P)).toEqual([]);
      expect(await readdir(join(dir, 'workspaces', P, 'vault'))).toEqual([]);
      expect((await service.history(P, {})).entries).toEqual([]);
    });
  }

  it('offline never blocks: with the CA unreachable the install goes on, "not checked", and is due again', async () => {
    const own = await startCaServer();
    const path = join(files, 'valido-outra-ac.pfx');
    await writeFile(path, caPfx(own.pki, 'valido', true));
    await own.close(); // its addresses now refuse connections
    const { certificate } = await service.install(P, { path, password: CA_PFX_PASSWORD, selection: [] });
    expect(certificate.trust!.revocation).toMatchObject({ status: 'unknown', code: 'UNCHECKED_OFFLINE' });
    expect(certificate.trust!.chain.status).toBe('unknown-root'); // the chain came from the file
    expect(Date.parse(certificate.trust!.revocation.nextCheckAt) - clock.getTime()).toBe(HOUR);
  });

  it('a network slower than the install waits: installed with the cache’s answer, the network’s kept when it comes', async () => {
    service = makeService(200);
    const release = ca.hold();
    let installed;
    try {
      installed = await install('valido', true);
    } finally {
      release();
    }
    const { certificate } = installed;
    expect(certificate.trust!.revocation.code).not.toBe('NOT_REVOKED'); // what the cache knew: nothing yet
    await vi.waitFor(async () => expect((await service.get(P, certificate.id)).trust!.revocation.code).toBe('NOT_REVOKED'), {
      timeout: 30_000,
      interval: 100,
    });
  });
});

describe('a revoked certificate afterwards', () => {
  it('the background recheck finds it, the row is marked and keeps its status; edits are refused; delete works', async () => {
    const own = await startCaServer();
    const path = join(files, 'valido-recheck.pfx');
    await writeFile(path, caPfx(own.pki, 'valido', false));
    const { certificate } = await service.install(P, {
      path,
      password: CA_PFX_PASSWORD,
      selection: [{ branch: '0001', modules: ['faturamento'] }],
    });
    expect(certificate.trust!.revocation.code).toBe('NOT_REVOKED');
    // Nothing is due yet; the next check is at the latest a day away.
    expect(await service.recheckRevocation(P)).toMatchObject({ checked: 0, newlyRevoked: 0 });
    const delay = (await service.recheckRevocation(P)).nextDelay!;
    expect(delay).toBeGreaterThan(23 * HOUR);
    expect(delay).toBeLessThanOrEqual(24 * HOUR);

    const revokedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    own.revoke('valido', revokedAt);
    clock = new Date(clock.getTime() + 24 * HOUR + 60_000); // a day later
    expect(await service.recheckRevocation(P)).toMatchObject({ checked: 1, newlyRevoked: 1 });
    await own.close();

    const [row] = (await service.list(P)).map(certificateRow);
    expect(row).toMatchObject({ status: 'configured', revoked: { revokedAt: revokedAt.toISOString(), reasonCode: 1 } });
    const view = await service.get(P, certificate.id);
    expect(view.trust!.revocation).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
    await expect(service.edit(P, certificate.id, [])).rejects.toMatchObject({
      code: 'CERTIFICATE_REVOKED',
      message: expect.stringMatching(/^Certificado revogado em .+: a única ação permitida é a exclusão\.$/),
    });
    // Checked again the same day: nothing due, nothing found again.
    expect(await service.recheckRevocation(P)).toMatchObject({ checked: 0, newlyRevoked: 0 });

    await service.remove(P, certificate.id);
    const doc = JSON.parse(await readFile(join(dir, 'workspaces', P, 'trust.json'), 'utf8'));
    expect(doc.entries).toEqual({});
  });

  it('an environment that never kept a check is not opened by the recheck', async () => {
    expect(await service.recheckRevocation('homologacao')).toEqual({ checked: 0, newlyRevoked: 0, nextDelay: null });
    expect(await readdir(join(dir, 'workspaces'))).toEqual([P]);
  });

  it('a damaged trust.json costs the kept checks, never the workspace: copied aside, started again', async () => {
    const { certificate } = await install('valido');
    await writeFile(join(dir, 'workspaces', P, 'trust.json'), '{"entries": [');
    service = makeService(); // a new start reads it
    const view = await service.get(P, certificate.id);
    expect(view.trust).toBeNull();
    expect(view.status).toBe('configured');
    expect((await readdir(join(dir, 'workspaces', P))).some((name) => name.startsWith('trust.json.') && name !== 'trust.json')).toBe(true);
  });
});
