/**
 * Against the real OS keychain (gnome-keyring in dbus-run-session on CI, see scripts/test.sh).
 * A unique service name keeps runs apart and away from a developer's real CertDesk entries.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { OsKeychain } from '#desktop/keychain';

const service = `CertDesk-test-${randomUUID()}`;
const keychain = new OsKeychain(service);
const account = 'pfx:0f1e2d3c';

describe('OS keychain (real)', () => {
  afterAll(async () => {
    await keychain.delete(account).catch(() => false);
  });

  it('stores, reads back, replaces and deletes a secret, accents included', async () => {
    expect(await keychain.get(account)).toBeNull();
    await keychain.set(account, 'Senh@çãoé');
    expect(await keychain.get(account)).toBe('Senh@çãoé');
    await keychain.set(account, 'outra');
    expect(await keychain.get(account)).toBe('outra');
    expect(await keychain.delete(account)).toBe(true);
    expect(await keychain.get(account)).toBeNull();
    expect(await keychain.delete(account)).toBe(false);
  });

  it('keeps services apart', async () => {
    const other = new OsKeychain(`${service}-other`);
    await keychain.set(account, 'a');
    expect(await other.get(account)).toBeNull();
    await keychain.delete(account);
  });

  it('refuses an empty account name with a clear error', async () => {
    await expect(keychain.set('', 'x')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('OS keychain missing', () => {
  it('refuses to store with KEYCHAIN_UNAVAILABLE instead of falling back to a file or the kernel keyring', async () => {
    const { execFile } = await import('node:child_process');
    const script = `
      import { OsKeychain } from './desktop/keychain.ts';
      try { await new OsKeychain('CertDesk-test-nokeyring').set('a', 'b'); console.log('STORED'); }
      catch (e) { console.log(e.code); }`;
    const out = await new Promise<string>((done) => {
      execFile(
        'npx',
        ['tsx', '--input-type=module', '-e', script],
        { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } },
        (_error, stdout) => done(stdout.trim()),
      );
    });
    expect(out).toBe('KEYCHAIN_UNAVAILABLE');
  });
});
