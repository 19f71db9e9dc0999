/**
 * key-details.ts imports two-prime RSA keys through JWK built from their RSAPrivateKey numbers (the
 * fast path) and everything else from PKCS#8 DER. The fast path must give exactly the key OpenSSL's
 * DER decoder gives, and anything it does not take must still go the DER way (damaged → error).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDer, toDer, Type } from '@certdesk/core/pfx/asn1';
import { DamagedKeyError, importPrivateKey } from '@certdesk/core/pfx/key-details';
import { passwordForms } from '@certdesk/core/pfx/password-forms';
import { parsePfx, readContents } from '@certdesk/core/pfx/pkcs12';
import { WorkBudget } from '@certdesk/core/pfx/budget';
import { PASSWORD, PFX_DIR, pfx } from '../fixtures';

/** The PKCS#8 keys of a fixture opened with the shared password (files needing another one are skipped). */
function keysOf(name: string): Buffer[] {
  try {
    return readContents(parsePfx(readFileSync(pfx(name)), new WorkBudget()), passwordForms(PASSWORD)[0]!, new WorkBudget()).keys.map(
      (k) => k.pkcs8,
    );
  } catch {
    return [];
  }
}

const derKey = (pkcs8: Buffer) => createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });

describe('importPrivateKey', () => {
  const all = readdirSync(PFX_DIR)
    .filter((f) => /\.(pfx|p12)$/i.test(f))
    .flatMap((f) => keysOf(f).map((pkcs8) => ({ file: f, pkcs8 })));

  it('gives, for every key in the fixtures, the same key and description as the DER import', () => {
    let rsa = 0;
    for (const { file, pkcs8 } of all) {
      const imported = importPrivateKey(pkcs8);
      if (!imported.key) continue; // unsupported algorithms (ML-DSA, GOST): not imported either way
      const reference = derKey(pkcs8);
      expect(imported.key.asymmetricKeyType, file).toBe(reference.asymmetricKeyType);
      expect(imported.key.asymmetricKeyDetails, file).toEqual(reference.asymmetricKeyDetails);
      const exported = (k: typeof reference) => {
        try {
          return k.export({ format: 'jwk' });
        } catch {
          return k.export({ type: 'pkcs8', format: 'der' }).toString('base64');
        }
      };
      expect(exported(imported.key), file).toEqual(exported(reference));
      if (imported.key.asymmetricKeyType === 'rsa') rsa++;
    }
    expect(rsa).toBeGreaterThan(40); // nearly every fixture holds an RSA key: the fast path was exercised
  });

  it('an RSA key the fast path does not take goes the DER way: a missing number is damaged, a negative one reads as OpenSSL reads it', () => {
    const pkcs8 = keysOf('v01_default.pfx')[0]!;
    const variant = (change: (numbers: ReturnType<typeof parseDer>[]) => void) => {
      const info = parseDer(pkcs8);
      const octets = (info.value as (typeof info)[])[2]!;
      const rsa = parseDer(Buffer.from(octets.value as string, 'binary'));
      const numbers = rsa.value as (typeof rsa)[];
      expect(numbers.map((n) => n.type)).toEqual(Array(9).fill(Type.INTEGER));
      change(numbers);
      octets.value = toDer(rsa).toString('binary');
      return toDer(info);
    };
    expect(() => importPrivateKey(variant((numbers) => numbers.pop()))).toThrow(DamagedKeyError);
    const negative = variant((numbers) => (numbers[1]!.value = '\xff' + (numbers[1]!.value as string).slice(1)));
    expect(importPrivateKey(negative).key?.export({ format: 'jwk' })).toEqual(derKey(negative).export({ format: 'jwk' }));
  });
});
