/**
 * The `certdesk` command: the same core as the app, plain Node, no Electron.
 *   certdesk inspect FILE… [--json] [--password-stdin | --password-env NAME] [--online] [--timeout SECONDS]
 *   certdesk scan DIR [--json] [--password-env NAME] [--expiring-days N] [--online] [--timeout SECONDS]
 *   certdesk sefaz-status FILE --uf UF --env ENV … (cli-sefaz.ts; invoicy: cli-invoicy.ts)
 * Chain and revocation come from the kept CRLs only, unless --online lets them go to the network.
 * Exit codes: 0 every file read; 1 some file could not be read; 2 usage error.
 */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPIRING_DAYS } from '@certdesk/shared/status';
import { folderReport, formatDetails, formatScanLine, formatUnreadableFolder, reportOf, type FileReport } from './cli-output';
import { CertdeskError, toErrorPayload } from '@certdesk/core/errors';
import { findPfxFiles } from '@certdesk/core/pfx/find-files';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { readPassword } from './cli-password';
import { TrustService } from '@certdesk/core/trust/trust-service';
import { userConfigDir } from '../user-dirs';
import { UsageError } from './cli-usage-error';

const USAGE = `Uso:
  certdesk inspect ARQUIVO… [--json] [--password-stdin | --password-env NOME] [--online] [--timeout SEGUNDOS]
  certdesk scan PASTA [--json] [--password-env NOME] [--expiring-days N] [--online] [--timeout SEGUNDOS]
  certdesk invoicy request-password|download|check --env homologacao|producao [--url URL] --document CNPJ_OU_CPF [--password-stdin] [--output ARQUIVO]
  certdesk sefaz-status ARQUIVO --uf UF --env homologacao|producao [--modulo nfe|cte] [--password-stdin | --password-env NOME] [--json]
                        [--proxy URL | --no-proxy] [--services TABELA.json] [--connect-to HOST:PORTA --trust-ca RAIZ.pem]

--online: busca LCR, OCSP e certificados de AC na rede (sem ela, só as LCR já guardadas respondem).
--timeout: tempo máximo por arquivo (padrão 60 s); o arquivo que passar dele dá TIMEOUT e a leitura dele é encerrada.
Saída: 0 todos os arquivos lidos (sefaz-status: serviço em operação); 1 algum arquivo não pôde ser lido
(sefaz-status: qualquer outra resposta, ou SEFAZ inalcançável); 2 erro de uso.`;

