import { readFileSync } from 'node:fs';
import { UsageError } from './cli-usage-error';

/**
 * The PFX password of a `certdesk` command: never an argument (it would show in the process list),
 * but standard input (`--password-stdin`, one trailing newline dropped) or a named environment
 * variable (`--password-env NOME`); null when neither was asked for.
 */
export function readPassword(values: { 'password-stdin'?: boolean; 'password-env'?: string }): string | null {
  if (values['password-stdin'] && values['password-env']) throw new UsageError('use --password-stdin ou --password-env, não os dois');
  if (values['password-stdin']) return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  const name = values['password-env'];
  if (name) {
    const value = process.env[name];
    if (value === undefined) throw new UsageError(`a variável de ambiente ${name} não está definida`);
    return value;
  }
  return null;
}
