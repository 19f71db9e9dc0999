// Sets up and starts CertDesk on its embedded local workspace, with nothing but Node and npm:
//   1. installs the dependencies when node_modules is missing (npm ci);
//   2. with an Electron binary available (or downloadable): builds and opens the desktop app;
//   3. without one: says why, builds the browser bundle and serves the whole app on a loopback
//      port, printing the one address to open (it carries this session's access key) and opening
//      the system browser when there is one.
//
// Options: --browser (force browser mode), --port N (CERTDESK_PORT), --data DIR (CERTDESK_DATA_DIR),
// --no-open (CERTDESK_NO_OPEN=1: print the address only), --retry-electron (try the Electron download
// again after a failure it remembers).
//
// SIGINT/SIGTERM to this command stop everything it started: the server runs in its own process
// group (POSIX), and the signal goes to the whole group.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const windows = process.platform === 'win32';
const npm = windows ? 'npm.cmd' : 'npm';
const npx = windows ? 'npx.cmd' : 'npx';
const args = process.argv.slice(2);

// A current Node LTS: this one when it is, else the pinned one, fetched once from the npm registry
// (scripts/current-node.mjs), runs this same command. Either way the user is told which.
if (spawnSync(process.execPath, ['scripts/current-node.mjs', '--check']).status !== 0) {
  const found = spawnSync(process.execPath, ['scripts/current-node.mjs'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (found.status !== 0) process.exit(1);
  const binDir = found.stdout.trim();
  const env = { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(join(binDir, windows ? 'node.exe' : 'node'), [fileURLToPath(import.meta.url), ...args], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
  await new Promise(() => undefined);
}
console.log(`▶ Node ${process.version} (${process.execPath})`);
let parsed;
try {
  parsed = parseArgs({
    args,
    options: {
      browser: { type: 'boolean' },
      port: { type: 'string' },
      data: { type: 'string' },
      'no-open': { type: 'boolean' },
      'retry-electron': { type: 'boolean' },
    },
  }).values;
} catch (error) {
  // Node words the problem in English; the user gets it in Portuguese with the options there are.
  console.error(`Opção não reconhecida ou sem valor (${error instanceof Error ? error.message : String(error)}).`);
  console.error('Opções: --browser, --port N, --data PASTA, --no-open, --retry-electron');
  process.exit(2);
}
const flag = (name) => parsed[name] === true;
const option = (name) => (typeof parsed[name] === 'string' ? parsed[name] : undefined);

function run(command, commandArgs, env = process.env) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env, shell: windows });
  return result.status === 0;
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('▶ Instalando dependências (npm ci)…');
  if (!run(npm, ['ci'])) process.exit(1);
}

/**
 * The Electron binary when it is already there, read the way the electron package records it
 * (path.txt + dist/): requiring the package would start a download with a stack trace when offline.
 */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binaryPath = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binaryPath) ? binaryPath : null;
}

/**
 * Where a failed Electron download is remembered, so that every start does not wait for it again
 * (up to 120 s when the network hangs): the user's cache folder, private (0700 folder, 0600 file).
 * CERTDESK_CACHE_DIR moves it (tests).
 */
function cacheDir() {
  if (process.env.CERTDESK_CACHE_DIR) return process.env.CERTDESK_CACHE_DIR;
  if (windows) return join(process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'CertDesk', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'CertDesk');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'certdesk');
}
const failureFile = join(cacheDir(), 'electron-download-failed.json');
const electronVersion = () => {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
};
function rememberedFailure() {
  try {
    const failure = JSON.parse(readFileSync(failureFile, 'utf8'));
    return failure.version === electronVersion() ? failure : null; // a new Electron version is worth a new try
  } catch {
    return null;
  }
}
function rememberFailure(detail) {
  try {
    mkdirSync(dirname(failureFile), { recursive: true, mode: 0o700 });
    writeFileSync(failureFile, JSON.stringify({ at: new Date().toISOString(), version: electronVersion(), detail }), { mode: 0o600 });
    chmodSync(failureFile, 0o600);
  } catch {
    // Not remembering only costs the next start another try.
  }
}

