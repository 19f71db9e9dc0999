import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iterateHash } from '#core/pfx/iterated-hash';
import { pkcs12Kdf, bmpPassword } from '#core/pfx/kdf';

function reference(hash: string, digest: Buffer, rounds: number): Buffer {
  let out = digest;
  for (let i = 0; i < rounds; i++) out = createHash(hash).update(out).digest();
  return out;
}

describe('iterated hashing equals node:crypto round by round', () => {
  for (const hash of ['sha1', 'sha256', 'sha512', 'md5']) {
    it(hash, () => {
      for (const rounds of [0, 1, 2, 3, 17, 1000]) {
        const start = createHash(hash).update(randomBytes(37)).digest();
        expect(iterateHash(hash, start, rounds).toString('hex')).toBe(reference(hash, start, rounds).toString('hex'));
      }
    });
  }
});

describe('PKCS#12 key generator (RFC 7292 B.2)', () => {
  it('matches an independent computation with node:crypto for several sizes and ids', () => {
    const salt = Buffer.from('0a58cf64530d823f', 'hex');
    const password = bmpPassword('smeg');
    for (const [id, size] of [
      [1, 24],
      [2, 8],
      [3, 20],
      [1, 40],
    ] as const) {
      // Straightforward reference of B.2 for one or two blocks.
      const v = 64;
      const D = Buffer.alloc(v, id);
      const S = Buffer.concat(Array(Math.ceil(v / salt.length)).fill(salt)).subarray(0, v);
      const P = Buffer.concat(Array(Math.ceil(v / password.length)).fill(password)).subarray(0, v);
      let I = Buffer.concat([S, P]);
      const out: Buffer[] = [];
      while (Buffer.concat(out).length < size) {
        const A = reference('sha1', createHash('sha1').update(D).update(I).digest(), 999);
        out.push(A);
        const B = Buffer.concat([A, A, A, A]).subarray(0, v);
        const next = Buffer.alloc(I.length);
        for (let j = 0; j < I.length; j += v) {
          let carry = 1;
          for (let k = v - 1; k >= 0; k--) {
            const sum = I[j + k]! + B[k]! + carry;
            next[j + k] = sum & 0xff;
            carry = sum >> 8;
          }
        }
        I = next;
      }
      expect(pkcs12Kdf('sha1', password, salt, 1000, id, size).toString('hex')).toBe(Buffer.concat(out).subarray(0, size).toString('hex'));
    }
  });
});
