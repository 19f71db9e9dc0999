/**
 * SHA-1 / SHA-256 "hash the previous digest again" loops as a small WebAssembly module, generated
 * here at load time (no binary blob in the repository, nothing fetched). Why WebAssembly: the
 * legacy PKCS#12 key generator and PBKDF1 hash a single 20/32-byte digest up to 1,000,000 times;
 * node:crypto costs about 1 µs per call in JS↔C++ overhead alone, and the same compression in plain
 * JS pays for typed-array bounds checks and shuffling eight working variables every round.
 * Fully unrolled, with the working variables renamed at generation time instead of moved, V8
 * compiles this to straight register code — measured by `npm run bench -- --only pfx`.
 *
 * Memory layout: the digest, as big-endian 32-bit words converted to integers, lives at byte 0
 * (5 words for SHA-1, 8 for SHA-256); `sha1(rounds)` / `sha256(rounds)` replace it in place.
 */

// ---- the few WebAssembly opcodes used (https://webassembly.github.io/spec/core/binary/) ----
const I32 = 0x7f;
const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  eqz: 0x45,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  or: 0x72,
  xor: 0x73,
  shrU: 0x76,
  rotl: 0x77,
  rotr: 0x78,
} as const;

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  value |= 0;
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** A function body under construction: local 0 is the `rounds` parameter, the rest are i32 locals. */
class Body {
  readonly code: number[] = [];
  private locals = 1;
  local(): number {
    return this.locals++;
  }
  get(index: number): this {
    this.code.push(OP.get, ...uleb(index));
    return this;
  }
  set(index: number): this {
    this.code.push(OP.set, ...uleb(index));
    return this;
  }
  tee(index: number): this {
    this.code.push(OP.tee, ...uleb(index));
    return this;
  }
  i32(value: number): this {
    this.code.push(OP.const, ...sleb(value));
    return this;
  }
  op(...codes: number[]): this {
    this.code.push(...codes);
    return this;
  }
  /** Push a rotation of local `index` (right by `bits`). */
  rotr(index: number, bits: number): this {
    return this.get(index).i32(bits).op(OP.rotr);
  }
  /** Load / store the 32-bit word `word` of the digest in memory. */
  loadWord(word: number): this {
    return this.i32(0).op(OP.load, 2, ...uleb(word * 4));
  }
  storeWord(word: number, value: number): this {
    return this.i32(0)
      .get(value)
      .op(OP.store, 2, ...uleb(word * 4));
  }
  /** The whole function entry: its locals declaration followed by the instructions. */
  encode(): number[] {
    const body = [...uleb(1), ...uleb(this.locals - 1), I32, ...this.code, OP.end];
    return [...uleb(body.length), ...body];
  }
}

/**
 * Wrap `round` (one compression of the digest held in `digest` locals) in
 * `while (rounds--) { round }`, loading the digest from memory before and storing it after.
 */
function loopOver(body: Body, digest: number[], round: () => void): void {
  digest.forEach((local, word) => body.loadWord(word).set(local));
  body.op(OP.block, 0x40, OP.loop, 0x40);
  body.get(0).op(OP.eqz, OP.brIf, 1); // rounds == 0: leave
  body.get(0).i32(1).op(OP.sub).set(0);
  round();
  body.op(OP.br, 0, OP.end, OP.end);
  digest.forEach((local, word) => body.storeWord(word, local));
}

const SHA1_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
const SHA1_K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

function sha1Function(): Body {
  const b = new Body();
  const digest = Array.from({ length: 5 }, () => b.local());
  const w = Array.from({ length: 16 }, () => b.local());
  const v = Array.from({ length: 5 }, () => b.local()); // a..e, renamed every round
  loopOver(b, digest, () => {
    // One 64-byte block: the 20-byte digest, 0x80, zeros, bit length 160.
    for (let t = 0; t < 16; t++) {
      if (t < 5) b.get(digest[t]!).set(w[t]!);
      else b.i32(t === 5 ? 0x80000000 : t === 15 ? 160 : 0).set(w[t]!);
    }
    SHA1_IV.forEach((value, i) => b.i32(value).set(v[i]!));
    let [a, bb, c, d, e] = v as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      const wt = w[t % 16]!;
      if (t >= 16) {
        b.get(w[(t - 3) % 16]!)
          .get(w[(t - 8) % 16]!)
          .op(OP.xor)
          .get(w[(t - 14) % 16]!)
          .op(OP.xor)
          .get(wt)
          .op(OP.xor);
        b.i32(1).op(OP.rotl).set(wt);
      }
      // temp = rotl(a, 5) + f(b, c, d) + e + K + w[t], written over e (which is no longer needed)
      b.get(a).i32(5).op(OP.rotl);
      if (t < 20) b.get(bb).get(c).op(OP.and).get(bb).i32(-1).op(OP.xor).get(d).op(OP.and).op(OP.or);
      else if (t >= 40 && t < 60) b.get(bb).get(c).op(OP.and).get(bb).get(d).op(OP.and).op(OP.or).get(c).get(d).op(OP.and).op(OP.or);
      else b.get(bb).get(c).op(OP.xor).get(d).op(OP.xor);
      b.op(OP.add)
        .get(e)
        .op(OP.add)
        .i32(SHA1_K[Math.floor(t / 20)]!)
        .op(OP.add)
        .get(wt)
        .op(OP.add)
        .set(e);
      b.get(bb).i32(30).op(OP.rotl).set(bb);
      [a, bb, c, d, e] = [e, a, bb, c, d];
    }
    [a, bb, c, d, e].forEach((local, i) => b.i32(SHA1_IV[i]!).get(local).op(OP.add).set(digest[i]!));
  });
  return b;
}

