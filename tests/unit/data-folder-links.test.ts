/**
 * Nothing CertDesk creates inside its data folder is reached through a link someone planted there
 * (packages/core/no-follow.ts), and a vault file's header cannot ask for more PBKDF2 work than
 * CertDesk itself writes (vault.ts). Real folders and links, the real keychain.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OsKeychain } from '#desktop/keychain';
import { logLine, logToFolder } from '@certdesk/core/log';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { readVaultFile, writeVaultFile } from '@certdesk/core/workspace/vault';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { Staging } from '#desktop/browser-mode/staging';
import { PASSWORD, pfx } from '../fixtures';

const P = 'producao' as const;
let dir: string;
let elsewhere: string;

const service = () =>
  new WorkspaceService({
    dataDir: join(dir, 'data'),
    keychain: new OsKeychain(`CertDesk-test-${randomUUID()}`),
    inspect: (path, password) => inspectFile(path, { password, now: new Date('2026-06-01T12:00:00Z') }),
    now: () => new Date('2026-06-01T12:00:00Z'),
    user: () => 't',
  });
const data = (...parts: string[]) => join(dir, 'data', ...parts);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-links-'));
  // Someone else's folder, readable by all: what a planted link would point to.
  elsewhere = join(dir, 'elsewhere');
  await mkdir(elsewhere);
  await chmod(elsewhere, 0o755);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('a link planted in the data folder is refused, never followed', () => {
  for (const planted of [['workspaces'], ['workspaces', P], ['workspaces', P, 'vault'], ['workspaces', P, 'history']]) {
    it(`at ${planted.join('/')}: DATA_FOLDER_UNSAFE naming it; the target is neither chmod'ed nor written`, async () => {
      await mkdir(data(...planted.slice(0, -1)), { recursive: true });
      await symlink(elsewhere, data(...planted));
      await expect(service().setup(P, { kind: 'example' })).rejects.toMatchObject({
        code: 'DATA_FOLDER_UNSAFE',
        message: expect.stringContaining(`${data(...planted)} é um link simbólico`),
      });
      expect(await modeOf(elsewhere)).toBe(0o755);
      expect(await readdir(elsewhere)).toEqual([]);
    });
  }

  it('a workspace folder of ours keeps working, and is made private', async () => {
    await mkdir(data('workspaces', P, 'vault'), { recursive: true, mode: 0o755 });
    await chmod(data('workspaces', P, 'vault'), 0o755);
    const workspace = service();
    await workspace.setup(P, { kind: 'example' });
    expect((await workspace.status(P)).setup).toBe('example');
    expect(await modeOf(data('workspaces', P, 'vault'))).toBe(0o700);
  });

  it('a document replaced by a link is refused, not read through', async () => {
    await service().setup(P, { kind: 'example' });
    await writeFile(join(elsewhere, 'workspace.json'), '{"version":1,"setup":"guided","branches":[],"modules":[]}');
    await rm(data('workspaces', P, 'workspace.json'));
    await symlink(join(elsewhere, 'workspace.json'), data('workspaces', P, 'workspace.json'));
    await expect(service().status(P)).rejects.toMatchObject({ code: 'DATA_FOLDER_UNSAFE' });
  });

  it('a vault file replaced by a link is refused', async () => {
    const key = Buffer.alloc(32, 7);
    await writeVaultFile(join(elsewhere, 'copy.cdv'), Buffer.from('pfx'), 'keychain', { key });
    await mkdir(data('vault'), { recursive: true });
    await symlink(join(elsewhere, 'copy.cdv'), data('vault', 'planted.cdv'));
    await expect(readVaultFile(data('vault', 'planted.cdv'), { key })).rejects.toMatchObject({ code: 'DATA_FOLDER_UNSAFE' });
  });

  it('a link at logs/ gets no log lines: the log stays on stderr', async () => {
    await mkdir(data(), { recursive: true });
    await symlink(elsewhere, data('logs'));
    logToFolder(data());
    logLine('[test] uma linha que não deve ir para o link');
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('a link at logs/certdesk.log is not written through', async () => {
    await mkdir(data('logs'), { recursive: true });
    await writeFile(join(elsewhere, 'alvo.txt'), 'intacto');
    await symlink(join(elsewhere, 'alvo.txt'), data('logs', 'certdesk.log'));
    logToFolder(data());
    logLine('[test] uma linha que não deve ir para o link');
    expect(await readFile(join(elsewhere, 'alvo.txt'), 'utf8')).toBe('intacto');
  });

  it('a link at .staging (browser mode) is removed, not followed', async () => {
    await mkdir(data(), { recursive: true });
    await writeFile(join(elsewhere, 'alvo.txt'), 'intacto');
    await symlink(elsewhere, data('.staging'));
    const staging = new Staging(data('.staging'));
    await staging.open();
    await staging.put('x.pfx', Buffer.from('bytes'));
    await staging.close();
    expect(await readdir(elsewhere)).toEqual(['alvo.txt']);
    expect(await modeOf(elsewhere)).toBe(0o755);
  });
});

describe("a vault file's header is bounded to what CertDesk writes", () => {
  async function passwordCopy(): Promise<{ path: string; bytes: Buffer }> {
    const path = join(dir, 'copy.cdv');
    await writeVaultFile(path, await readFile(pfx('v01_default.pfx')), 'password', { password: PASSWORD });
    return { path, bytes: await readFile(path) };
  }

  it('the copy CertDesk wrote opens with its password', async () => {
    const { path } = await passwordCopy();
    expect((await readVaultFile(path, { password: PASSWORD })).equals(await readFile(pfx('v01_default.pfx')))).toBe(true);
  });

  it('an iteration count of 2^31 − 1 (hours of PBKDF2) is refused before any derivation (CORRUPT, naming the count)', async () => {
    const { path, bytes } = await passwordCopy();
    bytes.writeUInt32BE(0x7fffffff, 21);
    await writeFile(path, bytes);
    await expect(readVaultFile(path, { password: PASSWORD })).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringContaining('2.147.483.647 iterações; o CertDesk grava 600.000'),
    });
  });

  it('an unknown mode byte is refused', async () => {
    const { path, bytes } = await passwordCopy();
    bytes[4] = 7;
    await writeFile(path, bytes);
    await expect(readVaultFile(path, { password: PASSWORD })).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});
