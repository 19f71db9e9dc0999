/**
 * Child process for the crash test: edits one installed certificate in a loop and prints
 * `C <n>` once each edit has returned (confirmed). The parent kills it at random moments.
 */
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { MemoryKeychain } from '../../../stand-ins/memory-keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';

const [dataDir, id, startArg] = process.argv.slice(2);
const service = new WorkspaceService({
  dataDir: dataDir!,
  keychain: new MemoryKeychain(),
  inspect: (path, password) => inspectFile(path, { password }),
  user: () => 'crash-test',
});

/** Selection n: alternates between two branch/module sets so every edit changes the state. */
export const selectionFor = (n: number) =>
  n % 2 === 0 ? [{ branch: '0001', modules: ['faturamento'] }] : [{ branch: '0002', modules: ['recebimento-cte'] }];

await service.status('producao');
process.stdout.write('READY\n');
for (let n = Number(startArg); ; n++) {
  await service.edit('producao', id!, selectionFor(n));
  process.stdout.write(`C ${n}\n`);
}
