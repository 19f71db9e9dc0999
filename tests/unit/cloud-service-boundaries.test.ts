/**
 * The ESLint rules around CertDesk Cloud hold (planted files linted against the real config); that
 * the service's own code passes lint is `npm run lint` in CI (.ci/run), which lints the whole tree.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

// The first lint loads the config, its plugins and the parsers: seconds of setup, not of any one test.
beforeAll(async () => {
  await eslint.lintText('export {};\n', { filePath: 'cloud-service/x.ts' });
});

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
});
