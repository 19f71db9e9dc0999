/** The ESLint rules around CertDesk Cloud hold, and the service's own code passes lint. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('CertDesk Cloud boundaries', () => {
  it('the desktop (electron/, desktop/) never imports cloud-service/', async () => {
    const code = "import { startCloudService } from '../../cloud-service/service';\nvoid startCloudService;\n";
    expect(await restricted('desktop/x.ts', code)).toEqual([expect.stringContaining('over HTTP')]);
    expect(
      await restricted('electron/main.ts', "import { startCloudService } from '../cloud-service/service';\nvoid startCloudService;\n"),
    ).not.toEqual([]);
  });

  it('cloud-service/ never imports Electron, the desktop, the renderer or a stand-in, but shares the core by name', async () => {
    expect(await restricted('cloud-service/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toEqual([]);
    for (const source of ['../desktop/keychain', '#desktop/keychain', '../electron/main', '../packages/core/errors']) {
      expect(await restricted('cloud-service/x.ts', `import * as m from '${source}';\nvoid m;\n`)).not.toEqual([]);
    }
    expect(
      await restricted('cloud-service/x.ts', "import { MemoryKeychain } from '../stand-ins/memory-keychain';\nvoid MemoryKeychain;\n"),
    ).not.toEqual([]);
    expect(await restricted('cloud-service/x.ts', "import { api } from '../renderer/api';\nvoid api;\n")).not.toEqual([]);
    expect(
      await restricted('cloud-service/x.ts', "import { inspectBytes } from '@certdesk/core/pfx/inspect';\nvoid inspectBytes;\n"),
    ).toEqual([]);
  });

  it('cloud-service/ and its scripts pass lint', async () => {
    const results = await eslint.lintFiles(['cloud-service', 'scripts/bench-cloud.ts']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  }, 180_000); // real work: on a loaded 2-core machine far longer than the default limit
});
