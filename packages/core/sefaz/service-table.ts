/**
 * The table of SEFAZ status services (sefaz-services.json, data with its source and date): which
 * authorizer serves each state per module, each state's IBGE code, and the status service's address
 * per authorizer and environment. Validated when first used; a table that fails validation is
 * refused whole, with what is wrong, rather than half-used.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ENVIRONMENTS, type Environment } from '@certdesk/shared/contract';
import { TP_AMB, UFS, type SefazModule, type Uf } from '@certdesk/shared/sefaz';
import { CertdeskError } from '../errors';
import bundled from './sefaz-services.json' with { type: 'json' };

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/);
const endpoint = z
  .object({
    // https only, and a plain host: the address ends up in a TLS connection and a SOAP action.
    url: z
      .string()
      .max(300)
      .refine((value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'https:' && !url.username && !url.password && !url.search && !url.hash;
        } catch {
          return false;
        }
      }, 'endereço https sem usuário, consulta ou âncora'),
    operation: name,
    method: name,
    version: z.string().regex(/^\d\.\d\d$/),
  })
  .strict();
const source = z
  .object({
    repository: z.string().max(200),
    commit: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .nullable(),
    commitDate: z.string().max(40).nullable(),
    files: z.array(z.string().max(200)).max(20),
  })
  .strict();
const ufRecord = <T extends z.ZodType>(value: T) => z.object(Object.fromEntries(UFS.map((uf) => [uf, value])) as Record<Uf, T>).strict();
const moduleTable = z
  .object({
    model: z.enum(['55', '57']),
    authorizers: ufRecord(name),
    services: z.record(name, z.object({ homologacao: endpoint, producao: endpoint }).strict()),
  })
  .strict()
  .superRefine((table, context) => {
    for (const [uf, authorizer] of Object.entries(table.authorizers)) {
      if (!table.services[authorizer])
        context.addIssue({ code: 'custom', message: `${uf} é atendida por ${authorizer}, que não tem endereço` });
    }
  });

const tableSchema = z
  .object({
    description: z.string().max(1000),
    readAt: z.string().regex(/^\d{4}-\d\d-\d\d$/),
    sources: z.object({ nfe: source, cte: source, ufCodes: source }).strict(),
    ufCodes: ufRecord(z.number().int().min(11).max(53)),
    modules: z.object({ nfe: moduleTable, cte: moduleTable }).strict(),
  })
  .strict();

export type ServiceTable = z.infer<typeof tableSchema>;

/** Everything a status call needs to know about where it goes. */
export interface StatusService {
  module: SefazModule;
  environment: Environment;
  uf: Uf;
  cUF: number;
  tpAmb: 1 | 2;
  authorizer: string;
  url: string;
  host: string;
  /** e.g. NFeStatusServico4; the SOAP namespace is the portal's `/wsdl/` + this. */
  operation: string;
  /** e.g. nfeStatusServicoNF; the SOAP action is the namespace + `/` + this. */
  method: string;
  version: string;
}

/** Validates a table (parsed JSON); a CertdeskError INVALID_DATA names the first problems. */
export function parseServiceTable(data: unknown): ServiceTable {
  const parsed = tableSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'raiz'}: ${issue.message}`)
    .join('; ');
  throw new CertdeskError('INVALID_DATA', `Tabela de serviços da SEFAZ inválida (${problems}).`);
}

let bundledTable: ServiceTable | null = null;

/** The table shipped with the app (validated once). */
export function bundledServiceTable(): ServiceTable {
  bundledTable ??= parseServiceTable(bundled);
  return bundledTable;
}

/** A table from a file (an updated copy kept beside the app's data, or `--servicos` of the CLI). */
export async function loadServiceTable(path: string): Promise<ServiceTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CertdeskError(
      'UNREADABLE',
      `Não foi possível ler a tabela de serviços (${(error as NodeJS.ErrnoException).code ?? 'erro'}).`,
    );
  }
  if (text.length > 1_000_000) throw new CertdeskError('TOO_LARGE', 'Tabela de serviços grande demais (limite 1 MB).');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CertdeskError('INVALID_DATA', 'A tabela de serviços da SEFAZ não é um JSON válido.');
  }
  return parseServiceTable(data);
}

/** Where the status service of `module` for a branch in `uf` lives, in `environment`. */
export function statusServiceFor(table: ServiceTable, module: SefazModule, uf: Uf, environment: Environment): StatusService {
  if (!ENVIRONMENTS.includes(environment)) throw new CertdeskError('INVALID_REQUEST', `Ambiente desconhecido: ${String(environment)}.`);
  const moduleTable = table.modules[module];
  if (!moduleTable) throw new CertdeskError('INVALID_REQUEST', `Módulo desconhecido: ${String(module)} (use nfe ou cte).`);
  const authorizer = moduleTable.authorizers[uf];
  if (!authorizer) throw new CertdeskError('INVALID_REQUEST', `UF desconhecida: ${String(uf)}.`);
  const endpoint = moduleTable.services[authorizer]![environment];
  return {
    module,
    environment,
    uf,
    cUF: table.ufCodes[uf],
    tpAmb: TP_AMB[environment],
    authorizer,
    url: endpoint.url,
    host: new URL(endpoint.url).hostname,
    operation: endpoint.operation,
    method: endpoint.method,
    version: endpoint.version,
  };
}

/** Every host name the table can send a check to (the SEFAZ stand-in's certificate carries them all). */
export function serviceHosts(table: ServiceTable): string[] {
  const hosts = new Set<string>();
  for (const module of Object.values(table.modules)) {
    for (const service of Object.values(module.services)) {
      for (const environment of ENVIRONMENTS) hosts.add(new URL(service[environment].url).hostname);
    }
  }
  return [...hosts].sort();
}
