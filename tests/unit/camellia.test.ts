import { createCipheriv, getCiphers } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { camelliaCbcDecrypt, camelliaDecryptBlock } from '@certdesk/core/pfx/camellia';
import { simulateMissingNativeCiphers } from '@certdesk/core/pfx/ciphers';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { PASSWORD, pfx } from '../fixtures';
import { seededRandom, testSeed } from './helpers/seeded-random';

describe('Camellia fallback (for BoringSSL builds without it)', () => {
  it('decrypts the RFC 3713 test vectors', () => {
    const plain = '0123456789abcdeffedcba9876543210';
    const vectors = [
      ['0123456789abcdeffedcba9876543210', '67673138549669730857065648eabe43'],
      ['0123456789abcdeffedcba98765432100011223344556677', 'b4993401b3e996f84ee5cee7d79b09b9'],
      ['0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff', '9acc237dff16d76c20ef7c919e3a7509'],
    ];
    for (const [key, cipher] of vectors) {
      expect(camelliaDecryptBlock(Buffer.from(key!, 'hex'), Buffer.from(cipher!, 'hex')).toString('hex')).toBe(plain);
    }
  });

  it('matches OpenSSL camellia-*-cbc on random data (seeded)', () => {
    expect(getCiphers()).toContain('camellia-256-cbc'); // the reference is available here
    const random = seededRandom(testSeed(20260319));
    for (const bits of [128, 192, 256]) {
      for (let i = 0; i < 20; i++) {
        const key = random.bytes(bits / 8);
        const iv = random.bytes(16);
        const plain = random.bytes(random.int(1, 300));
        const cipher = createCipheriv(`camellia-${bits}-cbc`, key, iv);
        const data = Buffer.concat([cipher.update(plain), cipher.final()]);
        expect(
          camelliaCbcDecrypt(key, iv, data)?.toString('hex'),
          `camellia-${bits} case ${i}, seed ${random.seed} (CERTDESK_TEST_SEED)`,
        ).toBe(plain.toString('hex'));
      }
    }
  });

  it('opens v19 (Camellia-256) when node:crypto has no Camellia, as in Electron', async () => {
    const restore = simulateMissingNativeCiphers(['camellia-128-cbc', 'camellia-192-cbc', 'camellia-256-cbc']);
    try {
      const r = await inspectFile(pfx('v19_camellia256.pfx'), { password: PASSWORD });
      expect(r.certificate!.holderName).toBe('EMPRESA EXEMPLO LTDA');
      await expect(inspectFile(pfx('v19_camellia256.pfx'), { password: 'errada' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    } finally {
      restore();
    }
  });

  it('reports a wrong key as a padding failure (null), never garbage (seeded)', () => {
    const random = seededRandom(testSeed(20260320));
    const key = random.bytes(32);
    const iv = random.bytes(16);
    const cipher = createCipheriv('camellia-256-cbc', key, iv);
    const data = Buffer.concat([cipher.update(Buffer.from('segredo de teste '.repeat(8))), cipher.final()]);
    let nulls = 0;
    for (let i = 0; i < 20; i++) if (camelliaCbcDecrypt(random.bytes(32), iv, data) === null) nulls++;
    // About 1/256 chance each of a valid-looking pad.
    expect(nulls, `wrong keys refused, seed ${random.seed} (CERTDESK_TEST_SEED)`).toBeGreaterThanOrEqual(18);
    expect(camelliaCbcDecrypt(key, iv, data.subarray(1))).toBeNull();
  });
});
