/**
 * Child process for the "no OS keychain" tests: the real keychain client, started with no Secret
 * Service to reach (the parent points DBUS_SESSION_BUS_ADDRESS nowhere), installs one file and
 * prints the answer as JSON. A separate process because the native client keeps its connection.
 */
import { OsKeychain } from '#desktop/keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';

const [dataDir, file, password] = process.argv.slice(2);
const keychain = new OsKeychain(`CertDesk-test-nokeychain-${process.pid}`);
const probe = await keychain.set('probe', 'x').then(
  () => 'stored',
  (error: { code?: string }) => error.code ?? 'error',
);
const service = new WorkspaceService({
  dataDir: dataDir!,
  keychain,
  inspect: (path, pw) => inspectFile(path, { password: pw }),
  user: () => 't',
});
await service.setup('producao', { kind: 'example' });
const done = await service.install('producao', {
  path: file!,
  password: password || null,
  selection: [{ branch: '0001', modules: ['faturamento'] }],
});
const list = await service.list('producao');
process.stdout.write(
  JSON.stringify({ probe, secretNotice: done.secretNotice ?? null, holders: list.map((c) => c.certificate.holderName) }),
);
