/** The ESLint rules around CertDesk Cloud hold, and the service's own code passes lint. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('CertDesk Cloud boundaries', () => {
  it('the desktop (electron/**) never imports cloud-service/', async () => {
    const code = "import { startCloudService } from '../../cloud-service/service';\nvoid startCloudService;\n";
    expect(await restricted('electron/core/x.ts', code)).toEqual([expect.stringContaining('over HTTP')]);
    expect(
      await restricted('electron/main.ts', "import { startCloudService } from '../cloud-service/service';\nvoid startCloudService;\n"),
    ).not.toEqual([]);
  });

  it('cloud-service/ never imports Electron, the renderer or a stand-in, but may reuse the core', async () => {
    expect(await restricted('cloud-service/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toEqual([]);
    expect(
      await restricted('cloud-service/x.ts', "import { MemoryKeychain } from '../stand-ins/memory-keychain';\nvoid MemoryKeychain;\n"),
    ).not.toEqual([]);
    expect(await restricted('cloud-service/x.ts', "import { api } from '../renderer/api';\nvoid api;\n")).not.toEqual([]);
    expect(await restricted('cloud-service/x.ts', "import { inspectBytes } from '#core/pfx/inspect';\nvoid inspectBytes;\n")).toEqual([]);
  });

  it('cloud-service/ and its scripts pass lint', async () => {
    const results = await eslint.lintFiles([
      'cloud-service',
      'scripts/cloud-server.ts',
      'scripts/cloud-admin.ts',
      'scripts/bench-cloud.ts',
    ]);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  });
});