async function inspectAll(
  pool: PfxWorkerPool,
  trust: TrustService,
  files: string[],
  password: string | null,
  expiringDays: number,
  label: (f: string) => string,
): Promise<FileReport[]> {
  const now = new Date();
  // The pool keeps only a few files open at a time (PfxWorkerThreads.PER_WORKER, pfx/worker-threads.ts); the rest wait there.
  return Promise.all(
    files.map(async (file) => {
      const answer = await pool.inspectWithCertificates(file, password, now).catch((error: unknown) => toErrorPayload(error));
      if ('code' in answer) return reportOf(label(file), answer, now, expiringDays);
      const [leaf, ...others] = answer.certificates;
      // The chain and revocation never fail a file: every problem is a verdict (trust/revocation.ts).
      const report = leaf ? await trust.evaluate(leaf, others).catch(() => null) : null;
      return reportOf(label(file), answer.inspection, now, expiringDays, report);
    }),
  );
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  // Loaded only when asked for: its SOAP client and keychain would slow every scan's start.
  if (command === 'invoicy') return (await import('./cli-invoicy')).runInvoicy(rest);
  // The SEFAZ client (TLS, SOAP, the service table) loads only for this command.
  if (command === 'sefaz-status') return (await import('./cli-sefaz')).runSefazStatus(rest);
  if (command !== 'inspect' && command !== 'scan') throw new UsageError(`comando desconhecido: ${command}`);

  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      'password-env': { type: 'string' },
      'expiring-days': { type: 'string' },
      online: { type: 'boolean' },
      timeout: { type: 'string' },
    },
  });
  const expiringDays = values['expiring-days'] === undefined ? EXPIRING_DAYS : Number(values['expiring-days']);
  if (!Number.isInteger(expiringDays) || expiringDays < 0) throw new UsageError('--expiring-days precisa de um número inteiro ≥ 0');
  const timeout = values.timeout === undefined ? 60 : Number(values.timeout.replace(',', '.'));
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
    throw new UsageError('--timeout precisa de um número de segundos entre 0 e 3600');
  const password = readPassword(values);
  // A scan is a batch of pure CPU work that ends with the command: up to one worker per core. A
  // file past its time limit answers TIMEOUT and its worker is ended (the engine's budget keeps
  // every native call short enough for that), so the command always exits.
  const pool = new PfxWorkerPool(command === 'scan' ? PfxWorkerPool.sizeFor(8) : undefined, timeout * 1000);
  // CRLs and AIA certificates are kept in this user's configuration folder (0700), never a shared temp one.
  const trust = new TrustService({ dataDir: userConfigDir(), online: values.online ?? false });

  try {
    if (command === 'inspect') {
      if (positionals.length === 0) throw new UsageError('informe ao menos um arquivo');
      if (values['expiring-days'] !== undefined) throw new UsageError('--expiring-days vale só para scan');
      const reports = await inspectAll(pool, trust, positionals, password, expiringDays, (f) => f);
      if (values.json) console.log(JSON.stringify(reports, null, 2));
      else console.log(reports.map(formatDetails).join('\n'));
      return reports.every((r) => r.ok) ? 0 : 1;
    }

    if (positionals.length !== 1) throw new UsageError('informe uma pasta');
    if (values['password-stdin']) throw new UsageError('scan aceita --password-env, não --password-stdin');
    const root = positionals[0]!;
    if (!(await stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`pasta não encontrada: ${root}`);
    pool.warm(); // the workers load while the folder is walked
    const { files, truncated, unreadableFolders } = await findPfxFiles(root);
    const label = (f: string) => relative(root, f) || f;
    const reports = await inspectAll(pool, trust, files, password, expiringDays, label);
    const folders = unreadableFolders.map((f) => ({ path: label(f.path), code: f.code }));
    if (values.json) {
      // Still one array: each unreadable sub-folder is one more failed entry, marked `folder: true`.
      console.log(JSON.stringify([...reports, ...folders.map((f) => folderReport(f.path, f.code))], null, 2));
    } else {
      for (const report of reports) console.log(formatScanLine(report));
      const failed = reports.filter((r) => !r.ok).length;
      const expiring = reports.filter((r) => r.certificate?.status === 'expiring').length;
      const expired = reports.filter((r) => r.certificate?.status === 'expired').length;
      const revoked = reports.filter((r) => r.trust?.revocation.status === 'revoked').length;
      console.log(
        `\n${reports.length} arquivo(s): ${reports.length - failed} lido(s), ${failed} com erro; ` +
          `${expiring} vence(m) em até ${expiringDays} dias, ${expired} expirado(s)${revoked ? `, ${revoked} revogado(s)` : ''}.`,
      );
      if (files.length === 0) console.log('Nenhum arquivo .pfx ou .p12 encontrado.');
      for (const f of folders) console.log(formatUnreadableFolder(f.path, f.code));
    }
    if (truncated) console.error(`Aviso: a pasta tem mais de ${files.length} arquivos PFX; só os primeiros foram lidos.`);
    // A folder not looked into may hold files that would not read: not "every file was read".
    return reports.every((r) => r.ok) && folders.length === 0 ? 0 : 1;
  } finally {
    await pool.close();
  }
}

/**
 * process.exit drops whatever a pipe has not taken yet (`certdesk scan --json | jq` got the first
 * 64 KB of a large folder): exit once stdout and stderr have flushed what was written before.
 */
function exit(code: number): void {
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

run(process.argv.slice(2)).then(exit, (error: unknown) => {
  // No stack traces on the terminal: usage errors say what to fix, anything else says what failed.
  if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    console.error(`certdesk: ${(error as Error).message}\n\n${USAGE}`);
    return exit(2);
  }
  // CertDesk's own errors are written for the user (e.g. a folder that exists but may not be listed).
  if (error instanceof CertdeskError) console.error(`certdesk: [${error.code}] ${error.message}`);
  else console.error(`certdesk: erro inesperado (${(error as Error)?.name ?? 'Error'}).`);
  exit(1);
});
