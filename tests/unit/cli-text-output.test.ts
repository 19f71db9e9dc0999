/**
 * The human output of `certdesk inspect` / `scan`: a file with a problem never gets ✔,
 * the problem is on its line, and names from a certificate cannot drive the terminal.
 * Runs the built bin, like cli.test.ts (build first: `npx electron-vite build`).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, pfx } from '../fixtures';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');
const HOSTILE_CN = 'EVIL \u001b[31mX\u0007 \u202Egnp.exe \u009b2J';

function certdesk(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, PFX_PW: PASSWORD } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A self-signed PFX whose CN carries an ANSI colour, a BEL, an 8-bit CSI and a right-to-left override. */
function hostilePfx(): Buffer {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2045-01-01T00:00:00Z');
  const name = [{ name: 'commonName', value: HOSTILE_CN, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], PASSWORD, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'certdesk-cli-text-'));
  for (const name of ['v01_default.pfx', 'v06_no_encryption.pfx', 'v28_certs_only.pfx', 'v43_not_yet_valid.pfx', 'v44_key_mismatch.pfx'])
    await copyFile(pfx(name), join(folder, name));
  await writeFile(join(folder, 'hostil.pfx'), hostilePfx());
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

const lineOf = (stdout: string, file: string) => stdout.split('\n').find((l) => l.includes(file)) ?? '';

describe('certdesk scan: the problem is on the line', () => {
  let stdout = '';
  beforeAll(async () => {
    const run = await certdesk(['scan', folder, '--password-env', 'PFX_PW']);
    expect(run.code).toBe(0);
    stdout = run.stdout;
  });

  it('keeps ✔ for a sound, valid file', () => {
    expect(lineOf(stdout, 'v01_default.pfx')).toMatch(/^✔ [\d.]+ d\s+v01_default\.pfx — EMPRESA EXEMPLO LTDA/);
  });

  it('marks a key of another certificate (v44), no key (v28) and an unencrypted key (v06)', () => {
    expect(lineOf(stdout, 'v44_key_mismatch.pfx')).toMatch(/^! .*ATENÇÃO: chave privada NÃO corresponde ao certificado/);
    expect(lineOf(stdout, 'v28_certs_only.pfx')).toMatch(/^! .*ATENÇÃO: sem chave privada/);
    expect(lineOf(stdout, 'v06_no_encryption.pfx')).toMatch(/^! .*ATENÇÃO: chave privada sem cifragem/);
  });

  it('says when a not-yet-valid file (v43) starts instead of counting days to its end', () => {
    const line = lineOf(stdout, 'v43_not_yet_valid.pfx');
    expect(line).toMatch(/^! válido a partir de \d\d\/\d\d\/\d{4} v43_not_yet_valid\.pfx/);
    expect(line).not.toMatch(/\d+ d /);
  });

  it('strips terminal control characters and shows bidi overrides as a marker', () => {
    const line = lineOf(stdout, 'hostil.pfx');
    expect(line).toContain('EVIL X ⟦U+202E⟧gnp.exe');
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('certdesk inspect: the header mark and a "Problemas" row', () => {
  it('puts ! and the problem first for v44, v28, v06 and v43; ✔ for v01', async () => {
    const { stdout } = await certdesk(
      [
        'inspect',
        ...['v44_key_mismatch', 'v28_certs_only', 'v06_no_encryption', 'v43_not_yet_valid', 'v01_default'].map((n) => pfx(`${n}.pfx`)),
      ].concat(['--password-env', 'PFX_PW']),
    );
    const blocks = stdout.split(/\n(?=[✔!✖] )/);
    const block = (name: string) => blocks.find((b) => b.split('\n')[0]!.includes(name)) ?? '';
    expect(block('v44_key_mismatch')).toMatch(/^! .*\n\s+Problemas\s+chave privada NÃO corresponde ao certificado\n/);
    expect(block('v28_certs_only')).toMatch(/^! .*\n\s+Problemas\s+sem chave privada\n/);
    expect(block('v06_no_encryption')).toMatch(/^! .*\n\s+Problemas\s+chave privada sem cifragem\n/);
    expect(block('v43_not_yet_valid')).toMatch(/^! [^\n]*\n[\s\S]*Validade\s+01\/01\/2040 a [^\n]* — Ainda não válido/);
    expect(block('v01_default')).toMatch(/^✔ /);
    expect(block('v01_default')).not.toContain('Problemas');
  });

  it('prints a hostile holder name without control characters, in every field', async () => {
    const { stdout } = await certdesk(['inspect', join(folder, 'hostil.pfx'), '--password-env', 'PFX_PW']);
    expect(stdout).toMatch(/Titular\s+EVIL X ⟦U\+202E⟧gnp\.exe/);
    expect(stdout).toMatch(/Emissor\s+EVIL X ⟦U\+202E⟧gnp\.exe/);
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('leaves the JSON output as the data is (machines get the raw name)', async () => {
    const { stdout } = await certdesk(['inspect', join(folder, 'hostil.pfx'), '--json', '--password-env', 'PFX_PW']);
    expect(JSON.parse(stdout)[0].certificate.commonName).toBe(HOSTILE_CN);
  });
});

describe('certdesk and a key-only file (v46): read, "sem certificado", the key described', () => {
  it('inspect: ! with "sem certificado" first, no certificate rows, the key and the protection; exit 0', async () => {
    const run = await certdesk(['inspect', pfx('v46_key_only.p12'), '--password-env', 'PFX_PW']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^! \S*v46_key_only\.p12\n\s+Problemas\s+sem certificado \(só a chave privada\)\n/);
    expect(run.stdout).toMatch(/Certificado\s+nenhum\n/);
    expect(run.stdout).toMatch(/Chave privada\s+RSA 2048 bits\n/);
    expect(run.stdout).toMatch(/Proteção\s+MAC .*chave PBES2 AES/);
    expect(run.stdout).toMatch(/Aviso\s+O arquivo está sem certificado: contém só a chave privada \(RSA 2048 bits\)/);
    expect(run.stdout).not.toMatch(/Titular|Validade|SHA-256  /);
  });

  it('inspect --json: ok, certificate null, the key, a NO_CERTIFICATE warning; a wrong password stays WRONG_PASSWORD', async () => {
    const run = await certdesk(['inspect', pfx('v46_key_only.p12'), '--json', '--password-env', 'PFX_PW']);
    const [report] = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, error: null, certificate: null, chain: [], otherCertificates: [], extraCertificates: [] });
    expect(report.key).toEqual({ algorithm: 'RSA', size: 2048, curve: null, supported: true });
    expect(report.protection.warnings[0].code).toBe('NO_CERTIFICATE');
    const wrong = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(
        process.execPath,
        [BIN, 'inspect', pfx('v46_key_only.p12'), '--json', '--password-env', 'PW'],
        { env: { ...process.env, PW: 'SenhaErrada' } },
        (error, stdout) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)[0].error.code).toBe('WRONG_PASSWORD');
  });

  it('scan: one line that says "sem certificado" and names the key; the file counts as read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certdesk-cli-keyonly-'));
    try {
      await copyFile(pfx('v46_key_only.p12'), join(dir, 'v46_key_only.p12'));
      const run = await certdesk(['scan', dir, '--password-env', 'PFX_PW']);
      expect(run.code).toBe(0);
      expect(lineOf(run.stdout, 'v46_key_only.p12')).toMatch(
        /^! sem certificado\s+v46_key_only\.p12 — só a chave privada \(RSA 2048 bits\)$/,
      );
      expect(run.stdout).toContain('1 arquivo(s): 1 lido(s), 0 com erro');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
