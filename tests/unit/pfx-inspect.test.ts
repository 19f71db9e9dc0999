import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { BAD_DIR, NON_ASCII_PASSWORD, PASSWORD, PUBLIC_DIR, pfx, PFX_DIR } from '../fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const open = (name: string, password: string | null = PASSWORD) => inspectFile(pfx(name), { password, now: NOW });

describe('PFX inspection — the typical A1 (v01)', () => {
  it('reads holder, CNPJ, responsible, validity and protection', async () => {
    const r = await open('v01_default.pfx');
    expect(r.certificate).toMatchObject({
      commonName: 'EMPRESA EXEMPLO LTDA:11222333000181',
      holderName: 'EMPRESA EXEMPLO LTDA',
      type: 'e-CNPJ',
      cnpj: '11222333000181',
      cpf: null,
      responsible: { name: 'JOÃO DA SILVA', cpf: '11144477735' },
      birthDate: '1980-01-01',
      notBefore: '2025-01-01T00:00:00.000Z',
      notAfter: '2045-01-01T00:00:00.000Z',
      status: 'valid',
      policy: 'A1',
      keyAlgorithm: 'RSA',
      keySize: 2048,
      issuerCommonName: 'AC EXEMPLO RFB v5',
    });
    expect(r.certificate!.daysRemaining).toBe(6789);
    expect(r.certificate!.fingerprints.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.privateKey).toEqual({ present: true, matchesCertificate: true });
    expect(r.certificate!.keyUsage).toEqual(['digitalSignature', 'nonRepudiation', 'keyEncipherment']);
    expect(r.certificate!.extendedKeyUsage).toEqual(['clientAuth', 'emailProtection']);
    expect(r.protection.mac).toBe('SHA-256');
    expect(r.protection.macIterations).toBe(2048);
    expect(r.protection.encryption).toEqual([
      { target: 'certificates', algorithm: 'PBES2 AES-256-CBC', kdf: 'PBKDF2-SHA256', iterations: 2048 },
      { target: 'privateKey', algorithm: 'PBES2 AES-256-CBC', kdf: 'PBKDF2-SHA256', iterations: 2048 },
    ]);
    expect(r.protection.warnings).toEqual([]);
    expect(r.icpBrasilRoot).toBeNull(); // the fixtures' test CA is not ICP-Brasil
  });

  it('refuses a wrong password with WRONG_PASSWORD', async () => {
    await expect(open('v01_default.pfx', 'senha-errada')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('asks for a password (PASSWORD_REQUIRED) when none was given and the empty one fails', async () => {
    await expect(open('v01_default.pfx', null)).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });
});

describe('PFX inspection — every generated fixture reads as its README says', () => {
  const special: Record<string, string | null> = {
    'v12_empty_pass.pfx': null,
    'v36_forge_null_pass.pfx': null,
    'v13_nonascii_pass.pfx': NON_ASCII_PASSWORD,
    'v14_nonascii_legacy.pfx': NON_ASCII_PASSWORD,
    'v53_latin1_pbes2.pfx': NON_ASCII_PASSWORD,
    'v54_openssl10_nonascii.pfx': NON_ASCII_PASSWORD,
  };
  // v46 holds a key and no certificate: tests/unit/pfx-otherSoftware.test.ts checks how it is read (NO_CERTIFICATE warning).
  const files = readdirSync(PFX_DIR).filter((f) => /\.(pfx|p12)$/.test(f) && f !== 'v46_key_only.p12');

  it('covers the fixture folder', () => expect(files.length).toBeGreaterThanOrEqual(43));

  it.each(files)('%s opens', async (file) => {
    const r = await open(file, file in special ? special[file]! : PASSWORD);
    expect(r.certificate!.fingerprints.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(r.certificate!.holderName.length).toBeGreaterThan(0);
  });

  it('v07 (no MAC) warns that integrity is not checked', async () => {
    const r = await open('v07_nomac.pfx');
    expect(r.protection.mac).toBeNull();
    expect(r.protection.warnings.map((w) => w.code)).toContain('NO_MAC');
    expect(r.protection.warnings.find((w) => w.code === 'NO_MAC')?.message).toMatch(/não tem MAC/);
  });

  it('v02 warns about 40-bit RC2, v11 about 1 iteration, v06 about an unencrypted key', async () => {
    expect((await open('v02_legacy.pfx')).protection.warnings.map((w) => w.code)).toEqual(['WEAK_CIPHER']);
    expect((await open('v11_iter1.pfx')).protection.warnings.map((w) => w.code)).toEqual(['LOW_ITERATIONS']);
    expect((await open('v06_no_encryption.pfx')).protection.warnings.map((w) => w.code)).toEqual(['NOT_ENCRYPTED']);
  });

  it('v12 and v36 open with no password, and also when a shared password is given', async () => {
    for (const file of ['v12_empty_pass.pfx', 'v36_forge_null_pass.pfx']) {
      expect((await open(file, null)).certificate!.cnpj).toBe('11222333000181');
      expect((await open(file, PASSWORD)).certificate!.cnpj).toBe('11222333000181');
    }
  });

  it('v13 (non-ASCII password on AES) uses UTF-8 for PBKDF2', async () => {
    expect((await open('v13_nonascii_pass.pfx', NON_ASCII_PASSWORD)).certificate!.cnpj).toBe('11222333000181');
  });

  it('v15/v16 show the chain of 3, leaf first', async () => {
    for (const file of ['v15_chain_certfile.pfx', 'v16_chain_flag.pfx']) {
      const chain = (await open(file)).chain.map((c) => c.commonName);
      expect(chain).toEqual(['EMPRESA EXEMPLO LTDA:11222333000181', 'AC EXEMPLO RFB v5', 'Autoridade Certificadora Raiz EXEMPLO v5']);
    }
  });

  it('v19 (Camellia) and v38–v40 (RC2-128, RC4, 2-key 3DES) decrypt', async () => {
    const algorithms = async (file: string) => (await open(file)).protection.encryption.map((e) => e.algorithm);
    expect(await algorithms('v19_camellia256.pfx')).toContain('PBES2 Camellia-256-CBC');
    expect(await algorithms('v38_rc2_128.pfx')).toContain('PBE-SHA1-RC2-128');
    expect(await algorithms('v39_rc4_128.pfx')).toContain('PBE-SHA1-RC4-128');
    expect(await algorithms('v40_2des.pfx')).toContain('PBE-SHA1-2DES');
  });

  it('v23 is an e-CPF with accents decoded', async () => {
    const r = await open('v23_ecpf.pfx');
    expect(r.certificate).toMatchObject({ type: 'e-CPF', cpf: '52998224725', cnpj: null, birthDate: '1975-03-15', responsible: null });
    expect(r.certificate!.subject).toContain('L=São Paulo'); // UTF8String decoded
  });

  it('v24 is expired, v43 not yet valid', async () => {
    expect((await open('v24_expired.pfx')).certificate!.status).toBe('expired');
    expect((await open('v43_not_yet_valid.pfx')).certificate!.status).toBe('not-yet-valid');
  });

  it('v26/v27 read EC keys', async () => {
    for (const file of ['v26_ec_p256.pfx', 'v27_ec_p256_legacy.pfx']) {
      const r = await open(file);
      expect(r.certificate).toMatchObject({ keyAlgorithm: 'EC', keySize: 256 });
      expect(r.privateKey.matchesCertificate).toBe(true);
    }
  });

  it('v28 has no private key, v44 a key that does not match', async () => {
    const certsOnly = await open('v28_certs_only.pfx');
    expect(certsOnly.privateKey).toEqual({ present: false, matchesCertificate: null });
    expect(certsOnly.protection.warnings.map((w) => w.code)).toContain('NO_PRIVATE_KEY');
    const mismatch = await open('v44_key_mismatch.pfx');
    expect(mismatch.privateKey).toEqual({ present: true, matchesCertificate: false });
    expect(mismatch.certificate!.holderName).toBe('EMPRESA EXEMPLO LTDA');
    expect(mismatch.protection.warnings.map((w) => w.code)).toContain('KEY_MISMATCH');
  });

  it('v33 lists both key entries', async () => {
    const r = await open('v33_java_two_keys.p12');
    const holders = [r.certificate!, ...r.otherCertificates].map((c) => c.holderName).sort();
    expect(holders).toEqual(['EMPRESA EXEMPLO LTDA', 'FULANO DE TAL SOUZA']);
  });

  it('v41 reads the alphanumeric CNPJ', async () => {
    expect((await open('v41_alnum_cnpj.pfx')).certificate!.cnpj).toBe('12ABC34501DE35');
  });
});

describe('PFX inspection — public real-world files', () => {
  it('certificado_teste.pfx (NF-e test e-CNPJ)', async () => {
    const r = await inspectFile(resolve(PUBLIC_DIR, 'certificado_teste.pfx'), { password: 'associacao', now: NOW });
    expect(r.certificate).toMatchObject({
      commonName: 'NFe - Associacao NF-e:99999090910270',
      cnpj: '99999090910270',
      notBefore: '2009-05-22T17:07:03.000Z',
      notAfter: '2010-10-02T17:07:03.000Z',
      status: 'expired',
    });
    expect(r.chain.map((l) => l.commonName)).toEqual(['NFe - Associacao NF-e:99999090910270', 'NFe - AC Intermediaria 1', 'NFe - AC Raiz']);
    expect(r.icpBrasilRoot).toBeNull(); // the NF-e test root is not ICP-Brasil
    expect(r.certificate!.email).toBe('dft-nfe@procergs.rs.gov.br');
  });

  it('e-CPF_123456.pfx (real ICP-Brasil e-CPF, legacy)', async () => {
    const r = await inspectFile(resolve(PUBLIC_DIR, 'e-CPF_123456.pfx'), { password: '123456', now: NOW });
    expect(r.certificate).toMatchObject({
      commonName: 'ADEMIR ALVES HENRIQUE:80767940130',
      cpf: '80767940130',
      birthDate: '1978-12-10',
      policy: 'A1',
      notAfter: '2016-06-29T14:05:45.000Z',
      status: 'expired',
    });
    expect(r.chain.map((l) => l.commonName)).toEqual([
      'ADEMIR ALVES HENRIQUE:80767940130',
      'AC DIGITALSIGN RFB',
      'AC Secretaria da Receita Federal do Brasil v3',
      'Autoridade Certificadora Raiz Brasileira v2',
    ]);
    expect(r.icpBrasilRoot).toBe('Autoridade Certificadora Raiz Brasileira v2');
  });
});

describe('PFX inspection — bad inputs give specific codes', () => {
  const expected: Record<string, string> = {
    'empty.pfx': 'EMPTY_FILE',
    'truncated_half.pfx': 'CORRUPT',
    'truncated_1byte.pfx': 'CORRUPT',
    'random.bin': 'NOT_PKCS12',
    'pem_bundle.pem': 'NOT_PKCS12',
    'base64.txt': 'NOT_PKCS12',
    'cert_only.cer': 'NOT_PKCS12',
    'flipped_byte.pfx': 'WRONG_PASSWORD',
  };
  it.each(Object.entries(expected))('%s → %s', async (file, code) => {
    const failure = inspectFile(resolve(BAD_DIR, file), { password: PASSWORD, now: NOW });
    await expect(failure).rejects.toMatchObject({ code });
    await expect(failure).rejects.toHaveProperty('message', expect.stringMatching(/^.{15,}$/));
  });

  it('the hints say what the file is', async () => {
    const message = async (file: string) =>
      inspectFile(resolve(BAD_DIR, file), { password: PASSWORD }).then(
        () => 'opened',
        (e: Error) => e.message,
      );
    expect(await message('pem_bundle.pem')).toMatch(/PEM/);
    expect(await message('base64.txt')).toMatch(/base64/);
    expect(await message('cert_only.cer')).toMatch(/certificado isolado/);
    expect(await message('truncated_half.pfx')).toMatch(/truncado/);
  });

  it('a 200 MB file is TOO_LARGE before anything is read', async () => {
    const { mkdtemp, truncate, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(resolve(tmpdir(), 'certdesk-big-'));
    const big = resolve(dir, 'enorme.pfx');
    await writeFile(big, '');
    await truncate(big, 200 * 1024 * 1024); // sparse: no 200 MB written to disk
    await expect(inspectFile(big, { password: PASSWORD })).rejects.toMatchObject({
      code: 'TOO_LARGE',
      message: expect.stringContaining('200,0 MB'),
    });
    await rm(dir, { recursive: true, force: true });
  });

  it('a folder and a missing file are UNREADABLE', async () => {
    await expect(inspectFile(BAD_DIR, { password: null })).rejects.toMatchObject({ code: 'UNREADABLE' });
    await expect(inspectFile(resolve(BAD_DIR, 'nao-existe.pfx'), { password: null })).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});
