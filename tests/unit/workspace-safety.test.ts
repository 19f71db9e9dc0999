/**
 * Never lose or leak a certificate (docs/SECURITY.md): a read never deletes, the vault never holds
 * a private key in clear, folders and files are private, installing works without a keychain.
 * Real lowdb folders, the real OS keychain, and — for "no keychain" — the same keychain client with
 * no Secret Service to reach.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OsKeychain, type SecretStore } from '#desktop/keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { decodeSecret, readVaultFile } from '@certdesk/core/workspace/vault';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { vaultAccount } from '@certdesk/core/workspace/workspace-store';
import { PASSWORD, pfx } from '../fixtures';

const run = promisify(execFile);
const P = 'producao' as const;
let dir: string;
let keychain: OsKeychain;

const make = (store: SecretStore = keychain) =>
  new WorkspaceService({
    dataDir: dir,
    keychain: store,
    inspect: (path, password) => inspectFile(path, { password, now: new Date('2026-06-01T12:00:00Z') }),
    now: () => new Date('2026-06-01T12:00:00Z'),
    user: () => 't',
  });
const ws = (...parts: string[]) => join(dir, 'workspaces', 'producao', ...parts);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-safety-'));
  keychain = new OsKeychain(`CertDesk-test-${randomUUID()}`);
});
afterEach(async () => {
  for (const name of await readdir(ws('vault')).catch(() => [] as string[])) {
    await keychain.delete(vaultAccount(P, name.replace(/\.\w+$/, ''))).catch(() => false);
  }
  await rm(dir, { recursive: true, force: true });
});

async function installed(): Promise<{ service: WorkspaceService; sha256: string }> {
  const service = make();
  await service.setup(P, { kind: 'example' });
  const { certificate } = await service.install(P, { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] });
  return { service, sha256: certificate.certificate.fingerprints.sha256 };
}

describe('a read never deletes', () => {
  const damages: [string, () => Promise<void>][] = [
    ['missing', () => rm(ws('certificates.json'))],
    ['null', () => writeFile(ws('certificates.json'), 'null')],
    ['{}', () => writeFile(ws('certificates.json'), '{}')],
    ['certificates: null', () => writeFile(ws('certificates.json'), '{"version":1,"certificates":null}')],
    ['not JSON', () => writeFile(ws('certificates.json'), '{"version":1,"certif')],
  ];

  it.each(damages)('certificates.json %s: WORKSPACE_CORRUPT, vault and keychain untouched, one backup', async (_name, damage) => {
    const { sha256 } = await installed();
    await damage();
    const before = await readdir(ws('vault'));
    for (let i = 0; i < 3; i++) await expect(make().status(P)).rejects.toMatchObject({ code: 'WORKSPACE_CORRUPT' });
    // The next install must not overwrite the damaged document either.
    await expect(make().install(P, { path: pfx('v42_other_company.pfx'), password: PASSWORD, selection: [] })).rejects.toMatchObject({
      code: 'WORKSPACE_CORRUPT',
    });
    expect(await readdir(ws('vault'))).toEqual(before);
    expect(await keychain.get(vaultAccount(P, sha256))).not.toBeNull();
    const backups = (await readdir(ws())).filter((name) => name.includes('corrompido'));
    expect(backups.length).toBeLessThanOrEqual(1); // a missing document has nothing to copy
  });
});

describe('no private key in clear on disk', () => {
  it('an unencrypted key bag (v06) is stored encrypted: its RSA primes are nowhere in the data folder', async () => {
    const service = make();
    await service.setup(P, { kind: 'example' });
    await service.install(P, { path: pfx('v06_no_encryption.pfx'), password: PASSWORD, selection: [] });
    const p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(forge.util.createBuffer((await readFile(pfx('v06_no_encryption.pfx'))).toString('binary'))),
      PASSWORD,
    );
    const bag = p12.getBags({ bagType: forge.pki.oids['keyBag']! })[forge.pki.oids['keyBag']!]![0]!;
    const key = bag.key as forge.pki.rsa.PrivateKey;
    const primes = [key.p, key.q].map((n) => Buffer.from(n.toByteArray()).subarray(-64));
    for (const file of await allFiles(dir)) {
      const bytes = await readFile(file);
      for (const prime of primes) expect(bytes.includes(prime), `prime found in ${file}`).toBe(false);
    }
  });

  it('folders are 0700 and files 0600', async () => {
    await installed();
    for (const folder of [dir, ws(), ws('vault'), ws('history')]) expect((await stat(folder)).mode & 0o777, folder).toBe(0o700);
    for (const file of await allFiles(ws())) expect((await stat(file)).mode & 0o777, file).toBe(0o600);
  });

  it('a refused install leaves nothing behind', async () => {
    const service = make();
    await service.setup(P, { kind: 'example' });
    for (const file of ['v24_expired.pfx', 'v28_certs_only.pfx', 'v44_key_mismatch.pfx']) {
      await expect(service.install(P, { path: pfx(file), password: PASSWORD, selection: [] })).rejects.toBeTruthy();
    }
    expect(await readdir(ws('vault'))).toEqual([]);
  });

  it('a vault copy kept in clear by an earlier version is encrypted at open', async () => {
    const { sha256 } = await installed();
    // As the earlier version left it: the file as received and the bare password in the keychain.
    await rm(ws('vault', `${sha256}.cdv`));
    await writeFile(ws('vault', `${sha256}.pfx`), await readFile(pfx('v01_default.pfx')));
    await keychain.set(vaultAccount(P, sha256), PASSWORD);
    await make().status(P);
    expect(await readdir(ws('vault'))).toEqual([`${sha256}.cdv`]);
    const secret = decodeSecret((await keychain.get(vaultAccount(P, sha256)))!);
    expect(secret.password).toBe(PASSWORD);
    expect(await readVaultFile(ws('vault', `${sha256}.cdv`), { key: Buffer.from(secret.key!, 'base64') })).toEqual(
      await readFile(pfx('v01_default.pfx')),
    );
  });

  it('leftover temporary files from a crash are removed at open', async () => {
    await installed();
    await writeFile(ws('.certificates.json.abc123.tmp'), '{"partial');
    await writeFile(ws('vault', '.x.cdv.abc123.tmp'), 'partial');
    await make().status(P);
    expect((await readdir(ws())).some((n) => n.endsWith('.tmp'))).toBe(false);
    expect((await readdir(ws('vault'))).some((n) => n.endsWith('.tmp'))).toBe(false);
  });
});

describe('without an OS keychain', () => {
  const helper = join(import.meta.dirname, 'helpers/install-without-keychain.ts');
  async function installWithoutKeychain(
    file: string,
    password: string,
  ): Promise<{ probe: string; secretNotice: string | null; holders: string[] }> {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/certdesk-no-secret-service' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', helper, dir, pfx(file), password], { env, timeout: 60_000 });
    return JSON.parse(stdout) as { probe: string; secretNotice: string | null; holders: string[] };
  }

  it('installs, says the password was not kept, and keeps the copy encrypted with the password', async () => {
    const done = await installWithoutKeychain('v06_no_encryption.pfx', PASSWORD);
    expect(done.probe).toBe('KEYCHAIN_UNAVAILABLE'); // really no keychain
    expect(done.secretNotice).toBe('password-not-kept');
    expect(done.holders).toEqual(['EMPRESA EXEMPLO LTDA']);
    const [vaultFile] = await readdir(ws('vault'));
    const copy = await readVaultFile(ws('vault', vaultFile!), { password: PASSWORD });
    expect(copy).toEqual(await readFile(pfx('v06_no_encryption.pfx')));
    await expect(readVaultFile(ws('vault', vaultFile!), { password: 'errada' })).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    for (const file of await allFiles(dir)) expect((await readFile(file)).includes(Buffer.from(PASSWORD)), file).toBe(false);
  });

  it('with no password either, installs without keeping a copy and says so', async () => {
    const done = await installWithoutKeychain('v12_empty_pass.pfx', '');
    expect(done.secretNotice).toBe('copy-not-kept');
    expect(done.holders).toHaveLength(1);
    expect(await readdir(ws('vault'))).toEqual([]);
  });
});

async function allFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? allFiles(join(folder, e.name)) : [join(folder, e.name)])));
  return nested.flat();
}
