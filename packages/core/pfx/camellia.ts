/**
 * Camellia-CBC decryption (RFC 3713) in plain TypeScript. Node's OpenSSL has Camellia, but the
 * Electron app runs on BoringSSL, which does not — and PKCS#12 files encrypted with Camellia
 * (fixture v19) must open in the desktop app too. Used only when node:crypto lacks the cipher; the
 * unit tests check it against OpenSSL's Camellia and the RFC vectors.
 */

// prettier-ignore
const SBOX1 = Uint8Array.from([
  112,130,44,236,179,39,192,229,228,133,87,53,234,12,174,65,35,239,107,147,69,25,165,33,237,14,79,78,29,101,146,189,
  134,184,175,143,124,235,31,206,62,48,220,95,94,197,11,26,166,225,57,202,213,71,93,61,217,1,90,214,81,86,108,77,
  139,13,154,102,251,204,176,45,116,18,43,32,240,177,132,153,223,76,203,194,52,126,118,5,109,183,169,49,209,23,4,215,
  20,88,58,97,222,27,17,28,50,15,156,22,83,24,242,34,254,68,207,178,195,181,122,145,36,8,232,168,96,252,105,80,
  170,208,160,125,161,137,98,151,84,91,30,149,224,255,100,210,16,196,0,72,163,247,117,219,138,3,230,218,9,63,221,148,
  135,92,131,2,205,74,144,51,115,103,246,243,157,127,191,226,82,155,216,38,200,55,198,59,129,150,111,75,19,190,99,46,
  233,121,167,140,159,110,188,142,41,245,249,182,47,253,180,89,120,152,6,106,231,70,113,186,212,37,171,66,136,162,141,250,
  114,7,185,85,248,238,172,10,54,73,42,104,60,56,241,164,64,40,211,123,187,201,67,193,21,227,173,244,119,199,128,158,
]);
const rotl8 = (x: number, n: number) => ((x << n) | (x >>> (8 - n))) & 0xff;
const SBOX2 = SBOX1.map((x) => rotl8(x, 1));
const SBOX3 = SBOX1.map((x) => rotl8(x, 7));
const SBOX4 = Uint8Array.from({ length: 256 }, (_, x) => SBOX1[rotl8(x, 1)]!);

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
const SIGMA = [
  0xa09e667f3bcc908bn,
  0xb67ae8584caa73b2n,
  0xc6ef372fe94f82ben,
  0x54ff53a5f1d36f1cn,
  0x10e527fade682d1dn,
  0xb05688c2b3e6c1fdn,
];

/** A 64-bit value as two unsigned 32-bit halves. */
type Half = [number, number];

function split(value: bigint): Half {
  return [Number((value >> 32n) & 0xffffffffn), Number(value & 0xffffffffn)];
}

function F(hi: number, lo: number, k: Half): Half {
  const x1 = (hi ^ k[0]) >>> 0;
  const x2 = (lo ^ k[1]) >>> 0;
  const t1 = SBOX1[x1 >>> 24]!,
    t2 = SBOX2[(x1 >>> 16) & 0xff]!,
    t3 = SBOX3[(x1 >>> 8) & 0xff]!,
    t4 = SBOX4[x1 & 0xff]!;
  const t5 = SBOX2[x2 >>> 24]!,
    t6 = SBOX3[(x2 >>> 16) & 0xff]!,
    t7 = SBOX4[(x2 >>> 8) & 0xff]!,
    t8 = SBOX1[x2 & 0xff]!;
  const y1 = t1 ^ t3 ^ t4 ^ t6 ^ t7 ^ t8,
    y2 = t1 ^ t2 ^ t4 ^ t5 ^ t7 ^ t8;
  const y3 = t1 ^ t2 ^ t3 ^ t5 ^ t6 ^ t8,
    y4 = t2 ^ t3 ^ t4 ^ t5 ^ t6 ^ t7;
  const y5 = t1 ^ t2 ^ t6 ^ t7 ^ t8,
    y6 = t2 ^ t3 ^ t5 ^ t7 ^ t8;
  const y7 = t3 ^ t4 ^ t5 ^ t6 ^ t8,
    y8 = t1 ^ t4 ^ t5 ^ t6 ^ t7;
  return [((y1 << 24) | (y2 << 16) | (y3 << 8) | y4) >>> 0, ((y5 << 24) | (y6 << 16) | (y7 << 8) | y8) >>> 0];
}

const rotl32 = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;

function FL(hi: number, lo: number, k: Half): Half {
  const x2 = (lo ^ rotl32((hi & k[0]) >>> 0, 1)) >>> 0;
  return [(hi ^ (x2 | k[1])) >>> 0, x2];
}

function FLINV(hi: number, lo: number, k: Half): Half {
  const y1 = (hi ^ (lo | k[1])) >>> 0;
  return [y1, (lo ^ rotl32((y1 & k[0]) >>> 0, 1)) >>> 0];
}

function fBig(value: bigint, key: bigint): bigint {
  const [hi, lo] = F(...split(value), split(key));
  return (BigInt(hi) << 32n) | BigInt(lo);
}

const rotl128 = (x: bigint, n: number) => ((x << BigInt(n)) | (x >> BigInt(128 - n))) & MASK128;

interface Schedule {
  kw: Half[]; // kw1..kw4
  k: Half[]; // k1..k18 or k1..k24
  ke: Half[]; // ke1..ke4 or ke1..ke6
}

