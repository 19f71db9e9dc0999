/**
 * Opening files through the worker pool, with "remember password" on the real OS keychain and a
 * real lowdb index in a temp folder.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsKeychain } from '#desktop/keychain';
import { PfxService } from '#desktop/pfx/pfx-service';
import { RememberedPasswords } from '#desktop/pfx/remembered-passwords';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { findPfxFiles } from '@certdesk/core/pfx/find-files';
import { PASSWORD, pfx, PFX_DIR } from '../fixtures';

let dir: string;
let pool: PfxWorkerPool;
let service: PfxService;
const keychain = new OsKeychain(`CertDesk-test-${randomUUID()}`);
const now = () => new Date('2026-06-01T00:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-pfx-'));
  pool = new PfxWorkerPool(2);
  service = new PfxService(pool, await RememberedPasswords.open(dir, keychain), now);
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe('PfxService', () => {
  it('opens in a worker and reports how the password was found', async () => {
    const typed = await service.open({ path: pfx('v01_default.pfx'), password: PASSWORD });
    expect(typed).toMatchObject({
      passwordSource: 'typed',
      passwordRemembered: false,
      certificate: { holderName: 'EMPRESA EXEMPLO LTDA' },
    });
    expect((await service.open({ path: pfx('v12_empty_pass.pfx'), password: null })).passwordSource).toBe('none');
    await expect(service.open({ path: pfx('v01_default.pfx'), password: null })).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    await expect(service.open({ path: pfx('v01_default.pfx'), password: 'errada' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('remembers a password in the keychain, opens without asking next time, forgets on request', async () => {
    const copy = join(dir, 'empresa.pfx');
    await copyFile(pfx('v01_default.pfx'), copy);
    const first = await service.open({ path: copy, password: PASSWORD, remember: true });
    expect(first).toMatchObject({ passwordRemembered: true, rememberError: null });
    const sha256 = first.certificate!.fingerprints.sha256;

    // The keychain holds it under the certificate's fingerprint; the lowdb index holds only hashes.
    expect(await keychain.get(`pfx:${sha256}`)).toBe(PASSWORD);
    const index = await readFile(join(dir, 'remembered-passwords.json'), 'utf8');
    expect(index).toContain(sha256);
    expect(index).not.toContain(PASSWORD);

    const again = await service.open({ path: copy, password: null });
    expect(again).toMatchObject({ passwordSource: 'remembered', certificate: { holderName: 'EMPRESA EXEMPLO LTDA' } });

    await service.forget(sha256);
    expect(await keychain.get(`pfx:${sha256}`)).toBeNull();
    await expect(service.open({ path: copy, password: null })).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it('opens a key-only file (v46) but keeps no password for it: there is no certificate to keep it under', async () => {
    const opened = await service.open({ path: pfx('v46_key_only.p12'), password: PASSWORD, remember: true });
    expect(opened).toMatchObject({
      certificate: null,
      passwordSource: 'typed',
      passwordRemembered: false,
      rememberError: 'NO_CERTIFICATE',
    });
    expect(opened.key).toMatchObject({ algorithm: 'RSA', size: 2048 });
    await expect(service.open({ path: pfx('v46_key_only.p12'), password: null })).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it('opens many files in parallel across the workers', async () => {
    const { files } = await findPfxFiles(PFX_DIR);
    const results = await Promise.allSettled(files.map((file) => pool.inspect(file, PASSWORD, now())));
    const failed = files.filter((_, i) => results[i]!.status === 'rejected').map((file) => file.split(/[\\/]/).pop());
    // Every fixture opens with the shared password but those with a non-ASCII one (the key-only v46 reads too).
    expect(failed.sort()).toEqual([
      'v13_nonascii_pass.pfx',
      'v14_nonascii_legacy.pfx',
      'v53_latin1_pbes2.pfx',
      'v54_openssl10_nonascii.pfx',
    ]);
  });

  it('keeps the calling thread free while a worker runs 100,000 iterations (v10)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await pool.inspect(pfx('v10_iter100000.pfx'), PASSWORD, now());
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('findPfxFiles', () => {
  it('finds .pfx and .p12 in sub-folders, case-insensitive, and caps the count', async () => {
    const root = join(PFX_DIR, '..');
    const all = await findPfxFiles(root);
    expect(all.files.some((f) => f.endsWith('v31_java_default.p12'))).toBe(true);
    expect(all.files.every((f) => /\.(pfx|p12)$/i.test(f))).toBe(true);
    expect(all.truncated).toBe(false);
    expect(await findPfxFiles(root, 5)).toMatchObject({ truncated: true, files: { length: 5 } });
    await expect(findPfxFiles(pfx('v01_default.pfx'))).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});
