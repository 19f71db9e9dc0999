/**
 * The ESLint config really enforces the process boundaries (a broken rule would let them rot): small
 * planted files linted against the real config. Whether the tree itself passes lint is the `npm run
 * lint` step of CI (.ci/run), not a test: linting the whole tree again here cost ~20 s of the suite.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

// The first lint loads the config, its plugins and the parsers: seconds of setup, not of any one test.
beforeAll(async () => {
  await eslint.lintText('export {};\n', { filePath: 'renderer/x.ts' });
});

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint boundaries', () => {
  it('renderer/ cannot import electron or main-process code', async () => {
    expect(await restricted('renderer/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n")).not.toEqual([]);
    expect(
      await restricted('renderer/x.ts', "import { inspectFile } from '../packages/core/pfx/inspect';\nvoid inspectFile;\n"),
    ).not.toEqual([]);
    expect(await restricted('renderer/x.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n")).not.toEqual([]);
    expect(await restricted('renderer/x.ts', "import { inspectFile } from '@certdesk/core/pfx/inspect';\nvoid inspectFile;\n")).not.toEqual(
      [],
    );
    expect(
      await restricted('renderer/x.ts', "import type { Settings } from '@certdesk/shared/contract';\nexport type S = Settings;\n"),
    ).toHaveLength(0);
  });

  it('desktop cannot import electron', async () => {
    expect(await restricted('desktop/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toEqual([]);
    expect(await restricted('desktop/x.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n")).toHaveLength(0);
  });

  it('the product never imports a stand-in server', async () => {
    expect(
      await restricted('desktop/x.ts', "import { MemoryKeychain } from '../../stand-ins/memory-keychain';\nvoid MemoryKeychain;\n"),
    ).not.toEqual([]);
    expect(
      await restricted('electron/main.ts', "import { MemoryKeychain } from '../stand-ins/memory-keychain';\nvoid MemoryKeychain;\n"),
    ).not.toEqual([]);
  });

  it('@certdesk/shared imports no Node, Electron, Vue or Pinia, and nothing of the app', async () => {
    for (const source of ['node:crypto', 'electron', 'vue', 'pinia', '@certdesk/core/errors', '#desktop/keychain', '../core/errors']) {
      expect(await restricted('packages/shared/x.ts', `import * as m from '${source}';\nvoid m;\n`)).not.toEqual([]);
    }
    expect(await restricted('packages/shared/x.ts', "import { z } from 'zod';\nvoid z;\n")).toHaveLength(0);
  });

  it('@certdesk/core imports neither the desktop, the Electron shell nor the cloud service', async () => {
    for (const source of [
      'electron',
      '../../desktop/keychain',
      '#desktop/keychain',
      '../../electron/main',
      '../../cloud-service/service',
      '@certdesk/cloud-service/service',
      '../../stand-ins/memory-keychain',
    ]) {
      expect(await restricted('packages/core/pfx/x.ts', `import * as m from '${source}';\nvoid m;\n`)).not.toEqual([]);
    }
    expect(await restricted('packages/core/pfx/x.ts', "import * as m from '@certdesk/shared/contract';\nvoid m;\n")).toHaveLength(0);
    expect(await restricted('packages/core/pfx/x.ts', "import * as m from '../errors';\nvoid m;\n")).toHaveLength(0);
  });
});