function schedule(key: Buffer): Schedule {
  const kl = BigInt(`0x${key.subarray(0, 16).toString('hex')}`);
  let kr = 0n;
  if (key.length === 24) {
    const right = BigInt(`0x${key.subarray(16, 24).toString('hex')}`);
    kr = (right << 64n) | (~right & MASK64);
  } else if (key.length === 32) kr = BigInt(`0x${key.subarray(16, 32).toString('hex')}`);

  let d1 = (kl ^ kr) >> 64n;
  let d2 = (kl ^ kr) & MASK64;
  d2 ^= fBig(d1, SIGMA[0]!);
  d1 ^= fBig(d2, SIGMA[1]!);
  d1 ^= kl >> 64n;
  d2 ^= kl & MASK64;
  d2 ^= fBig(d1, SIGMA[2]!);
  d1 ^= fBig(d2, SIGMA[3]!);
  const ka = (d1 << 64n) | d2;
  d1 = (ka ^ kr) >> 64n;
  d2 = (ka ^ kr) & MASK64;
  d2 ^= fBig(d1, SIGMA[4]!);
  d1 ^= fBig(d2, SIGMA[5]!);
  const kb = (d1 << 64n) | d2;

  const hi = (x: bigint, n: number) => split(rotl128(x, n) >> 64n);
  const lo = (x: bigint, n: number) => split(rotl128(x, n) & MASK64);
  const pair = (x: bigint, n: number) => [hi(x, n), lo(x, n)];
  if (key.length === 16) {
    return {
      kw: [...pair(kl, 0), ...pair(ka, 111)],
      k: [
        ...pair(ka, 0),
        ...pair(kl, 15),
        ...pair(ka, 15),
        ...pair(kl, 45),
        hi(ka, 45),
        lo(kl, 60),
        ...pair(ka, 60),
        ...pair(kl, 94),
        ...pair(ka, 94),
        ...pair(kl, 111),
      ],
      ke: [...pair(ka, 30), ...pair(kl, 77)],
    };
  }
  return {
    kw: [...pair(kl, 0), ...pair(kb, 111)],
    k: [
      ...pair(kb, 0),
      ...pair(kr, 15),
      ...pair(ka, 15),
      ...pair(kb, 30),
      ...pair(kl, 45),
      ...pair(ka, 45),
      ...pair(kr, 60),
      ...pair(kb, 60),
      ...pair(kl, 77),
      ...pair(kr, 94),
      ...pair(ka, 94),
      ...pair(kl, 111),
    ],
    ke: [...pair(kr, 30), ...pair(kl, 60), ...pair(ka, 77)],
  };
}

/** Decrypt one 16-byte block: the encryption network run with the subkeys in reverse order. */
function decryptBlock(s: Schedule, block: Buffer, out: Buffer, offset: number): void {
  let d1h = block.readUInt32BE(0) ^ s.kw[2]![0],
    d1l = block.readUInt32BE(4) ^ s.kw[2]![1];
  let d2h = block.readUInt32BE(8) ^ s.kw[3]![0],
    d2l = block.readUInt32BE(12) ^ s.kw[3]![1];
  const rounds = s.k.length; // 18 or 24
  let layer = s.ke.length / 2 - 1; // FL layers are used last-first too: (ke4, ke3), then (ke2, ke1)
  for (let j = 0; j < rounds; j += 2) {
    let f = F(d1h >>> 0, d1l >>> 0, s.k[rounds - 1 - j]!);
    d2h ^= f[0];
    d2l ^= f[1];
    f = F(d2h >>> 0, d2l >>> 0, s.k[rounds - 2 - j]!);
    d1h ^= f[0];
    d1l ^= f[1];
    // An FL / FL⁻¹ layer after every six rounds, except after the last ones.
    if ((j + 2) % 6 === 0 && j + 2 < rounds) {
      [d1h, d1l] = FL(d1h >>> 0, d1l >>> 0, s.ke[layer * 2 + 1]!);
      [d2h, d2l] = FLINV(d2h >>> 0, d2l >>> 0, s.ke[layer * 2]!);
      layer--;
    }
  }
  out.writeUInt32BE((d2h ^ s.kw[0]![0]) >>> 0, offset);
  out.writeUInt32BE((d2l ^ s.kw[0]![1]) >>> 0, offset + 4);
  out.writeUInt32BE((d1h ^ s.kw[1]![0]) >>> 0, offset + 8);
  out.writeUInt32BE((d1l ^ s.kw[1]![1]) >>> 0, offset + 12);
}

/** Camellia-CBC with PKCS#7 padding; returns null when the padding is wrong (a wrong key). */
export function camelliaCbcDecrypt(key: Buffer, iv: Buffer, data: Buffer): Buffer | null {
  if (![16, 24, 32].includes(key.length) || iv.length !== 16 || data.length === 0 || data.length % 16 !== 0) return null;
  const s = schedule(key);
  const out = Buffer.alloc(data.length);
  const plain = Buffer.alloc(16);
  for (let offset = 0; offset < data.length; offset += 16) {
    decryptBlock(s, data.subarray(offset, offset + 16), plain, 0);
    const previous = offset === 0 ? iv : data.subarray(offset - 16, offset);
    for (let i = 0; i < 16; i++) out[offset + i] = plain[i]! ^ previous[i]!;
  }
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > 16 || out.subarray(out.length - pad).some((b) => b !== pad)) return null;
  return out.subarray(0, out.length - pad);
}

/** Exposed for the RFC 3713 test vectors (single block, no padding). */
export function camelliaDecryptBlock(key: Buffer, block: Buffer): Buffer {
  const out = Buffer.alloc(16);
  decryptBlock(schedule(key), block, out, 0);
  return out;
}
