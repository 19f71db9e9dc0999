/** The `certdesk` command as users run it: the built bin with Node alone (scripts/test.sh builds first). */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_DIR, PASSWORD, pfx } from '../fixtures';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');

function certdesk(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...options.env } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? '');
  });
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'certdesk-scan-'));
  await mkdir(join(folder, 'filial 0002'));
  await copyFile(pfx('v01_default.pfx'), join(folder, 'matriz.pfx'));
  await copyFile(pfx('v24_expired.pfx'), join(folder, 'filial 0002', 'VENCIDO.PFX'));
  await copyFile(pfx('v31_java_default.p12'), join(folder, 'filial 0002', 'java.p12'));
  await copyFile(join(BAD_DIR, 'pem_bundle.pem'), join(folder, 'nao-e-pfx.pem'));
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

describe('certdesk inspect', () => {
  it('prints the JSON shape of docs/PRODUCT.md §5 and exits 0 when every file reads', async () => {
    const { code, stdout, stderr } = await certdesk(
      ['inspect', pfx('v01_default.pfx'), pfx('v23_ecpf.pfx'), '--json', '--password-env', 'PFX_PW'],
      {
        env: { PFX_PW: PASSWORD },
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [first, second] = JSON.parse(stdout);
    expect(first).toMatchObject({
      file: pfx('v01_default.pfx'),
      ok: true,
      error: null,
      certificate: {
        commonName: 'EMPRESA EXEMPLO LTDA:11222333000181',
        holderName: 'EMPRESA EXEMPLO LTDA',
        type: 'e-CNPJ',
        cnpj: '11222333000181',
        cpf: null,
        responsible: { name: 'JOÃO DA SILVA', cpf: '11144477735' },
        birthDate: '1980-01-01',
        issuerCommonName: 'AC EXEMPLO RFB v5',
        notBefore: '2025-01-01T00:00:00.000Z',
        notAfter: '2045-01-01T00:00:00.000Z',
        status: 'valid',
        policy: 'A1',
        keyAlgorithm: 'RSA',
        keySize: 2048,
      },
      privateKey: { present: true, matchesCertificate: true },
      chain: [{ commonName: 'EMPRESA EXEMPLO LTDA:11222333000181', notAfter: '2045-01-01T00:00:00.000Z' }],
      protection: { mac: 'SHA-256', warnings: [] },
    });
    expect(first.certificate.fingerprints.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof first.certificate.daysRemaining).toBe('number');
    expect(second.certificate).toMatchObject({ type: 'e-CPF', cpf: '52998224725', birthDate: '1975-03-15' });
  });

  it('reads the password from stdin and exits 1 with a per-file error when one file fails', async () => {
    const { code, stdout } = await certdesk(
      ['inspect', pfx('v13_nonascii_pass.pfx'), join(BAD_DIR, 'empty.pfx'), '--json', '--password-stdin'],
      {
        input: 'Senh@çãoé\n',
      },
    );
    expect(code).toBe(1);
    const [good, bad] = JSON.parse(stdout);
    expect(good.ok).toBe(true);
    expect(bad).toMatchObject({ ok: false, certificate: null, error: { code: 'EMPTY_FILE' } });
  });

  it('says WRONG_PASSWORD in Portuguese, with no stack trace', async () => {
    const { code, stdout, stderr } = await certdesk(['inspect', pfx('v01_default.pfx'), '--password-env', 'PFX_PW'], {
      env: { PFX_PW: 'errada' },
    });
    expect(code).toBe(1);
    expect(stdout).toContain('[WRONG_PASSWORD] Senha incorreta');
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on usage errors', async () => {
    expect((await certdesk([])).code).toBe(2);
    expect((await certdesk(['inspect'])).code).toBe(2);
    expect((await certdesk(['frobnicate'])).code).toBe(2);
    expect((await certdesk(['inspect', 'x.pfx', '--bogus'])).code).toBe(2);
    const missingEnv = await certdesk(['inspect', 'x.pfx', '--password-env', 'CERTDESK_UNSET_VAR']);
    expect(missingEnv.code).toBe(2);
    expect(missingEnv.stderr).toContain('CERTDESK_UNSET_VAR');
  });
});

describe('certdesk scan', () => {
  it('walks the folder (sub-folders, any case), reports each PFX and exits 0 when all read', async () => {
    const { code, stdout } = await certdesk(['scan', folder, '--json', '--password-env', 'PFX_PW'], { env: { PFX_PW: PASSWORD } });
    expect(code).toBe(0);
    const reports = JSON.parse(stdout) as { file: string; ok: boolean; certificate: { status: string } }[];
    expect(reports.map((r) => r.file).sort()).toEqual(
      [join('filial 0002', 'VENCIDO.PFX'), join('filial 0002', 'java.p12'), 'matriz.pfx'].sort(),
    );
    expect(reports.find((r) => r.file.endsWith('VENCIDO.PFX'))?.certificate.status).toBe('expired');
  });

  it('--expiring-days moves the "expiring" threshold and the summary counts it', async () => {
    const { stdout } = await certdesk(['scan', folder, '--password-env', 'PFX_PW', '--expiring-days', '100000'], {
      env: { PFX_PW: PASSWORD },
    });
    expect(stdout).toMatch(/3 arquivo\(s\): 3 lido\(s\), 0 com erro; 2 vence\(m\) em até 100000 dias, 1 expirado\(s\)/);
  });

  it('exits 1 when a file needs another password, 2 for a missing folder', async () => {
    expect((await certdesk(['scan', folder])).code).toBe(1);
    expect((await certdesk(['scan', join(folder, 'nao-existe')])).code).toBe(2);
  });
});

describe('certdesk invoicy', () => {
  it('requests the password, checks and downloads against the stand-in service', async () => {
    const { startStandin } = await import('../../stand-ins/invoicy-soap-server');
    const { readFileSync } = await import('node:fs');
    const certs = resolve(import.meta.dirname, '../fixtures/certs');
    const standin = await startStandin({
      empPK: 'PK',
      ck: 'CK',
      keyPem: readFileSync(resolve(certs, 'ecnpj.key'), 'utf8'),
      certPem: readFileSync(resolve(certs, 'ecnpj.crt'), 'utf8'),
      certificates: { '11222333000181': 'pendente de senha' },
    });
    const env = { CERTDESK_INVOICY_EMPPK: 'PK', CERTDESK_INVOICY_CK: 'CK' };
    const base = ['--env', 'homologacao', '--url', standin.url, '--document', '11.222.333/0001-81'];
    // Its own folder: a PFX left in the scan tests' folder would change what they count.
    const downloads = await mkdtemp(join(tmpdir(), 'certdesk-invoicy-cli-'));
    try {
      const asked = await certdesk(['invoicy', 'request-password', ...base, '--password-stdin'], { env, input: 'Segura2026\n' });
      expect(asked).toMatchObject({ code: 0, stdout: '[100] Senha enviada para validação no processo de geração de certificado\n' });
      const again = await certdesk(['invoicy', 'request-password', ...base, '--password-stdin'], { env, input: 'Segura2026\n' });
      expect(again.code).toBe(1);
      expect(again.stdout).toContain('status pendente de senha');
      expect((await certdesk(['invoicy', 'check', ...base], { env })).stdout).toContain('pronto');
      const output = join(downloads, 'baixado.pfx');
      const download = await certdesk(['invoicy', 'download', ...base, '--output', output], { env });
      expect(download.code).toBe(0);
      const opened = await certdesk(['inspect', output, '--json', '--password-env', 'PW'], { env: { PW: 'Segura2026' } });
      expect(JSON.parse(opened.stdout)[0].certificate.holderName).toBe('EMPRESA EXEMPLO LTDA');
      const wrongKey = await certdesk(['invoicy', 'check', ...base], { env: { ...env, CERTDESK_INVOICY_CK: 'outra' } });
      expect(wrongKey).toMatchObject({ code: 1, stdout: '[173] Chave de Comunicação inválida\n' });
    } finally {
      await standin.close();
      await rm(downloads, { recursive: true, force: true });
    }
  });

  it('exits 2 on usage errors and says what is missing', async () => {
    expect((await certdesk(['invoicy', 'check', '--env', 'teste', '--document', '11222333000181'])).code).toBe(2);
    const bad = await certdesk(['invoicy', 'check', '--env', 'producao', '--document', '11222333000182']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CNPJ ou CPF inválido');
  });
});
