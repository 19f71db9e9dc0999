/**
 * PBMAC1 integrity (RFC 9579). The RFC's own Appendix A files (password "1234",
 * committed in tests/fixtures/spec/rfc9579/) must pass and fail exactly as the RFC says, and files
 * the fixture writer made with our test PKI must open — or, damaged, never open unverified.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectBytes, inspectFile } from '@certdesk/core/pfx/inspect';
import { BAD_DIR, FIXTURES, PASSWORD, pfx } from '../fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const vector = (name: string): Buffer =>
  Buffer.from(readFileSync(resolve(FIXTURES, 'spec/rfc9579', `${name}.p12.b64`), 'latin1').replace(/\s+/g, ''), 'base64');
const open = (bytes: Buffer, password: string | null) => inspectBytes(bytes, 'rfc9579.p12', { password, now: NOW });
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('RFC 9579 Appendix A — the valid files open with "1234"', () => {
  it.each([
    ['a1', 'PBMAC1 HMAC-SHA256 (PBKDF2-SHA256)'],
    ['a2', 'PBMAC1 HMAC-SHA256 (PBKDF2-SHA512)'],
    ['a3', 'PBMAC1 HMAC-SHA512 (PBKDF2-SHA512)'],
  ])('A.%s verifies its PBMAC1 and reads certificate and key', (name, mac) => {
    const r = open(vector(name), '1234');
    expect(r.protection.mac).toBe(mac);
    expect(r.protection.macIterations).toBe(2048);
    expect(r.protection.warnings.map((w) => w.code)).not.toContain('NO_MAC');
    expect(r.certificate!.fingerprints.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.privateKey).toEqual({ present: true, matchesCertificate: true });
  });

  it('A.1 with another password, or with one changed MAC byte, is refused', () => {
    expect(codeOf(() => open(vector('a1'), '12345'))).toBe('WRONG_PASSWORD');
    const tampered = vector('a1');
    const mac = tampered.indexOf(Buffer.from('7aa56d8539d70236', 'hex')); // first bytes of A.1's MAC
    expect(mac).toBeGreaterThan(0);
    tampered[mac + 5]! ^= 0x01;
    expect(codeOf(() => open(tampered, '1234'))).toBe('WRONG_PASSWORD');
  });
});

describe('RFC 9579 Appendix A — the invalid files never open', () => {
  it('A.4 (iteration count 2049 instead of 2048) fails the MAC check', () => {
    expect(codeOf(() => open(vector('a4'), '1234'))).toBe('WRONG_PASSWORD');
  });

  it("A.5 (the real salt moved to MacData's macSalt) fails: PBKDF2's salt is the one used", () => {
    expect(codeOf(() => open(vector('a5'), '1234'))).toBe('WRONG_PASSWORD');
  });

  it('A.6 (PBKDF2 keyLength missing) is refused as damaged, naming what is missing', () => {
    expect(() => open(vector('a6'), '1234')).toThrow(/keyLength/);
    expect(codeOf(() => open(vector('a6'), '1234'))).toBe('CORRUPT');
  });
});

describe('PBMAC1 files the fixture writer made (test PKI)', () => {
  it.each([
    ['v47_pbmac1_sha256.p12', 'PBMAC1 HMAC-SHA256 (PBKDF2-SHA256)'],
    ['v48_pbmac1_sha512.p12', 'PBMAC1 HMAC-SHA512 (PBKDF2-SHA512)'],
  ])('%s opens with its chain', async (file, mac) => {
    const r = await inspectFile(pfx(file), { password: PASSWORD, now: NOW });
    expect(r.protection.mac).toBe(mac);
    expect(r.certificate!.cnpj).toBe('11222333000181');
    expect(r.chain.map((l) => l.commonName)).toEqual([
      'EMPRESA EXEMPLO LTDA:11222333000181',
      'AC EXEMPLO RFB v5',
      'Autoridade Certificadora Raiz EXEMPLO v5',
    ]);
    await expect(inspectFile(pfx(file), { password: 'SenhaErrada', now: NOW })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('a PBMAC1 cut to 16 of its 32 bytes is CORRUPT, never compared as a prefix', async () => {
    const failure = inspectFile(resolve(BAD_DIR, 'pbmac1_truncated_mac.p12'), { password: PASSWORD, now: NOW });
    await expect(failure).rejects.toMatchObject({ code: 'CORRUPT' });
    await expect(failure).rejects.toThrow(/16 bytes, esperado 32/);
  });

  it("Debian's OpenSSL 3.0 cannot verify PBMAC1 (why these files are not in an openssl round-trip)", () => {
    const run = spawnSync('openssl', ['pkcs12', '-in', pfx('v47_pbmac1_sha256.p12'), '-nokeys', '-passin', `pass:${PASSWORD}`]);
    const version = spawnSync('openssl', ['version']).stdout.toString();
    // OpenSSL 3.4 added PBMAC1; on an older one the MAC check fails, on a newer one it must pass.
    const [major, minor] = /OpenSSL (\d+)\.(\d+)/.exec(version)!.slice(1).map(Number) as [number, number];
    expect(run.status === 0).toBe(major > 3 || (major === 3 && minor >= 4));
  });
});
