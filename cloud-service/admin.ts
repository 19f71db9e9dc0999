/**
 * `node cloud-service/dist/admin.js …` (or `npm run cloud:admin -- …` from sources): administration of CertDesk Cloud (docs/CLOUD.md). Same database
 * options as the server: `DATABASE_URL` (PostgreSQL) or `--data DIR` (PGlite, default
 * .certdesk-cloud); the KEK from `CERTDESK_CLOUD_KEK` or DIR/kek.
 *
 *   tenant add CÓDIGO "Nome da empresa"
 *   user add CÓDIGO.usuário --name "Nome" --role administrator|read-only      (password on stdin)
 *   user add --sso e-mail --tenant CÓDIGO --name "Nome" --role …              (password on stdin)
 *   user disable LOGIN
 *   kek rotate        (CERTDESK_CLOUD_KEK = new, CERTDESK_CLOUD_KEK_PREVIOUS = old)
 *
 * The password is read from stdin (one line), never from the command line, where `ps` and shell
 * history would show it.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CertdeskError } from '@certdesk/core/errors';
import { loadKeks } from './crypto';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { checkNewUser, Tenants, type Role } from './tenants';

process.umask(0o077);

const USAGE = `uso:
  cloud:admin tenant add CÓDIGO "Nome da empresa"
  cloud:admin user add CÓDIGO.usuário --name "Nome" --role administrator|read-only   (senha pela entrada padrão)
  cloud:admin user add --sso e-mail --tenant CÓDIGO --name "Nome" --role administrator|read-only
  cloud:admin user disable LOGIN
  cloud:admin kek rotate
opções: --data DIR (banco embutido) ou DATABASE_URL=postgres://…`;

async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function readArguments() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      options: {
        data: { type: 'string' },
        sso: { type: 'string' },
        tenant: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', default: 'read-only' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new CertdeskError('INVALID_REQUEST', `${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<string> {
  const { values, positionals } = readArguments();
  const dataDir = resolve(values.data ?? process.env['CERTDESK_CLOUD_DATA'] ?? '.certdesk-cloud');
  const databaseUrl = process.env['DATABASE_URL'] || undefined;
  const { sso, tenant: tenantCode, name } = values;
  if (values.role !== 'administrator' && values.role !== 'read-only') throw new CertdeskError('INVALID_REQUEST', USAGE);
  const role: Role = values.role;
  const [noun, verb, ...rest] = positionals;
  const command = `${noun ?? ''} ${verb ?? ''}`;
  // Everything the command says is checked (and the password read) before the database is opened:
  // a mistake is answered at once, and nothing is created or migrated for a command that cannot run.
  let change: (tenants: Tenants) => Promise<string>;
  switch (command) {
    case 'tenant add': {
      const [code, tenantName] = rest;
      if (!code || !tenantName) throw new CertdeskError('INVALID_REQUEST', USAGE);
      change = async (tenants) => `Cliente ${(await tenants.add(code, tenantName)).code} criado.`;
      break;
    }
    case 'user add': {
      const login = sso ?? rest[0];
      if (!login) throw new CertdeskError('INVALID_REQUEST', USAGE);
      const user = { login, sso: sso !== undefined, tenantCode, name: name ?? login, role, password: await readPassword() };
      checkNewUser(user);
      change = async (tenants) => {
        await tenants.addUser(user);
        return `Usuário ${login} criado (${role}).`;
      };
      break;
    }
    case 'user disable': {
      const login = rest[0];
      if (!login) throw new CertdeskError('INVALID_REQUEST', USAGE);
      change = async (tenants) => {
        await tenants.disableUser(login);
        return `Usuário ${login} desativado; as sessões abertas dele foram encerradas.`;
      };
      break;
    }
    case 'kek rotate':
      change = async (tenants) => `${await tenants.rewrapAll()} chave(s) de cliente cifrada(s) novamente com a KEK atual.`;
      break;
    default:
      throw new CertdeskError('INVALID_REQUEST', USAGE);
  }
  const keks = await loadKeks({ env: process.env, dataDir: databaseUrl ? undefined : dataDir, log: (line) => console.error(line) });
  const db = await openDatabase({ url: databaseUrl, dataDir });
  try {
    await migrate(db);
    return await change(new Tenants(db, keks));
  } finally {
    await db.close();
  }
}

main().then(
  (message) => {
    console.log(message);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof CertdeskError ? error.message : `falhou: ${(error as Error).message}`);
    process.exit(error instanceof CertdeskError ? 2 : 1);
  },
);
