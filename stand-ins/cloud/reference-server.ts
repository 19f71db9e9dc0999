/**
 * The reference cloud server: the OpenAPI contract (openapi.json) over HTTP, with the same domain
 * rules as the embedded workspace — it *is* the WorkspaceService, behind sign-in and roles.
 * Requests are validated against the contract; PFX files arrive as base64 with their password
 * (over TLS in real deployments, plain HTTP on loopback in tests).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from '#shared/contract';
import { CertdeskError, toErrorPayload } from '#core/errors';
import { inspectFile } from '#core/pfx/inspect';
import { WorkspaceService } from '#core/workspace/workspace-service';
import { checkRequest } from '#core/cloud/contract-validator';
import { FileSecretStore, UserStore, type CloudUser } from './server-store';

export interface ReferenceServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  now?: () => Date;
  sessionHours?: number;
  /**
   * Tests only: `POST /test/reset` gives the next test an empty tenant (no workspace, certificates,
   * history or sessions; the demo users stay). Absent unless asked for.
   */
  testHooks?: boolean;
}

export interface ReferenceServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const STATUS: Partial<Record<string, number>> = {
  INVALID_REQUEST: 400,
  INVALID_DATA: 400,
  NOT_FOUND: 404,
  DUPLICATE_CERTIFICATE: 409,
  EXPIRED_DELETE_ONLY: 409,
  SETUP_REQUIRED: 409,
  WORKSPACE_CORRUPT: 500,
  CERTIFICATE_EXPIRED: 422,
  CERTIFICATE_NOT_YET_VALID: 422,
  NO_PRIVATE_KEY: 422,
  KEY_MISMATCH: 422,
  WRONG_PASSWORD: 422,
  PASSWORD_REQUIRED: 422,
  NOT_PKCS12: 422,
  CORRUPT: 422,
  EMPTY_FILE: 422,
  TOO_LARGE: 422,
  UNSUPPORTED_ALGORITHM: 422,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function json(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 15 * 1024 * 1024) throw new HttpError(413, 'TOO_LARGE', 'Requisição grande demais.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    throw new HttpError(400, 'INVALID_REQUEST', 'JSON inválido.');
  }
}

