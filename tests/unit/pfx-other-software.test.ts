/**
 * PKCS#12 as other software writes it (PBMAC1 is in
 * pfx-pbmac1.test.ts). Every file comes from `npm run fixtures` (tests/fixtures/README.md); where
 * OpenSSL can read a file, its answer is compared with ours, so the fixtures are not only
 * consistent with the engine they test.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectBytes, inspectFile } from '@certdesk/core/pfx/inspect';
import { checkInstallable } from '@certdesk/core/workspace/workspace-rules';
import { problemsOf } from '@certdesk/shared/pfx';
import { BAD_DIR, NON_ASCII_PASSWORD, PASSWORD, pfx } from '../fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const open = (name: string, password: string | null = PASSWORD) => inspectFile(pfx(name), { password, now: NOW });
const codes = (r: { protection: { warnings: { code: string }[] } }) => r.protection.warnings.map((w) => w.code);

/** `openssl pkcs12` on a fixture: exit status and the PEM blocks it printed. */
function openssl(file: string, password: string | Buffer, nokeys = false) {
  const run = spawnSync('openssl', ['pkcs12', '-legacy', '-in', file, '-nodes', ...(nokeys ? ['-nokeys'] : []), '-passin', 'stdin'], {
    input: Buffer.concat([Buffer.from(password), Buffer.from('\n')]),
  });
  const out = run.stdout.toString();
  return {
    status: run.status,
    certs: out.match(/BEGIN CERTIFICATE/g)?.length ?? 0,
    keys: out.match(/BEGIN PRIVATE KEY/g)?.length ?? 0,
    out,
  };
}

