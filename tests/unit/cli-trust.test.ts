/**
 * `certdesk inspect` / `scan` with chain and revocation, as users run them (the built bin, Node
 * alone; `npx electron-vite build` first), against the CA stand-in on 127.0.0.1: offline by
 * default, `--online` to ask the CA, and the kept CRLs answering after the CA is gone.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx } from '../../scripts/fixtures/ca-pki';
import { brDateTime as brDateTimeIn } from './helpers/brazil-date-time';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');
const TZ = 'America/Sao_Paulo';

let ca: CaServer;
let root: string;
let files: string;
let config: string;

function certdesk(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const env = { ...process.env, CERTDESK_CONFIG_DIR: config, SENHA: CA_PFX_PASSWORD, TZ };
    execFile(process.execPath, [BIN, ...args, '--password-env', 'SENHA'], { env }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const brDateTime = (iso: string | Date) => brDateTimeIn(iso, TZ);

beforeAll(async () => {
  ca = await startCaServer({ bigCrlBytes: 10_000 });
  root = await mkdtemp(join(tmpdir(), 'certdesk-cli-trust-'));
  files = join(root, 'pfx');
  config = join(root, 'config');
  await mkdir(join(files, 'sub'), { recursive: true });
  // With the chain inside (nothing to fetch but the CRL), and a leaf alone (its AC comes from AIA).
  await writeFile(join(files, 'valido.pfx'), caPfx(ca.pki, 'valido', true));
  await writeFile(join(files, 'sub', 'revogado.pfx'), caPfx(ca.pki, 'revogado', false));
}, 120_000);
afterAll(async () => {
  await ca.close().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('certdesk with chain and revocation', () => {
  it('offline by default: "não verificado" with no CRL kept, the chain from the file, nothing fetched', async () => {
    const { code, stdout } = await certdesk(['inspect', join(files, 'valido.pfx'), '--json']);
    expect(code).toBe(0);
    const [report] = JSON.parse(stdout);
    expect(report.trust).toMatchObject({
      online: false,
      chain: {
        status: 'unknown-root',
        path: 'AC Teste CertDesk → Raiz de Teste CertDesk',
        links: [{ source: 'file' }, { source: 'file' }, { source: 'file' }],
      },
      revocation: {
        status: 'unknown',
        code: 'UNCHECKED_OFFLINE',
        message: 'Não verificado — sem conexão; nenhuma LCR guardada.',
        crl: null,
      },
    });
    expect(ca.hits.size).toBe(0);
  });

  it('--online: the revoked certificate is REVOKED (AC fetched from AIA), the other not revoked; scan marks and counts it', async () => {
    const { code, stdout } = await certdesk([
      'inspect',
      join(files, 'valido.pfx'),
      join(files, 'sub', 'revogado.pfx'),
      '--json',
      '--online',
    ]);
    expect(code).toBe(0);
    const [valid, revoked] = JSON.parse(stdout);
    expect(valid.trust.revocation).toMatchObject({
      code: 'NOT_REVOKED',
      source: 'crl',
      crl: { thisUpdate: ca.thisUpdate.toISOString(), fromCache: false },
    });
    expect(revoked.trust).toMatchObject({
      online: true,
      chain: { links: [{ source: 'file' }, { source: 'aia', url: `${ca.url}/aia/ac-teste.p7b` }, { source: 'aia' }] },
      revocation: { status: 'revoked', code: 'REVOKED', revokedAt: ca.revokedAt.toISOString(), reasonCode: 1, reason: 'keyCompromise' },
    });
    expect((await stat(join(config, 'trust-cache'))).mode & 0o777).toBe(0o700);

    const scan = await certdesk(['scan', files, '--online']);
    expect(scan.code).toBe(0);
    const revokedDay = brDateTime(ca.revokedAt).slice(0, 10);
    expect(scan.stdout).toContain(`ATENÇÃO: REVOGADO em ${revokedDay} (comprometimento da chave)`);
    expect(scan.stdout).toMatch(/^✔ .* valido\.pfx/m);
    expect(scan.stdout).toContain('2 arquivo(s): 2 lido(s), 0 com erro; 0 vence(m) em até 30 dias, 0 expirado(s), 1 revogado(s).');
  });

  it('after the CA is gone, the kept CRLs (and AIA certificates) still answer offline', async () => {
    await ca.close();
    const { code, stdout } = await certdesk(['inspect', join(files, 'valido.pfx'), join(files, 'sub', 'revogado.pfx')]);
    expect(code).toBe(0);
    const row = (label: string, text: string) => new RegExp(`^  ${label} +${text.replace(/[()]/g, '\\$&')}`, 'm');
    expect(stdout).toMatch(row('Revogação', `Não revogado (LCR de ${brDateTime(ca.thisUpdate)})`));
    expect(stdout).toMatch(row('Revogação', `Revogado em ${brDateTime(ca.revokedAt).slice(0, 10)} (comprometimento da chave)`));
    expect(stdout).toMatch(row('Confiança', 'Não chega a uma raiz ICP-Brasil conhecida: termina em Raiz de Teste CertDesk'));
    // --online with the CA gone: the kept, current CRL answers without waiting on the dead address.
    const online = await certdesk(['inspect', join(files, 'valido.pfx'), '--json', '--online']);
    expect(JSON.parse(online.stdout)[0].trust.revocation).toMatchObject({ code: 'NOT_REVOKED', crl: { fromCache: true } });
  });
});