export async function startReferenceServer(options: ReferenceServerOptions): Promise<ReferenceServer> {
  const now = options.now ?? (() => new Date());
  const users = await UserStore.open(options.dataDir);
  const sessions = new Map<string, { user: CloudUser; expires: number }>();
  const uploads = join(options.dataDir, 'uploads');
  await mkdir(uploads, { recursive: true });
  // Who is calling, per request, for the history's "who" (requests run concurrently).
  const caller = new AsyncLocalStorage<CloudUser>();
  // The tenant's workspace and secrets live in `dir`; a test reset swaps in an empty one.
  const openTenant = async (dir: string) =>
    new WorkspaceService({
      dataDir: join(dir, 'tenant'),
      keychain: await FileSecretStore.open(dir),
      inspect: (path, password) => inspectFile(path, { password, now: now() }),
      now,
      user: () => caller.getStore()?.name ?? 'nuvem',
    });
  let workspace = await openTenant(options.dataDir);
  let generation = 0;

  const authenticate = (req: IncomingMessage): CloudUser => {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const session = token ? sessions.get(token) : undefined;
    if (!session || session.expires < now().getTime()) {
      if (token) sessions.delete(token);
      throw new HttpError(401, 'UNAUTHENTICATED', 'Sessão expirada ou inexistente: entre novamente.');
    }
    return session.user;
  };
  const admin = (user: CloudUser) => {
    if (user.role !== 'administrator')
      throw new HttpError(403, 'FORBIDDEN', 'Somente administradores podem alterar certificados, filiais e módulos.');
  };
  const validated = async (req: IncomingMessage, operationId: string) => {
    const body = await json(req);
    const problem = checkRequest(operationId, body);
    if (problem) throw new HttpError(400, 'INVALID_REQUEST', `Requisição inválida: ${problem}.`);
    return body as never;
  };

  async function route(req: IncomingMessage, url: URL): Promise<[number, unknown]> {
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const method = req.method ?? 'GET';
    if (options.testHooks && method === 'POST' && url.pathname === '/test/reset') {
      sessions.clear();
      workspace = await openTenant(join(options.dataDir, 'test-tenants', String(++generation)));
      return [204, undefined];
    }
    if (method === 'POST' && path === '/auth/sign-in') {
      const body = (await validated(req, 'signIn')) as { method: 'sso' | 'cloud'; email?: string; login?: string; password: string };
      const user = users.verify(body.method, body.email ?? body.login ?? '', body.password);
      if (!user) throw new HttpError(401, 'UNAUTHENTICATED', 'Usuário ou senha incorretos.');
      const token = randomBytes(32).toString('base64url');
      const expires = now().getTime() + (options.sessionHours ?? 8) * 3600_000;
      sessions.set(token, { user, expires });
      return [200, { token, expiresAt: new Date(expires).toISOString(), user: { name: user.name, role: user.role } }];
    }
    const user = authenticate(req);
    return caller.run(user, () => routeAs(user, req, url, path, method));
  }

  async function routeAs(user: CloudUser, req: IncomingMessage, url: URL, path: string, method: string): Promise<[number, unknown]> {
    if (method === 'POST' && path === '/auth/sign-out') {
      sessions.delete(String(req.headers.authorization).slice(7));
      return [204, undefined];
    }
    const match = /^\/environments\/(producao|homologacao)(\/.*)$/.exec(path);
    if (!match) throw new HttpError(404, 'NOT_FOUND', 'Recurso inexistente.');
    const environment = match[1] as Environment;
    const rest = match[2]!;
    let m: RegExpExecArray | null;
    if (method === 'GET' && rest === '/workspace') return [200, await workspace.status(environment)];
    if (method === 'POST' && rest === '/workspace/setup') {
      admin(user);
      return [200, await workspace.setup(environment, await validated(req, 'setupWorkspace'))];
    }
    if ((m = /^\/workspace\/branches\/([^/]+)$/.exec(rest))) {
      admin(user);
      const code = decodeURIComponent(m[1]!);
      if (method === 'PUT') return [200, await workspace.saveBranch(environment, await validated(req, 'saveBranch'), code)];
      if (method === 'DELETE') return [200, await workspace.deleteBranch(environment, code)];
    }
    if (method === 'PUT' && rest === '/workspace/modules') {
      admin(user);
      return [200, await workspace.saveModules(environment, await validated(req, 'saveModules'))];
    }
    if (rest === '/certificates' && method === 'GET') return [200, await workspace.list(environment)];
    if (rest === '/certificates' && method === 'POST') {
      admin(user);
      const body = (await validated(req, 'installCertificate')) as {
        fileName: string;
        pfxBase64: string;
        password: string | null;
        selection: never;
        manual?: boolean;
      };
      const dir = join(uploads, randomUUID());
      await mkdir(dir);
      const file = join(dir, body.fileName.replace(/[\\/]/g, '_'));
      try {
        await writeFile(file, Buffer.from(body.pfxBase64, 'base64'));
        return [
          201,
          await workspace.install(environment, { path: file, password: body.password, selection: body.selection, manual: body.manual }),
        ];
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    if ((m = /^\/certificates\/([0-9a-f-]{36})(\/links)?$/.exec(rest))) {
      const id = m[1]!;
      if (method === 'GET' && !m[2]) return [200, await workspace.get(environment, id)];
      if (method === 'DELETE' && !m[2]) {
        admin(user);
        return [200, await workspace.remove(environment, id)];
      }
      if (method === 'PUT' && m[2]) {
        admin(user);
        return [200, await workspace.edit(environment, id, ((await validated(req, 'editCertificate')) as { selection: never }).selection)];
      }
    }
    if (method === 'GET' && rest === '/history') {
      const q = url.searchParams;
      const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000))
        throw new HttpError(400, 'INVALID_REQUEST', 'limit deve ficar entre 1 e 1000.');
      return [
        200,
        await workspace.history(environment, {
          certificateId: q.get('certificateId') ?? undefined,
          branch: q.get('branch') ?? undefined,
          action: (q.get('action') as never) ?? undefined,
          limit,
          after: q.get('after') ?? undefined,
        }),
      ];
    }
    throw new HttpError(404, 'NOT_FOUND', 'Recurso inexistente.');
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    try {
      const [status, body] = await route(req, new URL(req.url ?? '/', 'http://localhost'));
      send(status, body);
    } catch (error) {
      if (error instanceof HttpError) return send(error.status, { code: error.code, message: error.message });
      const payload = toErrorPayload(error);
      send(error instanceof CertdeskError ? (STATUS[payload.code] ?? 500) : 500, payload);
    }
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/api/v1`,
    server,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
