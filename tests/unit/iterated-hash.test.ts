import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iterateHash, nodeRounds } from '@certdesk/core/pfx/iterated-hash';
import { WorkBudget } from '@certdesk/core/pfx/budget';
import { bmpPassword, pbkdf1, pkcs12Kdf } from '@certdesk/core/pfx/kdf';
import { buildShaRoundsModule, createShaRounds } from '@certdesk/core/pfx/sha-rounds-wasm';
import { seededRandom, testSeed } from './helpers/seeded-random';

/** The plain definition: one node:crypto hash per round. */
function reference(hash: string, digest: Buffer, rounds: number): Buffer {
  let out = digest;
  for (let i = 0; i < rounds; i++) out = createHash(hash).update(out).digest();
  return out;
}

const random = seededRandom(testSeed(0x1e2a7ed));
const seedNote = `seed ${random.seed} (CERTDESK_TEST_SEED replays it)`;

describe('iterated hashing equals node:crypto round by round', () => {
  for (const hash of ['sha1', 'sha256', 'sha512', 'md5']) {
    it(hash, () => {
      for (const rounds of [0, 1, 2, 3, 17, 64, 1000]) {
        const start = createHash(hash)
          .update(random.bytes(random.int(0, 200)))
          .digest();
        expect(iterateHash(hash, start, rounds).toString('hex'), `${hash} × ${rounds}, ${seedNote}`).toBe(
          reference(hash, start, rounds).toString('hex'),
        );
      }
    });
  }

  it('the WebAssembly loops agree with node:crypto on many random digests and round counts', () => {
    const wasm = createShaRounds();
    for (let i = 0; i < 200; i++) {
      const hash = i % 2 === 0 ? 'sha1' : 'sha256';
      const start = createHash(hash)
        .update(random.bytes(random.int(0, 100)))
        .digest();
      const rounds = random.int(1, 300);
      expect(wasm.iterate(hash, start, rounds).toString('hex'), `${hash} × ${rounds}, ${seedNote}`).toBe(
        reference(hash, start, rounds).toString('hex'),
      );
    }
  });

  it('stays exact over 100,000 rounds, the count of the slowest real files (Java legacy, v10)', () => {
    for (const hash of ['sha1', 'sha256'] as const) {
      const start = createHash(hash).update(random.bytes(32)).digest();
      expect(iterateHash(hash, start, 100_000).toString('hex'), `${hash}, ${seedNote}`).toBe(
        reference(hash, start, 100_000).toString('hex'),
      );
    }
  });

  it('leaves the caller’s digest untouched and keeps no state between calls', () => {
    const start = createHash('sha256').update(random.bytes(20)).digest();
    const copy = Buffer.from(start);
    const first = iterateHash('sha256', start, 5);
    iterateHash('sha1', createHash('sha1').update('other').digest(), 9);
    expect(start.equals(copy)).toBe(true);
    expect(iterateHash('sha256', start, 5).equals(first)).toBe(true);
  });

  it('the generated module is valid WebAssembly, and the node:crypto fallback gives the same answer', () => {
    expect(WebAssembly.validate(buildShaRoundsModule())).toBe(true);
    const start = createHash('sha1').update(random.bytes(10)).digest();
    expect(nodeRounds('sha1', start, 50).equals(iterateHash('sha1', start, 50))).toBe(true);
  });
});

/** RFC 7292 B.2 written out plainly for one or more blocks, as the reference for pkcs12Kdf. */
function referenceKdf(hash: string, v: number, password: Buffer, salt: Buffer, iterations: number, id: number, size: number): Buffer {
  const D = Buffer.alloc(v, id);
  const S = Buffer.concat(Array(Math.ceil(v / salt.length)).fill(salt)).subarray(0, v);
  const P = Buffer.concat(Array(Math.ceil(v / password.length)).fill(password)).subarray(0, v);
  let I = Buffer.concat([S, P]);
  const out: Buffer[] = [];
  while (Buffer.concat(out).length < size) {
    const A = reference(hash, createHash(hash).update(D).update(I).digest(), iterations - 1);
    out.push(A);
    const B = Buffer.concat(Array(Math.ceil(v / A.length)).fill(A)).subarray(0, v);
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
  return Buffer.concat(out).subarray(0, size);
}

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
      expect(pkcs12Kdf('sha1', password, salt, 1000, id, size, new WorkBudget()).toString('hex')).toBe(
        referenceKdf('sha1', 64, password, salt, 1000, id, size).toString('hex'),
      );
    }
  });

  it('with SHA-256 (MACs of modern files) and random salts, passwords and sizes spanning several blocks', () => {
    for (let i = 0; i < 12; i++) {
      const salt = random.bytes(random.int(1, 24));
      const password = bmpPassword(random.bytes(random.int(0, 12)).toString('hex'));
      const iterations = random.int(1, 2048);
      const id = random.int(1, 3) as 1 | 2 | 3;
      const size = random.int(1, 80);
      expect(pkcs12Kdf('sha256', password, salt, iterations, id, size, new WorkBudget()).toString('hex'), seedNote).toBe(
        referenceKdf('sha256', 64, password, salt, iterations, id, size).toString('hex'),
      );
    }
  });

  it('PBKDF1 is hash^c(P || S), cut to key and IV', () => {
    const salt = random.bytes(8);
    const password = Buffer.from('senha', 'utf8');
    const expected = reference('sha1', createHash('sha1').update(password).update(salt).digest(), 999).subarray(0, 16);
    expect(pbkdf1('sha1', password, salt, 1000, new WorkBudget()).toString('hex'), seedNote).toBe(expected.toString('hex'));
  });
});
