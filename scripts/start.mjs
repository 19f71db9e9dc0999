// Sets up and starts CertDesk on its embedded local workspace, with nothing but Node and npm:
//   1. installs the dependencies when node_modules is missing (npm ci);
//   2. with an Electron binary available (or downloadable): builds and opens the desktop app;
//   3. without one (machines that cannot download it, like our CI): builds the browser bundle
//      and serves the whole app on http://127.0.0.1:5199/ through the test bridge.
// `node scripts/start.mjs --browser` forces the browser mode.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  return result.status === 0;
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('▶ Instalando dependências (npm ci)…');
  if (!run(npm, ['ci'])) process.exit(1);
}

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

let binary = process.argv.includes('--browser') ? null : electronBinary();
if (!binary && !process.argv.includes('--browser') && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('▶ Baixando o Electron…');
  // Quiet and bounded: offline, the download's stack trace would only alarm people.
  const download = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
    stdio: 'pipe',
    timeout: 120_000,
  });
  binary = electronBinary();
  if (!binary) console.log(`  download indisponível${download.error ? ` (${download.error.message})` : ''}.`);
}

if (binary) {
  console.log('▶ Abrindo o CertDesk (aplicativo de desktop)…');
  const child = spawn(npx, ['electron-vite', 'preview'], { stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('▶ Electron indisponível nesta máquina: abrindo o CertDesk no navegador (ponte de teste).');
  if (!run(npm, ['run', '--silent', 'build:bridge'])) process.exit(1);
  const child = spawn(npx, ['tsx', 'electron/test-bridge/start-bridge.ts'], { stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
