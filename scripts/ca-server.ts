/**
 * `npm run ca:server`: the CA stand-in (stand-ins/ca-server.ts) on 127.0.0.1 — CRLs, AIA
 * certificates and OCSP of a test hierarchy, for demos of `certdesk inspect --online`.
 * Options: --port N (default 5498), --out DIR: write each case's PFX there (the leaf alone, so the
 * AC comes from its AIA address; password below) to try with `certdesk inspect --online`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCaServer } from '../stand-ins/ca-server';
import { CA_CASES, CA_PFX_PASSWORD, caPfx } from './fixtures/ca-pki';

const { values } = parseArgs({ options: { port: { type: 'string' }, out: { type: 'string' } } });
const ca = await startCaServer({ port: values.port ? Number(values.port) : 5498 });
console.log(`AC de teste (stand-in) em ${ca.url}`);
console.log(
  `  LCR: ${ca.url}/lcr/ac-teste.crl (e vencida, assinatura-invalida, grande), AIA: ${ca.url}/aia/ac-teste.cer, OCSP: ${ca.url}/ocsp`,
);
if (values.out) {
  mkdirSync(values.out, { recursive: true, mode: 0o700 });
  for (const name of CA_CASES) writeFileSync(join(values.out, `${name}.pfx`), caPfx(ca.pki, name, false), { mode: 0o600 });
  console.log(`  ${CA_CASES.length} PFX de teste em ${values.out} (senha ${CA_PFX_PASSWORD}):`);
  console.log(`  certdesk inspect ${join(values.out, 'revogado.pfx')} --online --password-env SENHA`);
}
const stop = () => void ca.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
