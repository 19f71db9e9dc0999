/**
 * Paths to the PKCS#12 test data committed in tests/fixtures/ (made by `npm run fixtures`, see
 * tests/fixtures/README.md; public/ holds third-party files).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const FIXTURES = resolve(import.meta.dirname, 'fixtures');
export const PFX_DIR = resolve(FIXTURES, 'pfx');
export const BAD_DIR = resolve(FIXTURES, 'bad');
export const CERTS_DIR = resolve(FIXTURES, 'certs');
export const PUBLIC_DIR = resolve(FIXTURES, 'public');
export const PASSWORD = 'SenhaTeste123';
export const NON_ASCII_PASSWORD = 'Senh@çãoé';

export function pfx(name: string): string {
  const path = resolve(PFX_DIR, name);
  if (!existsSync(path)) throw new Error(`fixture ausente: ${path} (gere com npm run fixtures)`);
  return path;
}