let binary = null;
let why = null;
if (flag('browser')) {
  why = 'o modo navegador foi pedido (--browser)';
} else {
  binary = electronBinary();
  const failed = flag('retry-electron') ? null : rememberedFailure();
  if (flag('retry-electron')) rmSync(failureFile, { force: true });
  if (!binary && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    why = 'ELECTRON_SKIP_BINARY_DOWNLOAD está definido, então o binário do Electron não foi baixado';
  } else if (!binary && failed) {
    const when = new Date(failed.at).toLocaleString('pt-BR');
    why =
      `o download do Electron falhou em ${when}${failed.detail ? ` (${failed.detail})` : ''} e não foi tentado de novo. ` +
      `Para tentar outra vez: node scripts/start.mjs --retry-electron`;
  } else if (!binary) {
    console.log('▶ Baixando o Electron…');
    // Quiet and bounded: offline, the download's stack trace would only alarm people.
    const download = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
      stdio: 'pipe',
      timeout: 120_000,
      encoding: 'utf8',
    });
    binary = electronBinary();
    if (!binary) {
      const detail = (download.error?.message ?? (download.stderr || '').split('\n').find((line) => /error/i.test(line)) ?? '')
        .trim()
        .slice(0, 160);
      rememberFailure(detail);
      why =
        `o download do Electron não foi possível${detail ? ` (${detail})` : ''}. ` +
        `Os próximos inícios não tentam de novo; para tentar: node scripts/start.mjs --retry-electron`;
    }
  }
}

/**
 * Stop what this command started when it is asked to stop: on POSIX the child leads its own process
 * group, so the signal reaches every process under it (npx → electron-vite → electron, or the server
 * and its worker threads), not only the first.
 */
function forwardStops(child) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      try {
        if (windows) child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

if (binary) {
  console.log('▶ Abrindo o CertDesk (aplicativo de desktop)…');
  const child = spawn(npx, ['electron-vite', 'preview'], { stdio: 'inherit', shell: windows, detached: !windows });
  forwardStops(child);
} else {
  console.log(`▶ Electron indisponível: ${why}. Abrindo o CertDesk no navegador.`);
  if (!run(npm, ['run', '--silent', 'build:browser'])) process.exit(1);
  // One Node process with tsx as a loader (no npx/npm/tsx wrappers in between to leave behind).
  const browserModeArgs = ['--import', 'tsx', 'desktop/browser-mode/start-browser-mode.ts'];
  if (option('port')) browserModeArgs.push('--port', option('port'));
  if (option('data')) browserModeArgs.push('--data', option('data'));
  const child = spawn(process.execPath, browserModeArgs, { stdio: ['inherit', 'pipe', 'inherit'], detached: !windows });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('CERTDESK_URL=')) return console.log(line);
    const url = line.slice('CERTDESK_URL='.length);
    console.log(`\n  Abra este endereço no navegador (ele contém a chave de acesso desta sessão):\n\n    ${url}\n`);
    if (!flag('no-open') && !process.env.CERTDESK_NO_OPEN && !process.env.CI) openBrowser(url);
  });
  forwardStops(child);
}

/**
 * The system browser, when there is one; without one the printed address is enough. On Linux and the
 * BSDs xdg-open needs a graphical session: without DISPLAY or WAYLAND_DISPLAY it would find nothing to
 * open and say nothing, so the command says so itself. A failing opener is reported too.
 */
function openBrowser(url) {
  const noBrowser = (reason) => console.log(`  (${reason}: abra o endereço acima em um navegador)`);
  if (!windows && process.platform !== 'darwin' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    noBrowser('sem tela gráfica neste terminal (DISPLAY e WAYLAND_DISPLAY não definidos), nenhum navegador foi aberto');
    return;
  }
  const [command, commandArgs] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : windows
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const opener = spawn(command, commandArgs, { stdio: 'ignore', detached: true });
    opener.on('error', () => noBrowser('nenhum navegador do sistema encontrado'));
    opener.on('exit', (code) => code && noBrowser(`o navegador do sistema não abriu (${command} saiu com ${code})`));
    opener.unref();
  } catch {
    noBrowser('nenhum navegador do sistema encontrado');
  }
}
