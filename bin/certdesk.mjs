#!/usr/bin/env node
// Entry of the `certdesk` command (package.json "bin"): the CLI built by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('certdesk: execute "npm run build" antes de usar o comando.');
  process.exit(2);
}
await import(cli.href);
