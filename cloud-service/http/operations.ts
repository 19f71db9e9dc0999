/**
 * What each operation of the contract (packages/core/cloud-api/openapi.json) does, by operationId. The
 * routes, their parameters and the validation of bodies and answers come from the document
 * (contract-routes.ts); this table only maps a validated request to the tenant's workspace. Every handler gets
 * the authenticated caller, whose tenant scopes everything it touches.
 */
import type { Environment } from '@certdesk/shared/contract';
import type { Branch, ModuleDef, SelectionItem } from '@certdesk/shared/workspace';
import type { Auth, Caller } from '../auth';
import { unchangedSince } from '../list-cache';
import type { TenantWorkspace } from '../tenant-workspace';
import type { TenantSefazChecks } from '../sefaz/tenant-sefaz-checks';

export interface OperationRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  caller: Caller;
  token: string;
  /** The workspace's revision in the route's environment, read with the session at the request's start. */
  revision: number | null;
  /** The request's If-None-Match (the list answers 304 when it names the current answer). */
  ifNoneMatch?: string;
}

export interface Operation {
  /** Only administrators may call it (403 for read-only users). */
  admin: boolean;
  run(request: OperationRequest): Promise<[status: number, body: unknown]>;
}

export type OperationTable = Record<string, Operation>;

/**
 * An answer already serialised by the database layer (the certificate list). It skips the runtime
 * contract check, which would parse it back; the tests check every list answer against the contract.
 */
export class RawJson {
  constructor(
    /** The JSON (UTF-8); empty for a 304. */
    readonly text: string | Buffer,
    /** The same, gzip-compressed: sent instead when the client accepts gzip. */
    readonly gzip?: Buffer,
    /** The answer's entity tag (ETag header; a 304 carries it too). */
    readonly etag?: string | null,
  ) {}
}

const env = (r: OperationRequest) => r.params['environment'] as Environment;

export function operations(workspace: TenantWorkspace, auth: Auth, sefaz: TenantSefazChecks): OperationTable {
  const read = (run: Operation['run']): Operation => ({ admin: false, run });
  const change = (run: Operation['run']): Operation => ({ admin: true, run });
  return {
    signOut: read(async (r) => {
      await auth.signOut(r.token);
      return [204, undefined];
    }),
    getWorkspace: read(async (r) => [200, await workspace.status(r.caller, env(r))]),
    setupWorkspace: change(async (r) => [200, await workspace.setup(r.caller, env(r), r.body as never)]),
    saveBranch: change(async (r) => [200, await workspace.saveBranch(r.caller, env(r), r.body as Branch, r.params['code']!)]),
    deleteBranch: change(async (r) => [200, await workspace.deleteBranch(r.caller, env(r), r.params['code']!)]),
    saveModules: change(async (r) => [200, await workspace.saveModules(r.caller, env(r), r.body as ModuleDef[])]),
    listCertificates: read(async (r) => {
      // The client already holds this revision's answer, still right at this moment: nothing to send.
      const held = unchangedSince(r.ifNoneMatch, r.caller.tenantId, env(r), r.revision, workspace.clock());
      if (held) return [304, new RawJson('', undefined, held)];
      const answer = await workspace.listAnswer(r.caller, env(r), r.revision);
      return [200, new RawJson(answer.body, answer.gzip, answer.etag)];
    }),
    // The body arrives raw (http/contract-routes.ts): read, checked against the contract and opened in a worker.
    installCertificate: change(async (r) => [201, await workspace.installUpload(r.caller, env(r), r.body as Buffer)]),
    getCertificate: read(async (r) => [200, await workspace.get(r.caller, env(r), r.params['id']!)]),
    deleteCertificate: change(async (r) => [200, await workspace.remove(r.caller, env(r), r.params['id']!)]),
    editCertificate: change(async (r) => [
      200,
      await workspace.edit(r.caller, env(r), r.params['id']!, (r.body as { selection: SelectionItem[] }).selection),
    ]),
    listHistory: read(async (r) => [200, await workspace.history(r.caller, env(r), r.query as never)]),
    // A check changes no certificate, branch or module: every user of the tenant may ask for one.
    checkCertificateSefaz: read(async (r) => [200, await sefaz.check(r.caller, env(r), r.params['id']!)]),
    getCertificateSefazCheck: read(async (r) => [200, { check: await sefaz.last(r.caller, env(r), r.params['id']!) }]),
    listSefazChecks: read(async (r) => [200, { items: await sefaz.summaries(r.caller, env(r)) }]),
  };
}
