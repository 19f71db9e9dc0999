/**
 * `certdesk sefaz-status ARQUIVO --uf UF --env homologacao|producao [--modulo nfe|cte]
 *  [--password-stdin | --password-env NOME] [--json] [--proxy URL | --no-proxy] [--services TABELA.json]
 *  [--connect-to HOST:PORTA] [--trust-ca RAIZ.pem]`
 *
 * One status check of the UF's authorizer with the certificate in ARQUIVO, over mutual TLS.
 * `--connect-to` and `--trust-ca` point the check at a SEFAZ stand-in (`npm run sefaz:server`):
 * the table's host name is still the one asked for and verified, only the address changes, and the
 * extra root is trusted for this run only. Exit: 0 the service answered 107 (em operação); 1 any
 * other answer, SEFAZ unreachable, or a certificate that could not be opened; 2 usage error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ENVIRONMENTS, type Environment } from '@certdesk/shared/contract';
import { isUf, SEFAZ_MODULES, type SefazModule } from '@certdesk/shared/sefaz';
import { CertdeskError } from '@certdesk/core/errors';
import { readPfxFile } from '@certdesk/core/pfx/read-pfx-file';
import { tlsCredentialsFromPfx } from '@certdesk/core/pfx/tls-credentials';
import { parseProxyUrl, type ProxyOption } from '@certdesk/core/sefaz/proxy';
import { loadServiceTable } from '@certdesk/core/sefaz/service-table';
import { SefazStatusClient } from '@certdesk/core/sefaz/status-client';
import { displayText } from '@certdesk/shared/display-text';
import { readPassword } from './cli-password';
import { UsageError } from './cli-usage-error';

const MODULE_NAMES: Record<SefazModule, string> = { nfe: 'NF-e', cte: 'CT-e' };

function connectTo(value: string | undefined) {
  if (value === undefined) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/i.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new UsageError('--connect-to precisa de HOST:PORTA');
  const target = { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
  return () => target;
}

async function trustAnchors(path: string | undefined): Promise<string[]> {
  if (path === undefined) return [];
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`não foi possível ler ${path}`);
  });
  const certificates = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!certificates || text.length > 1_000_000) throw new UsageError(`${path} não é um certificado PEM`);
  return certificates;
}

export async function runSefazStatus(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      uf: { type: 'string' },
      env: { type: 'string' },
      modulo: { type: 'string' },
      json: { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      'password-env': { type: 'string' },
      proxy: { type: 'string' },
      'no-proxy': { type: 'boolean' },
      services: { type: 'string' },
      'connect-to': { type: 'string' },
      'trust-ca': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('informe um arquivo PFX');
  const uf = (values.uf ?? '').toUpperCase();
  if (!isUf(uf)) throw new UsageError('--uf precisa ser a sigla de um estado (SP, RS, MA…)');
  const environment = values.env as Environment;
  if (!ENVIRONMENTS.includes(environment)) throw new UsageError('--env precisa ser homologacao ou producao');
  const module = (values.modulo ?? 'nfe') as SefazModule;
  if (!SEFAZ_MODULES.includes(module)) throw new UsageError('--modulo precisa ser nfe ou cte');
  if (values.proxy !== undefined && values['no-proxy']) throw new UsageError('use --proxy ou --no-proxy, não os dois');
  let proxy: ProxyOption = { kind: 'environment' };
  if (values['no-proxy']) proxy = { kind: 'none' };
  else if (values.proxy !== undefined) {
    try {
      parseProxyUrl(values.proxy);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    proxy = { kind: 'manual', url: values.proxy };
  }
  const connectOverride = connectTo(values['connect-to']);
  const extraTrustAnchors = await trustAnchors(values['trust-ca']);
  const password = readPassword(values);

  try {
    const table = values.services ? await loadServiceTable(values.services) : undefined;
    const client = new SefazStatusClient({ table, proxy, connectOverride, extraTrustAnchors });
    const service = client.service(module, uf, environment);
    const credentials = tlsCredentialsFromPfx(await readPfxFile(positionals[0]!), password);
    const result = await client.check(credentials, service);
    const certificate = credentials.inspection.certificate!;
    if (values.json) {
      console.log(
        JSON.stringify(
          { file: positionals[0], certificate: { commonName: certificate.commonName, sha256: credentials.fingerprint }, ...result },
          null,
          2,
        ),
      );
    } else {
      const rows: [string, string][] = [
        [
          'Autorizador',
          `${result.authorizer} (${MODULE_NAMES[module]}, ${environment === 'producao' ? 'produção' : 'homologação'}, cUF ${result.cUF})`,
        ],
        ['Endereço', result.url],
        ['Consultado', new Date(result.checkedAt).toLocaleString('pt-BR')],
        ['Certificado', displayText(certificate.commonName)],
      ];
      if (result.proxy) rows.push(['Proxy', result.proxy]);
      if (result.action) rows.push(['O que fazer', result.action]);
      if (result.detail) rows.push(['Detalhe', result.detail]);
      const width = Math.max(...rows.map(([k]) => k.length));
      console.log(`${result.ok ? '✔' : '✖'} ${result.text}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}`);
    }
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof CertdeskError) {
      if (error.code === 'INVALID_REQUEST') throw new UsageError(error.message);
      console.error(`certdesk: [${error.code}] ${error.message}`);
      return 1;
    }
    throw error;
  }
}
