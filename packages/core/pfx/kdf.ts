/**
 * Key derivation for PKCS#12: the RFC 7292 appendix B generator (MAC keys and legacy PBE) and
 * PBKDF2 / PBKDF1 from PKCS#5. Everything runs on node:crypto hashes; PBKDF2 is native, which is
 * what makes v10 (100,000 iterations) quick. Each derivation is charged to the file's budget
 * before it starts (budget.ts): one that would cost too much never runs.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import type { WorkBudget } from './budget';
import { iterateHash } from './iterated-hash';

/** A candidate password: a string, or null for "no password at all" (distinct from ""). */
export type Password = string | null;

/** Hash name in node:crypto → block size in bytes, as the PKCS#12 generator needs it. */
const BLOCK_SIZE: Record<string, number> = {
  md5: 64,
  sha1: 64,
  sha224: 64,
  sha256: 64,
  sha384: 128,
  sha512: 128,
};

/** PKCS#12 passwords are BMPString (UTF-16BE) with a two-byte terminator; null means no bytes. */
export function bmpPassword(password: Password): Buffer {
  if (password === null) return Buffer.alloc(0);
  const units = Buffer.from(password, 'utf16le');
  units.swap16();
  return Buffer.concat([units, Buffer.alloc(2)]);
}

/** PKCS#5 passwords are octet strings: UTF-8, which is what OpenSSL writes (fixture v13). */
export function utf8Password(password: Password): Buffer {
  return password === null ? Buffer.alloc(0) : Buffer.from(password, 'utf8');
}

function repeatTo(source: Buffer, blockSize: number): Buffer {
  if (source.length === 0) return source;
  const length = blockSize * Math.ceil(source.length / blockSize);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += source.length) source.copy(out, i, 0, Math.min(source.length, length - i));
  return out;
}

/** RFC 7292 B.2: derive `size` bytes for purpose `id` (1 key, 2 IV, 3 MAC key). */
export function pkcs12Kdf(
  hash: string,
  password: Buffer,
  salt: Buffer,
  iterations: number,
  id: 1 | 2 | 3,
  size: number,
  budget: WorkBudget,
): Buffer {
  const v = BLOCK_SIZE[hash];
  if (!v) throw new Error(`hash ${hash} sem suporte`);
  budget.derive({ kdf: 'pkcs12', hash, iterations, bytes: size });
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([repeatTo(salt, v), repeatTo(password, v)]);
  const blocks: Buffer[] = [];
  let produced = 0;
  while (produced < size) {
    const A = iterateHash(hash, createHash(hash).update(D).update(I).digest(), iterations - 1);
    blocks.push(A);
    produced += A.length;
    if (produced >= size) break;
    // I_j = (I_j + B + 1) mod 2^(8v), B = A repeated to v bytes
    const B = repeatTo(A, v).subarray(0, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, size);
}

/** One native call: the budget keeps it short enough for a worker's time limit to end it. */
export function pbkdf2(password: Buffer, salt: Buffer, iterations: number, size: number, hash: string, budget: WorkBudget): Buffer {
  budget.derive({ kdf: 'pbkdf2', hash, iterations, bytes: size });
  return pbkdf2Sync(password, salt, iterations, size, hash);
}

/** PKCS#5 v1 PBKDF1 (PBES1 schemes): hash^c(P || S), first 16 bytes = key (8) + IV (8). */
export function pbkdf1(hash: string, password: Buffer, salt: Buffer, iterations: number, budget: WorkBudget): Buffer {
  budget.derive({ kdf: 'pbkdf1', hash, iterations, bytes: 16 });
  return iterateHash(hash, createHash(hash).update(password).update(salt).digest(), iterations - 1).subarray(0, 16);
}
