/** Paths to the shared PKCS#12 fixtures (../shared beside the checkout, as on CI). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED = resolve(import.meta.dirname, '../../shared');
export const PFX_DIR = resolve(SHARED, 'fixtures/pfx/pfx');
export const BAD_DIR = resolve(SHARED, 'fixtures/pfx/bad');
export const PUBLIC_DIR = resolve(SHARED, 'fixtures/public');
export const PASSWORD = 'SenhaTeste123';
export const NON_ASCII_PASSWORD = 'Senh@çãoé';

export function pfx(name: string): string {
  const path = resolve(PFX_DIR, name);
  if (!existsSync(path)) throw new Error(`fixture ausente: ${path} (../shared deve estar ao lado do repositório)`);
  return path;
}
