/**
 * Secrets at rest in CertDesk Cloud: AES-256-GCM seals bound to their tenant and purpose, KEKs in
 * their accepted forms, the embedded KEK file (0600, created once), and a KEK rotation that keeps
 * every stored secret readable (PGlite; the SQL is the same on PostgreSQL).
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeks, newWrappedDek, open, parseKek, seal, unwrapDek } from '../../cloud-service/crypto';
import { startCloudService } from '../../cloud-service/service';
import { PASSWORD, pfx } from '../fixtures';
import { seededRandom } from './helpers/seeded-random';
import { START_TIMEOUT } from './helpers/cloud-service';
import { seedPglite } from './helpers/pglite-template';

const random = seededRandom(1501);
const kekA = parseKek(random.bytes(32).toString('base64'));
const kekB = parseKek(random.bytes(32).toString('hex'));

describe('CertDesk Cloud secrets at rest', () => {
  it('seals with AES-256-GCM: tampering, another context or another key is refused', () => {
    const key = random.bytes(32);
    const sealed = seal(key, Buffer.from(PASSWORD), 'T1:c1:password');
    expect(sealed.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(open(key, sealed, 'T1:c1:password').toString()).toBe(PASSWORD);
    expect(() => open(key, sealed, 'T2:c1:password'), 'moved to another tenant').toThrow();
    expect(() => open(key, sealed, 'T1:c1:pfx'), 'used for another purpose').toThrow();
    expect(() => open(random.bytes(32), sealed, 'T1:c1:password')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => open(key, flipped, 'T1:c1:password')).toThrow();
    expect(() => open(key, sealed.subarray(0, 20), 'T1:c1:password')).toThrow(/formato/);
  });

  it('takes a KEK as base64 or hex of 32 bytes only, and names which KEK wrapped a data key', () => {
    expect(parseKek(kekA.key.toString('hex')).id).toBe(kekA.id);
    for (const bad of ['', 'abc', Buffer.alloc(16).toString('base64'), 'z'.repeat(64)]) expect(() => parseKek(bad)).toThrow(/32 bytes/);
    const { wrapped, kekId } = newWrappedDek(kekA, 'tenant-1');
    expect(kekId).toBe(kekA.id);
    expect(unwrapDek([kekA], kekId, wrapped, 'tenant-1')).toHaveLength(32);
    expect(() => unwrapDek([kekB], kekId, wrapped, 'tenant-1')).toThrow(/CERTDESK_CLOUD_KEK_PREVIOUS/);
    expect(() => unwrapDek([kekA], kekId, wrapped, 'tenant-2')).toThrow();
  });

  it('creates the embedded KEK once, in a 0600 file, and says so; requires one with DATABASE_URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certdesk-kek-'));
    try {
      const said: string[] = [];
      const [first] = await loadKeks({ env: {}, dataDir: dir, log: (line) => said.push(line) });
      expect(said.join()).toContain('Chave mestra (KEK) criada');
      expect((await stat(join(dir, 'kek'))).mode & 0o777).toBe(0o600);
      const [again] = await loadKeks({ env: {}, dataDir: dir, log: (line) => said.push(line) });
      expect(again!.id).toBe(first!.id);
      expect(said).toHaveLength(1);
      await expect(loadKeks({ env: {} })).rejects.toThrow(/CERTDESK_CLOUD_KEK/);
      expect((await loadKeks({ env: { CERTDESK_CLOUD_KEK: kekA.key.toString('base64') }, dataDir: dir }))[0]!.id).toBe(kekA.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it(
    'rotates the KEK: data keys rewrapped, every stored secret still opens, the old KEK no longer needed',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'certdesk-rotate-'));
      try {
        await seedPglite(dir);
        const before = await startCloudService({ dataDir: dir, keks: [kekA] });
        const tenant = await before.tenants.add('ROT', 'Rotação');
        const userId = await before.tenants.addUser({
          login: 'ROT.admin',
          sso: false,
          name: 'A',
          role: 'administrator',
          password: 'Admin#2026',
        });
        const caller = { tenantId: tenant.id, tenantCode: 'ROT', userId, name: 'A', login: 'ROT.admin', role: 'administrator' as const };
        await before.workspace.setup(caller, 'producao', { kind: 'example' });
        const { certificate } = await before.workspace.install(caller, 'producao', {
          fileName: 'v01.pfx',
          pfx: await readFile(pfx('v01_default.pfx')),
          password: PASSWORD,
          selection: [],
        });
        await before.close();

        const rotating = await startCloudService({ dataDir: dir, keks: [kekB, kekA] });
        expect(await rotating.tenants.rewrapAll()).toBe(1);
        expect(await rotating.tenants.rewrapAll(), 'nothing left to rewrap').toBe(0);
        await rotating.close();

        const after = await startCloudService({ dataDir: dir, keks: [kekB] });
        try {
          const secrets = await after.workspace.secrets(caller, certificate.id);
          expect(secrets.password).toBe(PASSWORD);
          expect(secrets.pfx.equals(await readFile(pfx('v01_default.pfx')))).toBe(true);
        } finally {
          await after.close();
        }
        // The old KEK alone no longer opens anything: an instance configured with it refuses to start, naming the KEK it needs.
        await expect(startCloudService({ dataDir: dir, keks: [kekA] })).rejects.toThrow(`KEK de id ${kekB.id}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    2 * START_TIMEOUT,
  );
});
