#!/usr/bin/env node
/**
 * A throwaway PostgreSQL cluster for the tests ("initdb +
 * pg_ctl in a temp folder, started and stopped by the test script").
 *
 *   node scripts/postgres-cluster.mjs start   -> prints {"dir","url"} as JSON; the cluster keeps running
 *   node scripts/postgres-cluster.mjs stop DIR -> stops it and removes DIR
 *
 * Why it is shaped like this:
 * - Debian's server binaries live in /usr/lib/postgresql/<major>/bin, not on PATH (PG_BIN overrides).
 * - initdb refuses to run as root, and CI runs as root: then every server command runs as the
 *   `postgres` system user (created by Debian's package) through runuser, and the folder is theirs.
 * - Nothing is handed to whoever asks a local port: the folder is 0700, the superuser has a random
 *   scram-sha-256 password (only in the printed URL), and the server listens on 127.0.0.1 only, on a
 *   free port, with its socket inside the private folder.
 * - fsync is off: a test cluster is thrown away, so durability would only cost time.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function fail(message) {
  console.error(`postgres-cluster: ${message}`);
  process.exit(1);
}

function binDir() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (majors.length === 0) fail('initdb não encontrado (apt-get install postgresql, ou defina PG_BIN)');
  majors.sort((a, b) => Number(b) - Number(a));
  return join(root, majors[0], 'bin');
}

const asRoot = userInfo().uid === 0;

function run(tool, args, { quiet = false } = {}) {
  const command = join(binDir(), tool);
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0 && !quiet) fail(`${tool} falhou (${result.status}): ${result.stderr || result.error?.message || ''}`.trim());
  return result;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function ownedByServer(path) {
  if (!asRoot) return;
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid)) fail('usuário "postgres" ausente (apt-get install postgresql)');
  chownSync(path, uid, id('-g'));
}

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-pg-')); // mkdtemp makes it 0700
  ownedByServer(dir);
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password, { mode: 0o600 });
  ownedByServer(pwfile);
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'certdesk', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-sync']);
  rmSync(pwfile);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  process.stdout.write(`${JSON.stringify({ dir, url: `postgres://certdesk:${password}@127.0.0.1:${port}/postgres` })}\n`);
}

function stop(dir) {
  if (!dir || !existsSync(join(dir, 'data'))) fail(`pasta de cluster inválida: ${dir}`);
  run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop'], { quiet: true });
  rmSync(dir, { recursive: true, force: true });
}

const [command, dir] = process.argv.slice(2);
if (command === 'start') await start();
else if (command === 'stop') stop(dir);
else fail('uso: postgres-cluster.mjs start | stop DIR');
