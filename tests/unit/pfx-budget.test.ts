/**
 * The work budget of one PKCS#12 file (packages/core/pfx/budget.ts): every hostile class is
 * refused with TOO_COMPLEX and a message naming the limit, and `details.derived` proves how much
 * key-derivation work ran before the refusal — none where the file shows the excess up front.
 * Before the budget each of these files cost seconds to hours (or gigabytes); the files are built
 * here by scripts/fixtures/hostile.ts, never committed.
 */
import { describe, expect, it } from 'vitest';
import { CertdeskError } from '@certdesk/core/errors';
import { inspectBytes } from '@certdesk/core/pfx/inspect';
import { LIMITS } from '@certdesk/core/pfx/budget';
import { KEY_LIMITS } from '@certdesk/core/pfx/key-limits';
import * as hostile from '../../scripts/fixtures/hostile';
import { PASSWORD } from '../fixtures';

const NOW = new Date('2026-06-01T00:00:00Z');

function refusal(bytes: Buffer, password: string | null = null): CertdeskError {
  try {
    inspectBytes(bytes, 'hostil.pfx', { password, now: NOW });
  } catch (error) {
    if (error instanceof CertdeskError) return error;
    throw error;
  }
  throw new Error('o arquivo foi lido');
}

/** Refused as over budget, for `limit`, before any key derivation ran. */
function expectRefusedUpFront(error: CertdeskError, limit: string, message: string): void {
  expect(error.code).toBe('TOO_COMPLEX');
  expect(error.details).toMatchObject({ limit, derived: '0' });
  expect(error.message).toContain(message);
}

describe('key derivations are priced before they run', () => {
  it('PBES2 asking PBKDF2 for 100,000,000 bytes at 1,000,000 iterations is refused: AES-256 takes 32', () => {
    const file = hostile.hugeKeyLength();
    expect(file.length).toBeLessThan(250);
    const error = refusal(file);
    expectRefusedUpFront(error, 'keyLength', 'chave derivada de 100.000.000 bytes para AES-256-CBC; o máximo é 32');
  });

  it('40 shrouded keys at 1,000,000 iterations each (10 KB) are refused as a whole, before the first', () => {
    const error = refusal(hostile.shroudedKeys(40, 1_000_000));
    expectRefusedUpFront(error, 'fileCost', 'equivalente a 40.000.000 iterações de PBKDF2-SHA256; o máximo por arquivo é 6.000.000');
  });

  it('a MAC over MD5 at 1,000,000 iterations (one node:crypto call per round) is refused before the MAC check', () => {
    const error = refusal(hostile.md5Mac(1_000_000), PASSWORD);
    expectRefusedUpFront(error, 'derivationCost', 'PKCS12-MD5, 1.000.000 iterações');
  });

  it('an iteration count past 1,000,000 is over budget, not an unknown algorithm', () => {
    const error = refusal(hostile.shroudedKeys(1, 5_000_000));
    expectRefusedUpFront(error, 'iterations', 'pede 5.000.000 iterações numa derivação de chave; o máximo é 1.000.000');
  });

  it('keys hidden inside an encrypted part are priced once it is decrypted, before any of them', () => {
    const error = refusal(hostile.hiddenKeys(40, 1_000_000, PASSWORD), PASSWORD);
    expect(error.code).toBe('TOO_COMPLEX');
    expect(error.details).toMatchObject({ limit: 'fileCost', derived: '2048' }); // only the part's own PBKDF2 ×2048 ran
  });

  it('PBMAC1 asking for a 100,000-byte HMAC key is refused: HMAC-SHA256 uses at most 64', () => {
    const error = refusal(hostile.pbmac1KeyLength(100_000));
    expectRefusedUpFront(error, 'keyLength', 'chave de MAC de 100.000 bytes para HMAC-SHA256; o máximo é 64');
  });

  it('within the budget nothing changes: 40 keys at 2,048 iterations are each tried (wrong key: CORRUPT, not TOO_COMPLEX)', () => {
    const error = refusal(hostile.shroudedKeys(40, 2048));
    expect(error.code).not.toBe('TOO_COMPLEX');
  });
});

