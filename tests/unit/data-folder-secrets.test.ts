/**
 * After a full flow — a remembered password, installs in both environments (one PFX with an
 * unencrypted key), InvoiCy keys, a cloud sign-in — a byte search of the data folder finds no
 * password, key, token or PEM in clear, with the real OS keychain and with none at all.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { HandlerTable } from '@certdesk/shared/contract';
import { createCore } from '#desktop/composition-root';
import { OsKeychain, type SecretStore } from '#desktop/keychain';
import { NoKeychain } from '../support/tracked-keychain';
import type { CloudService } from '../../cloud-service/service';
import { START_TIMEOUT, startDemoCloud } from './helpers/cloud-service';
import { PASSWORD, pfx } from '../fixtures';

const EMPPK = 'EMPPK-segredo-7f3a91';
const CK = 'ck-segredo-b81c22';
const CLOUD_PASSWORD = 'Admin#2026';
let dir: string;
let server: CloudService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-secrets-'));
  server = await startDemoCloud({ dataDir: join(dir, 'cloud-server') });
}, START_TIMEOUT);
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function fullFlow(keychain: SecretStore): Promise<{ token: string | null }> {
  const core = await createCore({ dataDir: join(dir, 'app'), shell: 'browser', version: 't', keychain });
  const h = core.handlers as { [K in keyof HandlerTable]: (request: unknown) => Promise<unknown> };
  const settle = (call: Promise<unknown>) => call.catch((error: { code?: string }) => error.code); // no keychain: some refuse
  try {
    await settle(h['pfx:inspect']({ path: pfx('v01_default.pfx'), password: PASSWORD, remember: true }));
    for (const environment of ['producao', 'homologacao'] as const) {
      await h['workspace:setup']({ environment, kind: 'example' });
      await h['certificates:install']({ environment, path: pfx('v06_no_encryption.pfx'), password: PASSWORD, selection: [] });
    }
    await h['certificates:install']({ environment: 'producao', path: pfx('v42_other_company.pfx'), password: PASSWORD, selection: [] });
    await settle(h['invoicy:saveSettings']({ environment: 'producao', empPK: EMPPK, ck: CK }));
    await h['backend:set']({ environment: 'homologacao', kind: 'cloud', url: server.url });
    await settle(h['cloud:signIn']({ environment: 'homologacao', method: 'cloud', login: 'EXEMPLO.admin', password: CLOUD_PASSWORD }));
    return { token: await keychain.get('cloud:homologacao:token').catch(() => null) };
  } finally {
    await core.close();
  }
}

async function expectNothingInClear(token: string | null): Promise<void> {
  const p12 = forge.pkcs12.pkcs12FromAsn1(
    forge.asn1.fromDer(forge.util.createBuffer((await readFile(pfx('v06_no_encryption.pfx'))).toString('binary'))),
    PASSWORD,
  );
  const bag = p12.getBags({ bagType: forge.pki.oids['keyBag']! })[forge.pki.oids['keyBag']!]![0]!;
  const key = bag.key as forge.pki.rsa.PrivateKey;
  const needles: [string, Buffer][] = [
    ['PFX password', Buffer.from(PASSWORD)],
    ['EmpPK', Buffer.from(EMPPK)],
    ['CK', Buffer.from(CK)],
    ['cloud password', Buffer.from(CLOUD_PASSWORD)],
    ['PEM', Buffer.from('-----BEGIN')],
    ['RSA prime p', Buffer.from(key.p.toByteArray()).subarray(-64)],
    ['RSA prime q', Buffer.from(key.q.toByteArray()).subarray(-64)],
    ...(token ? ([['cloud token', Buffer.from(token)]] as [string, Buffer][]) : []),
  ];
  const files = await allFiles(join(dir, 'app'));
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const bytes = await readFile(file);
    for (const [name, needle] of needles) expect(bytes.includes(needle), `${name} in ${file}`).toBe(false);
  }
}

it('with the OS keychain', async () => {
  const keychain = new OsKeychain(`CertDesk-test-${randomUUID()}`);
  const { token } = await fullFlow(keychain);
  expect(token, 'the cloud sign-in happened').toBeTruthy();
  await expectNothingInClear(token);
  for (const account of ['cloud:homologacao:token', 'invoicy:producao:emppk', 'invoicy:producao:ck'])
    await keychain.delete(account).catch(() => false);
});

it('without any keychain', async () => {
  await fullFlow(new NoKeychain());
  await expectNothingInClear(null);
});

async function allFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return (await Promise.all(entries.map((e) => (e.isDirectory() ? allFiles(join(folder, e.name)) : [join(folder, e.name)])))).flat();
}
