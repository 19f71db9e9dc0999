/**
 * Hashing a digest again and again (the inner loop of the PKCS#12 key generator, PBKDF1). With
 * node:crypto each round is one Hash object and a JS↔C++ crossing (~1 µs), which dominated legacy
 * files with 100,000 rounds (Java's v32). SHA-1 and SHA-256 — every legacy KDF and almost every MAC
 * met in practice — run in a generated WebAssembly loop instead (sha-rounds-wasm.ts: about 3× a
 * hand-written JS loop, near OpenSSL's own speed); the unit tests check it against node:crypto.
 * Other hashes, and a runtime without WebAssembly (e.g. `--jitless`), use node:crypto.
 */
import { createHash } from 'node:crypto';
import { createShaRounds, type ShaRounds } from './sha-rounds-wasm';

/** Built on first use, once per thread: a scan's workers that never meet a legacy file never pay for it. */
let wasm: ShaRounds | null | undefined;

function shaRounds(): ShaRounds | null {
  if (wasm === undefined) {
    try {
      wasm = createShaRounds();
    } catch {
      wasm = null; // no WebAssembly here: the node:crypto loop below is slower but equal
    }
  }
  return wasm;
}

/** hash^rounds(digest), where `digest` is already an output of `hash`. */
export function iterateHash(hash: string, digest: Buffer, rounds: number): Buffer {
  if (rounds <= 0) return digest;
  if ((hash === 'sha1' && digest.length === 20) || (hash === 'sha256' && digest.length === 32)) {
    const fast = shaRounds();
    if (fast) return fast.iterate(hash, digest, rounds);
  }
  return nodeRounds(hash, digest, rounds);
}

/** The reference loop: one node:crypto hash per round. */
export function nodeRounds(hash: string, digest: Buffer, rounds: number): Buffer {
  let out = digest;
  for (let i = 0; i < rounds; i++) out = createHash(hash).update(out).digest();
  return out;
}