const SHA256_IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const SHA256_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

function sha256Function(): Body {
  const b = new Body();
  const digest = Array.from({ length: 8 }, () => b.local());
  const w = Array.from({ length: 16 }, () => b.local());
  const v = Array.from({ length: 8 }, () => b.local()); // a..h, renamed every round
  const t1 = b.local();
  loopOver(b, digest, () => {
    // One 64-byte block: the 32-byte digest, 0x80, zeros, bit length 256.
    for (let t = 0; t < 16; t++) {
      if (t < 8) b.get(digest[t]!).set(w[t]!);
      else b.i32(t === 8 ? 0x80000000 : t === 15 ? 256 : 0).set(w[t]!);
    }
    SHA256_IV.forEach((value, i) => b.i32(value).set(v[i]!));
    let [a, bb, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
    for (let t = 0; t < 64; t++) {
      const wt = w[t % 16]!;
      if (t >= 16) {
        const x = w[(t - 15) % 16]!;
        const y = w[(t - 2) % 16]!;
        b.rotr(x, 7).rotr(x, 18).op(OP.xor).get(x).i32(3).op(OP.shrU).op(OP.xor); // σ0
        b.rotr(y, 17).rotr(y, 19).op(OP.xor).get(y).i32(10).op(OP.shrU).op(OP.xor); // σ1
        b.op(OP.add)
          .get(w[(t - 7) % 16]!)
          .op(OP.add)
          .get(wt)
          .op(OP.add)
          .set(wt);
      }
      // t1 = h + Σ1(e) + Ch(e, f, g) + K[t] + w[t]
      b.get(h).rotr(e, 6).rotr(e, 11).op(OP.xor).rotr(e, 25).op(OP.xor).op(OP.add);
      b.get(e).get(f).op(OP.and).get(e).i32(-1).op(OP.xor).get(g).op(OP.and).op(OP.xor).op(OP.add);
      b.i32(SHA256_K[t]!).op(OP.add).get(wt).op(OP.add).set(t1);
      // new e = d + t1 (over d); new a = t1 + Σ0(a) + Maj(a, b, c) (over h)
      b.get(d).get(t1).op(OP.add).set(d);
      b.get(t1).rotr(a, 2).rotr(a, 13).op(OP.xor).rotr(a, 22).op(OP.xor).op(OP.add);
      b.get(a).get(bb).op(OP.and).get(a).get(c).op(OP.and).op(OP.xor).get(bb).get(c).op(OP.and).op(OP.xor).op(OP.add).set(h);
      [a, bb, c, d, e, f, g, h] = [h, a, bb, c, d, e, f, g];
    }
    [a, bb, c, d, e, f, g, h].forEach((local, i) => b.i32(SHA256_IV[i]!).get(local).op(OP.add).set(digest[i]!));
  });
  return b;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function exportEntry(name: string, kind: number, index: number): number[] {
  const bytes = [...Buffer.from(name, 'utf8')];
  return [...uleb(bytes.length), ...bytes, kind, index];
}

/** The module's bytes: one memory page and the two exported loops, both of type (i32) -> (). */
export function buildShaRoundsModule(): Uint8Array<ArrayBuffer> {
  const functions = [sha1Function(), sha256Function()];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 1, I32, 0]), // type 0: (i32) -> ()
    ...section(3, [2, 0, 0]), // two functions of type 0
    ...section(5, [1, 0x00, 1]), // one memory, one 64 KiB page
    ...section(7, [3, ...exportEntry('memory', 2, 0), ...exportEntry('sha1', 0, 0), ...exportEntry('sha256', 0, 1)]),
    ...section(10, [functions.length, ...functions.flatMap((f) => f.encode())]),
  ]);
}

export interface ShaRounds {
  /** hash^rounds(digest) for a 20-byte SHA-1 or 32-byte SHA-256 digest. */
  iterate(hash: 'sha1' | 'sha256', digest: Buffer, rounds: number): Buffer;
}

/** Compile once per thread (a few milliseconds); every call then runs with no allocation but its result. */
export function createShaRounds(): ShaRounds {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(buildShaRoundsModule()));
  const exports = instance.exports as { memory: WebAssembly.Memory; sha1: (n: number) => void; sha256: (n: number) => void };
  const words = new Int32Array(exports.memory.buffer, 0, 8);
  return {
    iterate(hash, digest, rounds) {
      const count = digest.length / 4;
      for (let i = 0; i < count; i++) words[i] = digest.readInt32BE(i * 4);
      // The loop counts down a signed i32: split absurd counts (the caller caps them far lower anyway).
      for (let left = rounds; left > 0; left -= 0x40000000) exports[hash](Math.min(left, 0x40000000));
      const out = Buffer.alloc(digest.length);
      for (let i = 0; i < count; i++) out.writeInt32BE(words[i]!, i * 4);
      return out;
    },
  };
}
