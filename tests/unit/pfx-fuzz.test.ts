/**
 * Seeded fuzzing of the PKCS#12 reader: truncations, bit flips and random buffers. Every input
 * must end in a result or a CertdeskError with a known code — never another exception, never a
 * hang (the whole run is bounded by the test timeout).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@certdesk/shared/contract';
import { CertdeskError } from '@certdesk/core/errors';
import { inspectBytes } from '@certdesk/core/pfx/inspect';
import { PASSWORD, pfx } from '../fixtures';

import { mulberry32 as rng } from './helpers/seeded-random';

const SEEDS = [
  'v01_default.pfx',
  'v02_legacy.pfx',
  'v29_ber_indef_aes.pfx',
  'v28_certs_only.pfx',
  'v06_no_encryption.pfx',
  'v26_ec_p256.pfx',
];

function attempt(bytes: Buffer, password: string | null = PASSWORD): string {
  try {
    inspectBytes(bytes, 'fuzz.pfx', { password, now: new Date('2026-01-01T00:00:00Z') });
    return 'ok';
  } catch (error) {
    if (!(error instanceof CertdeskError)) throw new Error(`exceção não tratada: ${(error as Error)?.stack ?? error}`);
    expect(ERROR_CODES).toContain(error.code);
    expect(error.message.length).toBeGreaterThan(10);
    return error.code;
  }
}

describe('PKCS#12 reader under fuzzing (seeded)', () => {
  const random = rng(20261123);
  const originals = SEEDS.map((name) => readFileSync(pfx(name)));
  const codes = new Map<string, number>();
  const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);

  it('survives 1,500 truncations', () => {
    for (let i = 0; i < 1500; i++) {
      const source = originals[i % originals.length]!;
      count(attempt(source.subarray(0, Math.floor(random() * source.length))));
    }
  });

  it('survives 1,500 bit flips (1 to 8 bits)', () => {
    for (let i = 0; i < 1500; i++) {
      const copy = Buffer.from(originals[i % originals.length]!);
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++) copy[Math.floor(random() * copy.length)]! ^= 1 << Math.floor(random() * 8);
      count(attempt(copy, i % 2 ? PASSWORD : null));
    }
  });

  it('survives 1,000 random buffers, half of them shaped like DER', () => {
    for (let i = 0; i < 1000; i++) {
      const length = 1 + Math.floor(random() * 4096);
      const bytes = Buffer.alloc(length);
      for (let b = 0; b < length; b++) bytes[b] = Math.floor(random() * 256);
      if (i % 2 === 0) {
        bytes[0] = 0x30;
        if (length > 4) {
          bytes.writeUInt8(0x82, 1);
          bytes.writeUInt16BE(length - 4, 2);
        }
      }
      count(attempt(bytes));
    }
    // The fuzzer really reached different parts of the reader.
    expect(codes.size).toBeGreaterThanOrEqual(3);
  });
});