describe('counts are bounded before the parser builds anything', () => {
  it('10,000 chained certificates (2.7 MB) are refused as such', () => {
    const error = refusal(hostile.chainedCertificates(10_000));
    expectRefusedUpFront(
      error,
      'certificates',
      `O arquivo tem 10.000 certificados; o máximo é ${LIMITS.certificates.toLocaleString('pt-BR')}`,
    );
  });

  it(`${LIMITS.certificates.toLocaleString('en')} chained certificates, the most allowed, are read: the last is the end entity, 10 links shown`, () => {
    const result = inspectBytes(hostile.chainedCertificates(LIMITS.certificates), 'cadeia.pfx', { password: null, now: NOW });
    expect(result.certificate!.commonName).toBe(`CADEIA ${LIMITS.certificates - 1}`);
    expect(result.chain).toHaveLength(10);
    expect(result.chain.map((link) => link.commonName).slice(0, 3)).toEqual([
      `CADEIA ${LIMITS.certificates - 1}`,
      `CADEIA ${LIMITS.certificates - 2}`,
      `CADEIA ${LIMITS.certificates - 3}`,
    ]);
    expect(result.extraCertificates).toHaveLength(LIMITS.certificates - 1);
  });

  it('4,900,000 empty BER chunks (9.8 MB) are refused without building a node for each', () => {
    const error = refusal(hostile.emptyBerChunks(4_900_000));
    expectRefusedUpFront(error, 'berChunks', 'pedaços de dados em BER');
  });

  it('300,000 empty SafeContents are refused, counted exactly', () => {
    const error = refusal(hostile.emptySafeContents(300_000));
    expectRefusedUpFront(error, 'safeContents', 'O arquivo tem 300.000 blocos de conteúdo (SafeContents); o máximo é 256');
  });

  it('nesting past 64 levels is a limit of its own, not a parser crash', () => {
    const error = refusal(hostile.deepNesting(200));
    expectRefusedUpFront(error, 'depth', 'aninhadas em mais de 64 níveis');
  });
});

describe('key sizes are bounded before node:crypto imports a key', () => {
  it('a DSA key with a 32,768-bit p (computing g^x mod p took 11–13 s)', () => {
    const error = refusal(hostile.keyFile(hostile.dsaPkcs8(32_768, 32_768)));
    expectRefusedUpFront(error, 'keySize', `DSA (primo p) tem 32.768 bits; o máximo é ${KEY_LIMITS.dsaPBits.toLocaleString('pt-BR')}`);
  });

  it('a DSA key whose x is not below q', () => {
    const error = refusal(hostile.keyFile(hostile.dsaPkcs8(2048, 4096)));
    expectRefusedUpFront(error, 'keySize', 'DSA (x, que deve ser menor que q)');
  });

  it('an RSA key with a 20,000-bit modulus', () => {
    const error = refusal(hostile.keyFile(hostile.rsaPkcs8(20_000)));
    expectRefusedUpFront(error, 'keySize', 'RSA tem 20.000 bits; o máximo é 16.384');
  });

  it('a DH key with an 8,192-bit p and a full-length x', () => {
    const error = refusal(hostile.keyFile(hostile.dhPkcs8(8192, 8190)));
    expectRefusedUpFront(error, 'keySize', 'DH (primo p) tem 8.192 bits; o máximo é 4.096');
  });

  it('an EC key on P-256 with a 1,000-byte private scalar', () => {
    const error = refusal(hostile.keyFile(hostile.ecPkcs8(1000)));
    expectRefusedUpFront(error, 'keySize', 'EC (escalar privado) tem 8.000 bits; o máximo é 256');
  });

  it('an EC key on explicit curve parameters is described but never imported (only named curves are)', () => {
    const result = inspectBytes(hostile.keyFile(hostile.explicitCurvePkcs8()), 'explicita.pfx', { password: null, now: NOW });
    expect(result.key).toMatchObject({ algorithm: 'EC', supported: false, curve: null });
    expect(result.protection.warnings.map((w) => w.code)).toContain('UNSUPPORTED_ALGORITHM');
  });

  it('keys of ordinary sizes still import (RSA 2,048 numbers, no certificate: a key-only file)', () => {
    const result = inspectBytes(hostile.keyFile(hostile.rsaPkcs8(2048)), 'so-chave.pfx', { password: null, now: NOW });
    expect(result.key).toMatchObject({ algorithm: 'RSA', size: 2048, supported: true });
  });
});
