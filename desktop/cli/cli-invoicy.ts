/**
 * `certdesk invoicy request-password|download|check --env homologacao|producao [--url URL]
 *  --document CNPJ_OR_CPF [--password-stdin] [--output FILE]`. EmpPK and CK come from
 * CERTDESK_INVOICY_EMPPK / CERTDESK_INVOICY_CK or the keychain. Exit: 0 the service answered
 * success (code 100), 1 it answered anything else or could not be reached, 2 usage error.
 */
import { chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENVIRONMENTS, type Environment } from '@certdesk/shared/contract';
import { CertdeskError } from '@certdesk/core/errors';
import { documentNumber } from '../invoicy/request-documents';
import { InvoicyService } from '../invoicy/invoicy-service';
import { OsKeychain } from '../keychain';
import { ensurePrivateDir } from '@certdesk/core/private-dir';
import { userConfigDir } from '../user-dirs';
import { UsageError } from './cli-usage-error';

export { UsageError };

const OPERATIONS = { 'request-password': 'request-password', download: 'download', check: 'check' } as const;

export async function runInvoicy(argv: string[]): Promise<number> {
  const [operationArg, ...rest] = argv;
  const operation = OPERATIONS[operationArg as keyof typeof OPERATIONS];
  if (!operation) throw new UsageError('use invoicy request-password, download ou check');
  const { values } = parseArgs({
    args: rest,
    options: {
      env: { type: 'string' },
      url: { type: 'string' },
      document: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      output: { type: 'string' },
    },
  });
  const environment = values.env as Environment;
  if (!ENVIRONMENTS.includes(environment)) throw new UsageError('--env precisa ser homologacao ou producao');
  if (!values.document) throw new UsageError('informe --document CNPJ_OU_CPF');
  let password: string | undefined;
  if (operation === 'request-password') {
    if (!values['password-stdin']) throw new UsageError('request-password lê a senha com --password-stdin');
    const { readFileSync } = await import('node:fs');
    password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  }
  try {
    documentNumber(values.document);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Settings and downloads in this user's own configuration folder (0700), never a shared temp dir.
  const service = await InvoicyService.open(await ensurePrivateDir(join(userConfigDir(), 'cli')), new OsKeychain(), process.env);
  try {
    const result = await service.call(environment, operation, values.document, { password, url: values.url });
    for (const m of result.messages) console.log(`[${m.codigo}] ${m.descricao}`);
    if (result.file) {
      const output = values.output ?? `certificado-${documentNumber(values.document)}.pfx`;
      await copyFile(result.file, output);
      await chmod(output, 0o600); // a certificate with its private key: this user's only
      console.log(`Certificado gravado em ${output}`);
    }
    return result.messages[0]?.codigo === 100 ? 0 : 1;
  } catch (error) {
    if (error instanceof CertdeskError) {
      console.error(`certdesk: [${error.code}] ${error.message}`);
      return 1;
    }
    throw error;
  }
}
