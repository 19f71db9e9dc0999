/**
 * The admin command as an operator runs it (the built `node cloud-service/dist/admin.js`, password on stdin): on
 * the embedded database and on a real PostgreSQL; the users it creates sign in to the server, a
 * disabled one no longer can. The embedded database refuses a second process while the server runs.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudService } from '../../cloud-service/service';
import { call, START_TIMEOUT, TEST_KEK, testDatabase, type TestDatabase } from './helpers/cloud-service';

const ROOT = new URL('../..', import.meta.url).pathname;

function admin(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['cloud-service/dist/admin.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', CERTDESK_CLOUD_KEK: '', ...options.env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(options.stdin ?? '');
  });
}

const signInStatus = async (url: string, body: object) =>
  (await call(url, 'POST', '/auth/sign-in', { body, operationId: 'signIn' })).status;

describe('cloud:admin on the embedded database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('pglite'); // the run's first PGlite test makes the template here
  }, START_TIMEOUT);
  afterAll(() => db?.stop());

  it(
    'adds a tenant and users (cloud login and SSO), which then sign in; disabling one locks it out',
    async () => {
      const data = ['--data', db.dataDir];
      const tenant = await admin(['tenant', 'add', 'EXEMPLO', 'Empresa Exemplo', ...data]);
      expect(tenant, tenant.err).toMatchObject({ code: 0, out: 'Cliente EXEMPLO criado.\n' });
      expect(tenant.err).toContain('Chave mestra (KEK) criada');
      expect((await stat(join(db.dataDir, 'kek'))).mode & 0o777).toBe(0o600);
      const joao = await admin(['user', 'add', 'EXEMPLO.joao', '--name', 'João', '--role', 'read-only', ...data], {
        stdin: 'Senha-do-Joao1\n',
      });
      expect(joao, joao.err).toMatchObject({ code: 0 });
      const ana = await admin(['user', 'add', '--sso', 'ana@empresa.com.br', '--tenant', 'EXEMPLO', '--role', 'administrator', ...data], {
        stdin: 'Senha-da-Ana1\n',
      });
      expect(ana, ana.err).toMatchObject({ code: 0 });
      // Clear refusals, exit code 2.
      expect(await admin(['user', 'add', 'OUTRA.maria', '--role', 'read-only', ...data], { stdin: 'Senha-da-Maria1\n' })).toMatchObject({
        code: 2,
        err: expect.stringContaining('Cliente OUTRA não cadastrado'),
      });
      // What the command says is checked before the database is opened: nothing is created for it.
      const untouched = await mkdtemp(join(tmpdir(), 'certdesk-admin-refused-'));
      try {
        expect(await admin(['user', 'add', 'EXEMPLO.curta', '--data', untouched], { stdin: 'curta\n' })).toMatchObject({
          code: 2,
          err: expect.stringContaining('8 caracteres'),
        });
        expect(await admin(['user', 'add', 'sem-ponto', '--data', untouched], { stdin: 'Senha-longa1\n' })).toMatchObject({
          code: 2,
          err: expect.stringContaining('Login inválido'),
        });
        expect(await admin(['tenant', 'remove', 'EXEMPLO', '--data', untouched])).toMatchObject({
          code: 2,
          err: expect.stringContaining('uso:'),
        });
        expect(await readdir(untouched)).toEqual([]);
      } finally {
        await rm(untouched, { recursive: true, force: true });
      }

      const service = await startCloudService({ dataDir: db.dataDir, env: {} });
      try {
        expect(await signInStatus(service.url, { method: 'cloud', login: 'EXEMPLO.joao', password: 'Senha-do-Joao1' })).toBe(200);
        expect(await signInStatus(service.url, { method: 'sso', email: 'ana@empresa.com.br', password: 'Senha-da-Ana1' })).toBe(200);
        // While the server holds the embedded database, the command says so instead of corrupting it.
        const busy = await admin(['user', 'disable', 'EXEMPLO.joao', ...data]);
        expect(busy.code).toBe(1);
        expect(busy.err).toContain('em uso por outro processo');
      } finally {
        await service.close();
      }
      expect(await admin(['user', 'disable', 'EXEMPLO.joao', ...data])).toMatchObject({ code: 0 });
      const again = await startCloudService({ dataDir: db.dataDir, env: {} });
      try {
        // The right password learns the account is disabled (403 ACCOUNT_DISABLED); a wrong one still 401.
        expect(await signInStatus(again.url, { method: 'cloud', login: 'EXEMPLO.joao', password: 'Senha-do-Joao1' })).toBe(403);
        expect(await signInStatus(again.url, { method: 'cloud', login: 'EXEMPLO.joao', password: 'Outra-senha1' })).toBe(401);
      } finally {
        await again.close();
      }
    },
    10 * START_TIMEOUT,
  );
});

describe('cloud:admin on PostgreSQL (DATABASE_URL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('postgres');
  }, START_TIMEOUT);
  afterAll(() => db?.stop());

  it(
    'needs CERTDESK_CLOUD_KEK, then manages tenants and users in the shared database',
    async () => {
      const env = { DATABASE_URL: db.url! };
      expect(await admin(['tenant', 'add', 'EXEMPLO', 'Empresa Exemplo'], { env })).toMatchObject({
        code: 1,
        err: expect.stringContaining('CERTDESK_CLOUD_KEK'),
      });
      const kek = TEST_KEK.key.toString('base64');
      expect(await admin(['tenant', 'add', 'EXEMPLO', 'Empresa Exemplo'], { env: { ...env, CERTDESK_CLOUD_KEK: kek } })).toMatchObject({
        code: 0,
      });
      expect(
        await admin(['user', 'add', 'EXEMPLO.admin', '--name', 'Administrador', '--role', 'administrator'], {
          env: { ...env, CERTDESK_CLOUD_KEK: kek },
          stdin: 'Admin#2026-longa\n',
        }),
      ).toMatchObject({ code: 0 });
      const service = await startCloudService({ databaseUrl: db.url, env: { CERTDESK_CLOUD_KEK: kek } });
      try {
        expect(await signInStatus(service.url, { method: 'cloud', login: 'EXEMPLO.admin', password: 'Admin#2026-longa' })).toBe(200);
      } finally {
        await service.close();
      }
    },
    10 * START_TIMEOUT,
  );
});
