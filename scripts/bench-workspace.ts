/**
 * Bench section 4: the embedded workspace at 10,000 certificates and 50,000 history entries.
 * Reference: writing the same certificates document with a plain fs.writeFile (no fsync, no rename).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEntry, InstalledCertificate } from '@certdesk/shared/workspace';
import { MemoryKeychain } from '../stand-ins/memory-keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { PASSWORD, pfx } from '../tests/fixtures';
import { median } from './bench-stats';

const CERTIFICATES = 10_000;
const HISTORY = 50_000;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/** A workspace folder holding `count` certificates and `history` history entries (also used by the renderer bench). */
export async function seedWorkspace(dir: string, count = CERTIFICATES, history = HISTORY): Promise<InstalledCertificate[]> {
  const service = new WorkspaceService({
    dataDir: dir,
    keychain: new MemoryKeychain(),
    inspect: (p, pw) => inspectFile(p, { password: pw }),
  });
  await service.setup('producao', { kind: 'example' });
  // Fill the documents directly: 10,000 certificates and 50,000 history entries.
  const template = (await inspectFile(pfx('v01_default.pfx'), { password: PASSWORD })).certificate!;
  const certificates: InstalledCertificate[] = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    environment: 'producao',
    origin: 'certdesk',
    fileName: `empresa-${i}.pfx`,
    certificate: {
      ...template,
      holderName: `EMPRESA ${i} LTDA`,
      fingerprints: { sha1: '0'.repeat(40), sha256: i.toString(16).padStart(64, '0') },
    },
    links: [{ branch: '0001', module: 'faturamento' }],
    lastResults: [{ branch: '0001', module: 'faturamento', installed: true, observation: null }],
    installedAt: '2026-01-01T00:00:00.000Z',
    installedBy: 'bench',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }));
  const ws = join(dir, 'workspaces', 'producao');
  await writeFile(join(ws, 'certificates.json'), JSON.stringify({ version: 1, lastOperation: null, certificates }));
  await mkdir(join(ws, 'history'), { recursive: true });
  for (let chunk = 0; chunk < history / 1000; chunk++) {
    const entries: HistoryEntry[] = Array.from({ length: 1000 }, (_, i) => {
      const cert = certificates[(chunk * 1000 + i) % count]!;
      return {
        id: randomUUID(),
        at: new Date(Date.UTC(2026, 0, 1) + (chunk * 1000 + i) * 60_000).toISOString(),
        user: 'bench',
        environment: 'producao',
        action: 'install',
        certificate: {
          id: cert.id,
          sha256: cert.certificate.fingerprints.sha256,
          holderName: cert.certificate.holderName,
          cnpj: cert.certificate.cnpj,
          cpf: null,
          notAfter: cert.certificate.notAfter,
        },
        selection: [{ branch: '0001', modules: ['faturamento'] }],
        results: cert.lastResults,
      };
    });
    await writeFile(join(ws, 'history', `${String(chunk + 1).padStart(6, '0')}.json`), JSON.stringify(entries));
  }

  return certificates;
}

export async function benchWorkspace(): Promise<[string, string][]> {
  const dir = await mkdtemp(join(tmpdir(), 'certdesk-bench-ws-'));
  const open = () =>
    new WorkspaceService({ dataDir: dir, keychain: new MemoryKeychain(), inspect: (p, pw) => inspectFile(p, { password: pw }) });
  const certificates = await seedWorkspace(dir);
  const ws = join(dir, 'workspaces', 'producao');
  const certificatesJson = await readFile(join(ws, 'certificates.json'), 'utf8');
  let service = open();
  service = open();
  const [, openMs] = await time(() => service.list('producao'));
  const listSamples: number[] = [];
  for (let i = 0; i < 5; i++) listSamples.push((await time(() => service.list('producao')))[1]);

  const installSamples: number[] = [];
  const installed: string[] = [];
  for (const file of ['v42_other_company.pfx', 'v41_alnum_cnpj.pfx', 'v23_ecpf.pfx', 'v25_rsa4096.pfx', 'v26_ec_p256.pfx']) {
    const [result, ms] = await time(() =>
      service.install('producao', { path: pfx(file), password: PASSWORD, selection: [{ branch: '0001', modules: ['faturamento'] }] }),
    );
    installSamples.push(ms);
    installed.push(result.certificate.id);
  }
  const editSamples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const selection = [{ branch: i % 2 ? '0002' : '0001', modules: [i % 2 ? 'recebimento-cte' : 'faturamento'] }];
    editSamples.push((await time(() => service.edit('producao', installed[0]!, selection)))[1]);
  }
  const [, pageMs] = await time(() => service.history('producao', { limit: 200 }));
  const [, filteredMs] = await time(() => service.history('producao', { certificateId: certificates[123]!.id, limit: 200 }));
  const [, referenceMs] = await time(async () => writeFile(join(dir, 'reference.json'), await readFile(join(ws, 'certificates.json'))));
  await rm(dir, { recursive: true, force: true });

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return [
    ['abrir o workspace (1ª listagem)', ms(openMs)],
    ['listar 10.000 certificados (mediana)', ms(median(listSamples))],
    ['instalar um certificado (mediana de 5)', ms(median(installSamples))],
    ['editar = gravar certificados + anexar histórico (mediana)', ms(median(editSamples))],
    ['histórico: primeira página de 200 (50.000)', ms(pageMs)],
    ['histórico: filtrar por certificado (50.000)', ms(filteredMs)],
    [`referência: fs.writeFile do mesmo documento (${(certificatesJson.length / 1e6).toFixed(1)} MB)`, ms(referenceMs)],
  ];
}