describe('class 1 — a file with a private key and no certificate', () => {
  it('is read, not refused: no certificate, the key described, a NO_CERTIFICATE warning ("sem certificado")', async () => {
    const r = await open('v46_key_only.p12');
    expect(r.certificate).toBeNull();
    expect(r.key).toEqual({ algorithm: 'RSA', size: 2048, curve: null, supported: true });
    expect(r.privateKey).toEqual({ present: true, matchesCertificate: null });
    expect(r).toMatchObject({ otherCertificates: [], extraCertificates: [], chain: [], icpBrasilRoot: null });
    // The protection is reported as for any file: the key bag is AES under PBES2, with a MAC.
    expect(r.protection.mac).not.toBeNull();
    expect(r.protection.encryption.map((e) => e.target)).toContain('privateKey');
    expect(r.protection.encryption.find((e) => e.target === 'privateKey')?.algorithm).toMatch(/AES/);
    expect(problemsOf(r)[0]).toBe('NO_CERTIFICATE');
    expect(problemsOf(r)).not.toContain('KEY_MISMATCH');
    expect(r.protection.warnings.find((w) => w.code === 'NO_CERTIFICATE')?.message).toMatch(/sem certificado.*RSA 2048 bits/);
  });

  it('is never installed: the workspace refuses it as NO_CERTIFICATE, "não há o que instalar"', async () => {
    const r = await open('v46_key_only.p12');
    expect(() => checkInstallable(r)).toThrow(expect.objectContaining({ code: 'NO_CERTIFICATE' }));
    expect(() => checkInstallable(r)).toThrow('O arquivo não tem certificado: não há o que instalar.');
  });

  it('checks the password first (a wrong one is WRONG_PASSWORD), and OpenSSL sees the same: one key, no certificate', async () => {
    await expect(open('v46_key_only.p12', 'SenhaErrada')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(openssl(pfx('v46_key_only.p12'), PASSWORD)).toMatchObject({ status: 0, certs: 0, keys: 1 });
  });
});

describe('class 3 — keys of algorithms node:crypto cannot use', () => {
  it.each([
    ['v49_mldsa65.p12', 'TESTE ML-DSA-65', 'ML-DSA-65', null],
    ['v50_gost2012.p12', 'TESTE GOST 2012', 'GOST R 34.10-2012', 256],
  ])('%s: the certificates read, the answer names the algorithm as UNSUPPORTED_ALGORITHM', async (file, cn, algorithm, size) => {
    const r = await open(file);
    expect(r.certificate).toMatchObject({ commonName: cn, keyAlgorithm: algorithm, keySize: size });
    // The chain is still checked: the intermediate's RSA signature on the leaf verifies.
    expect(r.chain.map((l) => l.commonName)).toEqual([cn, 'AC EXEMPLO RFB v5', 'Autoridade Certificadora Raiz EXEMPLO v5']);
    expect(r.extraCertificates).toHaveLength(2);
    expect(r.key).toEqual({ algorithm, size, curve: null, supported: false });
    expect(r.privateKey).toEqual({ present: true, matchesCertificate: null });
    const warning = r.protection.warnings.find((w) => w.code === 'UNSUPPORTED_ALGORITHM');
    expect(warning?.message).toContain(algorithm);
    expect(codes(r)).not.toContain('KEY_MISMATCH');
  });

  it('such a file is never installed: the workspace refuses it as UNSUPPORTED_ALGORITHM', async () => {
    const r = await open('v49_mldsa65.p12', PASSWORD);
    expect(() => checkInstallable(r)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_ALGORITHM' }));
    expect(() => checkInstallable(r)).toThrow(/ML-DSA-65/);
  });

  it('OpenSSL 3.0 reads the same three certificates and cannot output the key either', () => {
    const result = openssl(pfx('v49_mldsa65.p12'), PASSWORD);
    expect(result).toMatchObject({ certs: 3, keys: 0 });
    expect(result.status).not.toBe(0);
  });
});

describe('class 4 — bytes after the structure', () => {
  const v01 = readFileSync(pfx('v01_default.pfx'));
  const v45 = readFileSync(pfx('v45_dotnet_zero_padding.pfx'));

  it('v45 (.NET zero padding) reads, with a warning naming the count', async () => {
    expect(v45.subarray(0, v01.length).equals(v01)).toBe(true);
    const padding = v45.length - v01.length;
    expect(v45.subarray(v01.length).every((b) => b === 0)).toBe(true);
    const r = await open('v45_dotnet_zero_padding.pfx');
    expect(r.certificate!.fingerprints.sha256).toBe((await open('v01_default.pfx')).certificate!.fingerprints.sha256);
    const warning = r.protection.warnings.find((w) => w.code === 'TRAILING_BYTES');
    expect(warning?.message).toContain(`${padding} bytes extras`);
    expect(openssl(pfx('v45_dotnet_zero_padding.pfx'), PASSWORD).status).toBe(0);
  });

  it('a wrong password on a padded file is WRONG_PASSWORD, not CORRUPT', async () => {
    await expect(open('v45_dotnet_zero_padding.pfx', 'SenhaErrada')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('any extra bytes (not only zeros), after DER or BER, are counted; truncation stays CORRUPT', async () => {
    const garbage = inspectBytes(Buffer.concat([v01, Buffer.from('\r\nGARBAGE')]), 'x.pfx', { password: PASSWORD, now: NOW });
    expect(garbage.protection.warnings.find((w) => w.code === 'TRAILING_BYTES')?.message).toContain('9 bytes extras');
    const ber = Buffer.concat([readFileSync(pfx('v29_ber_indef_aes.pfx')), Buffer.alloc(100)]);
    expect(
      inspectBytes(ber, 'ber.pfx', { password: PASSWORD, now: NOW })
        .protection.warnings.map((w) => w.message)
        .join(),
    ).toContain('100 bytes extras');
    await expect(inspectFile(resolve(BAD_DIR, 'truncated_1byte.pfx'), { password: PASSWORD })).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(() => inspectBytes(Buffer.from(ber.subarray(0, ber.length - 200)), 'cut.pfx', { password: PASSWORD })).toThrow();
  });
});

describe('class 5 — every certificate in the file is reported', () => {
  it('v51, seven CA certificates and no key: all seven are reported, the chain built from them', async () => {
    const r = await open('v51_seven_cas.p12');
    const names = [r.certificate!, ...r.otherCertificates, ...(r.extraCertificates ?? [])].map((c) => c.commonName).sort();
    expect(names).toEqual([
      'AC EXEMPLO EXTRA 1',
      'AC EXEMPLO EXTRA 2',
      'AC EXEMPLO EXTRA 3',
      'AC EXEMPLO EXTRA 4',
      'AC EXEMPLO EXTRA 5',
      'AC EXEMPLO RFB v5',
      'Autoridade Certificadora Raiz EXEMPLO v5',
    ]);
    expect(openssl(pfx('v51_seven_cas.p12'), PASSWORD, true).certs).toBe(7);
    expect(r.chain.every((l) => l.inFile)).toBe(true);
    expect(r.chain.at(-1)?.commonName).toBe('Autoridade Certificadora Raiz EXEMPLO v5');
    expect(codes(r)).toContain('NO_PRIVATE_KEY');
  });

  it('v15: the leaf with its key, and the intermediate and root as extra certificates', async () => {
    const r = await open('v15_chain_certfile.pfx');
    expect(r.certificate!.commonName).toBe('EMPRESA EXEMPLO LTDA:11222333000181');
    expect(r.extraCertificates?.map((c) => c.commonName)).toEqual(['AC EXEMPLO RFB v5', 'Autoridade Certificadora Raiz EXEMPLO v5']);
  });
});

describe('class 6 — algorithm name and size for every key node:crypto knows', () => {
  const expected: Record<string, [algorithm: string, size: number, curve?: string]> = {
    'CHAVE EC brainpoolP256r1': ['EC', 256, 'brainpoolP256r1'],
    'CHAVE EC secp384r1': ['EC', 384, 'secp384r1'],
    'CHAVE EC secp256k1': ['EC', 256, 'secp256k1'],
    'CHAVE Ed25519': ['Ed25519', 256],
    'CHAVE Ed448': ['Ed448', 456],
    'CHAVE X25519': ['X25519', 253],
    'CHAVE X448': ['X448', 448],
    'CHAVE DSA': ['DSA', 2048],
    'CHAVE DH': ['DH', 2048],
    'CHAVE DH X9.42': ['DH', 2048],
    'CHAVE RSA-PSS': ['RSA-PSS', 2048],
  };

  it('v52: each certificate with a key says its algorithm and size; every key matches its certificate', async () => {
    const r = await open('v52_key_algorithms.p12');
    const seen = Object.fromEntries(
      r.otherCertificates.map((c) => [c.commonName, [c.keyAlgorithm, c.keySize, ...(c.keyCurve ? [c.keyCurve] : [])]]),
    );
    expect(seen).toEqual(expected);
    expect(codes(r)).not.toContain('KEY_MISMATCH');
    expect(r.privateKey.matchesCertificate).toBe(true);
  });

  it('the sizes are the ones `openssl x509 -text` prints (where it prints one)', async () => {
    const r = await open('v52_key_algorithms.p12');
    const pem = openssl(pfx('v52_key_algorithms.p12'), PASSWORD, true).out;
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    let compared = 0;
    for (const block of blocks) {
      const text = spawnSync('openssl', ['x509', '-noout', '-subject', '-text'], { input: block }).stdout.toString();
      const cn = /CN = ([^\n,]+)/.exec(text)![1]!.trim();
      const bits = /Public-Key: \((\d+) bit\)/.exec(text);
      const ours = [r.certificate!, ...r.otherCertificates, ...(r.extraCertificates ?? [])].find((c) => c.commonName === cn);
      if (bits && ours) {
        expect([cn, ours.keySize]).toEqual([cn, Number(bits[1])]);
        compared++;
      }
    }
    expect(compared).toBe(10); // RSA leaf, 3 EC, DSA, 2 DH, RSA-PSS, intermediate, root (Ed*/X* print no size)
  });
});

describe('class 7 — hints for what is not PKCS#12', () => {
  it.each([
    ['keystore.jks', 'JKS'],
    ['keystore.jceks', 'JCEKS'],
  ])('%s: a Java keystore, with the keytool command that converts it', async (file, type) => {
    const failure = inspectFile(resolve(BAD_DIR, file), { password: PASSWORD });
    await expect(failure).rejects.toMatchObject({ code: 'NOT_PKCS12' });
    await expect(failure).rejects.toThrow(`keystore Java (${type})`);
    await expect(failure).rejects.toThrow(
      `keytool -importkeystore -srckeystore '${file}' -srcstoretype ${type} -destkeystore 'keystore.p12' -deststoretype PKCS12`,
    );
  });

  it('a password typed for a file that needs none says it was not needed', async () => {
    for (const file of ['v12_empty_pass.pfx', 'v36_forge_null_pass.pfx']) {
      expect(codes(await open(file, PASSWORD))).toContain('PASSWORD_NOT_NEEDED');
      expect(codes(await open(file, null))).not.toContain('PASSWORD_NOT_NEEDED');
    }
    expect(codes(await open('v01_default.pfx'))).not.toContain('PASSWORD_NOT_NEEDED');
  });
});

describe('class 8 — non-ASCII passwords written by old software', () => {
  it('v53 (PBES2 over the ISO-8859-1 bytes) opens with the typed password, saying which encoding matched', async () => {
    const r = await open('v53_latin1_pbes2.pfx', NON_ASCII_PASSWORD);
    expect(r.certificate!.cnpj).toBe('11222333000181');
    expect(r.protection.warnings.find((w) => w.code === 'PASSWORD_ENCODING')?.message).toContain('ISO-8859-1');
    // OpenSSL agrees on what the file holds when given the Latin-1 bytes, and refuses the UTF-8 ones.
    expect(openssl(pfx('v53_latin1_pbes2.pfx'), Buffer.from(NON_ASCII_PASSWORD, 'latin1')).status).toBe(0);
    expect(openssl(pfx('v53_latin1_pbes2.pfx'), NON_ASCII_PASSWORD).status).not.toBe(0);
  });

  it('v54 (legacy PBE, BMPString widened from the UTF-8 bytes, OpenSSL < 1.1) opens too', async () => {
    const r = await open('v54_openssl10_nonascii.pfx', NON_ASCII_PASSWORD);
    expect(r.protection.warnings.find((w) => w.code === 'PASSWORD_ENCODING')?.message).toContain('OpenSSL');
    expect(openssl(pfx('v54_openssl10_nonascii.pfx'), NON_ASCII_PASSWORD).status).toBe(0); // OpenSSL 3 retries this form too
  });

  it('the standard encodings stay silent, and a wrong non-ASCII password is still WRONG_PASSWORD', async () => {
    expect(codes(await open('v13_nonascii_pass.pfx', NON_ASCII_PASSWORD))).not.toContain('PASSWORD_ENCODING');
    expect(codes(await open('v14_nonascii_legacy.pfx', NON_ASCII_PASSWORD))).not.toContain('PASSWORD_ENCODING');
    await expect(open('v53_latin1_pbes2.pfx', 'Senh@çãoê')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(open('v54_openssl10_nonascii.pfx', 'Sénha')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });
});
