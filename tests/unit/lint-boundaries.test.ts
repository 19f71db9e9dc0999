/** The ESLint config really enforces the process boundaries (a broken rule would let them rot). */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint boundaries', () => {
  it('renderer/ cannot import electron or main-process code', async () => {
    expect(await restricted('renderer/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n")).not.toEqual([]);
    expect(
      await restricted('renderer/x.ts', "import { inspectFile } from '../electron/core/pfx/inspect';\nvoid inspectFile;\n"),
    ).not.toEqual([]);
    expect(await restricted('renderer/x.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n")).not.toEqual([]);
    expect(await restricted('renderer/x.ts', "import { inspectFile } from '#core/pfx/inspect';\nvoid inspectFile;\n")).not.toEqual([]);
    expect(
      await restricted('renderer/x.ts', "import type { Settings } from '#shared/contract';\nexport type S = Settings;\n"),
    ).toHaveLength(0);
  });

  it('electron/core cannot import electron', async () => {
    expect(await restricted('electron/core/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toEqual([]);
    expect(await restricted('electron/core/x.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n")).toHaveLength(0);
  });

  it('the product never imports a stand-in server', async () => {
    expect(
      await restricted('electron/core/x.ts', "import { MemoryKeychain } from '../../stand-ins/memory-keychain';\nvoid MemoryKeychain;\n"),
    ).not.toEqual([]);
    expect(
      await restricted('electron/main.ts', "import { MemoryKeychain } from '../stand-ins/memory-keychain';\nvoid MemoryKeychain;\n"),
    ).not.toEqual([]);
  });

  it('shared/ imports no Node, Electron, Vue or Pinia', async () => {
    for (const source of ['node:crypto', 'electron', 'vue', 'pinia', '#core/errors']) {
      expect(await restricted('shared/x.ts', `import * as m from '${source}';\nvoid m;\n`)).not.toEqual([]);
    }
  });

  it('the project itself passes lint', async () => {
    const results = await eslint.lintFiles(['electron', 'renderer', 'shared', 'stand-ins']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  });
});
