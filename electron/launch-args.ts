/**
 * Which PFX files a launch asks to open: command-line arguments of a first or second launch
 * (Windows and Linux file association), without Electron's and Chromium's own flags.
 */
import { isAbsolute, resolve } from 'node:path';
import { PFX_FILE_NAME } from '@certdesk/shared/pfx';

export function pfxPathsFromArgv(args: string[], cwd: string): string[] {
  return args.filter((arg) => !arg.startsWith('-') && PFX_FILE_NAME.test(arg)).map((arg) => (isAbsolute(arg) ? arg : resolve(cwd, arg)));
}
