/**
 * Hashing a digest again and again (the inner loop of the PKCS#12 key generator, PBKDF1) with
 * node:crypto costs one Hash object per round, which dominates legacy files with 100,000 rounds
 * (Java's v32). These loops run SHA-1 / SHA-256 compression directly on 32-bit words for inputs
 * that are a single previous digest — about ten times faster — and are checked against
 * node:crypto in the unit tests. Other hashes fall back to node:crypto.
 */
import { createHash } from 'node:crypto';

function sha1Rounds(digest: Buffer, rounds: number): Buffer {
  const w = new Int32Array(80);
  let h0 = digest.readInt32BE(0),
    h1 = digest.readInt32BE(4),
    h2 = digest.readInt32BE(8);
  let h3 = digest.readInt32BE(12),
    h4 = digest.readInt32BE(16);
  for (let r = 0; r < rounds; r++) {
    // One 64-byte block: the 20-byte digest, 0x80, zeros, bit length 160.
    w[0] = h0;
    w[1] = h1;
    w[2] = h2;
    w[3] = h3;
    w[4] = h4;
    w[5] = 0x80000000 | 0;
    for (let t = 6; t < 15; t++) w[t] = 0;
    w[15] = 160;
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = 0x67452301,
      b = 0xefcdab89 | 0,
      c = 0x98badcfe | 0,
      d = 0x10325476,
      e = 0xc3d2e1f0 | 0;
    for (let t = 0; t < 20; t++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (let t = 20; t < 40; t++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (let t = 40; t < 60; t++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + (0x8f1bbcdc | 0) + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (let t = 60; t < 80; t++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (0x67452301 + a) | 0;
    h1 = ((0xefcdab89 | 0) + b) | 0;
    h2 = ((0x98badcfe | 0) + c) | 0;
    h3 = (0x10325476 + d) | 0;
    h4 = ((0xc3d2e1f0 | 0) + e) | 0;
  }
  const out = Buffer.alloc(20);
  out.writeInt32BE(h0, 0);
  out.writeInt32BE(h1, 4);
  out.writeInt32BE(h2, 8);
  out.writeInt32BE(h3, 12);
  out.writeInt32BE(h4, 16);
  return out;
}

const K256 = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H256 = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

function sha256Rounds(digest: Buffer, rounds: number): Buffer {
  const w = new Int32Array(64);
  const h = new Int32Array(8);
  for (let i = 0; i < 8; i++) h[i] = digest.readInt32BE(i * 4);
  for (let r = 0; r < rounds; r++) {
    // One 64-byte block: the 32-byte digest, 0x80, zeros, bit length 256.
    for (let i = 0; i < 8; i++) w[i] = h[i]!;
    w[8] = 0x80000000 | 0;
    for (let t = 9; t < 15; t++) w[t] = 0;
    w[15] = 256;
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!,
        y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a = H256[0]!,
      b = H256[1]!,
      c = H256[2]!,
      d = H256[3]!,
      e = H256[4]!,
      f = H256[5]!,
      g = H256[6]!,
      hh = H256[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K256[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (H256[0]! + a) | 0;
    h[1] = (H256[1]! + b) | 0;
    h[2] = (H256[2]! + c) | 0;
    h[3] = (H256[3]! + d) | 0;
    h[4] = (H256[4]! + e) | 0;
    h[5] = (H256[5]! + f) | 0;
    h[6] = (H256[6]! + g) | 0;
    h[7] = (H256[7]! + hh) | 0;
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) out.writeInt32BE(h[i]!, i * 4);
  return out;
}

/** hash^rounds(digest), where `digest` is already an output of `hash`. */
export function iterateHash(hash: string, digest: Buffer, rounds: number): Buffer {
  if (rounds <= 0) return digest;
  if (hash === 'sha1' && digest.length === 20) return sha1Rounds(digest, rounds);
  if (hash === 'sha256' && digest.length === 32) return sha256Rounds(digest, rounds);
  let out = digest;
  for (let i = 0; i < rounds; i++) out = createHash(hash).update(out).digest();
  return out;
}
