/**
 * CertDesk Cloud for the tests: a fresh database on each engine (PGlite in a temp folder, or a real
 * PostgreSQL database from helpers/postgres.ts), the service on an ephemeral port, tenants with an
 * administrator and a read-only user, and a small HTTP caller that checks every answer against the
 * contract.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { checkResponse } from '@certdesk/core/cloud-api/contract-validator';
import type { SelectionItem } from '@certdesk/shared/workspace';
import { PASSWORD, pfx } from '../../fixtures';
import type { Caller } from '../../../cloud-service/auth';
import { parseKek } from '../../../cloud-service/crypto';
import { startCloudService, type CloudService, type CloudServiceOptions } from '../../../cloud-service/service';
import { seedPglite } from './pglite-template';
import { seededRandom } from './seeded-random';
import { startPostgres } from './postgres';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];
/** The test KEK: seeded bytes, so a run can be replayed (and grepped for in dumps). */
export const TEST_KEK = parseKek(Buffer.from(seededRandom(15).bytes(32)).toString('hex'));
export const NOW = new Date('2026-06-01T12:00:00Z');
/** PGlite takes a while to create a cluster on a loaded 2-core machine. */
export const START_TIMEOUT = 180_000;

export interface TestDatabase {
  engine: Engine;
  url?: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * A fresh database. On PGlite the cluster is a copy of the run's empty template (pglite-template.ts)
 * unless `fresh` asks for PGlite to create it, for tests about what happens at creation.
 */
export async function testDatabase(engine: Engine, options: { fresh?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), `certdesk-cloud-${engine}-`));
  if (engine === 'pglite') {
    if (!options.fresh) await seedPglite(dataDir);
    return { engine, dataDir, stop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const pg = await startPostgres();
  return {
    engine,
    url: pg.url,
    dataDir,
    async stop() {
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function startTestService(db: TestDatabase, extra: Partial<CloudServiceOptions> = {}): Promise<CloudService> {
  return startCloudService({ databaseUrl: db.url, dataDir: db.dataDir, keks: [TEST_KEK], now: () => NOW, ...extra });
}

export const ADMIN_PASSWORD = 'Admin#2026';
export const READER_PASSWORD = 'Leitura#2026';

/** A tenant with `<CODE>.admin` (administrator) and `<CODE>.leitor` (read-only). */
export async function addTenant(service: CloudService, code: string): Promise<{ admin: string; reader: string }> {
  await service.tenants.add(code, `Empresa ${code}`);
  await service.tenants.addUser({
    login: `${code}.admin`,
    sso: false,
    name: `Admin ${code}`,
    role: 'administrator',
    password: ADMIN_PASSWORD,
  });
  await service.tenants.addUser({
    login: `${code}.leitor`,
    sso: false,
    name: `Leitor ${code}`,
    role: 'read-only',
    password: READER_PASSWORD,
  });
  return { admin: `${code}.admin`, reader: `${code}.leitor` };
}

export interface Answer {
  status: number;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, checked by the contract
  headers: Headers;
}

/** One call; when `operationId` is given the answer must follow the contract. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; operationId?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (options.operationId)
    expect(checkResponse(options.operationId, response.status, data), `${options.operationId} ${response.status}`).toBeNull();
  return { status: response.status, data, headers: response.headers };
}

export async function signIn(baseUrl: string, login: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/auth/sign-in', {
    body: { method: 'cloud', login, password },
    operationId: 'signIn',
    headers,
  });
  expect(answer.status, `sign-in of ${login}`).toBe(200);
  return answer.data.token as string;
}

/**
 * Where the list tests start: a service with tenant ALFA, its administrator signed in (the token and
 * the caller the service sees) and Produção set up with the example branches and modules.
 */
export async function startWithExampleTenant(
  db: TestDatabase,
  extra: Partial<CloudServiceOptions> = {},
): Promise<{ service: CloudService; token: string; caller: Caller }> {
  const service = await startTestService(db, extra);
  await addTenant(service, 'ALFA');
  const token = await signIn(service.url, 'ALFA.admin', ADMIN_PASSWORD);
  const caller = (await service.auth.authenticate(token))!;
  const setup = await call(service.url, 'POST', '/environments/producao/workspace/setup', { token, body: { kind: 'example' } });
  expect(setup.status).toBe(200);
  return { service, token, caller };
}

/**
 * For tests of the desktop side: CertDesk Cloud on PGlite in `dataDir` with the demo tenant
 * (EXEMPLO.admin / Admin#2026, EXEMPLO.joao / Leitura#2026, ana@empresa.com.br / Admin#2026).
 */
export async function startDemoCloud(options: { dataDir: string; now?: () => Date; sessionHours?: number }): Promise<CloudService> {
  await seedPglite(options.dataDir);
  return startCloudService({
    dataDir: options.dataDir,
    keks: [TEST_KEK],
    now: options.now,
    sessionHours: options.sessionHours,
    demo: true,
  });
}

/** The body of an install call: a fixture PFX as base64, the fixtures' password, `selection`. */
export async function installBody(file: string, selection: SelectionItem[] = [], fileName = file) {
  return { fileName, pfxBase64: (await readFile(pfx(file))).toString('base64'), password: PASSWORD, selection };
}
