import { beforeEach, describe, expect, it } from 'vitest';
import { useInspectorStore } from '../../renderer/stores/inspector';
import { startHarness, type Harness, bad, pfx, PASSWORD } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

describe('inspector store', () => {
  it('opens a file, asks for its password, and reads it with the password', async () => {
    const inspector = useInspectorStore();
    await inspector.openPaths([{ name: 'v01_default.pfx', path: pfx('v01_default.pfx') }]);
    expect(inspector.single?.status).toBe('locked');
    expect(inspector.passwordFor).toBe(inspector.single?.id);
    await inspector.submitPassword('errada', false);
    expect(inspector.single?.wrongPassword).toBe(true);
    await inspector.submitPassword(PASSWORD, false);
    expect(inspector.single?.status).toBe('done');
    expect(inspector.passwordFor).toBeNull();
  });

  it('keeps a failure by code', async () => {
    const inspector = useInspectorStore();
    await inspector.openPaths([{ name: 'random.bin', path: bad('random.bin') }]);
    expect(inspector.single?.status).toBe('error');
    expect(inspector.single?.error?.code).toBe('NOT_PKCS12');
  });

  it('an answer for a batch the user replaced never lands in the new one', async () => {
    const inspector = useInspectorStore();
    const late = h.hold('pfx:inspect', (r) => String(r['path']).endsWith('v12_empty_pass.pfx'));
    const first = inspector.openPaths([{ name: 'v12_empty_pass.pfx', path: pfx('v12_empty_pass.pfx') }]);
    await late.reached;
    await inspector.openPaths([{ name: 'random.bin', path: bad('random.bin') }]);
    await late.release();
    await first;
    expect(inspector.items).toHaveLength(1);
    expect(inspector.single).toMatchObject({ name: 'random.bin', status: 'error' });
  });

  it('a folder the walk could not list is a row of its own, after the files, and is never read', async () => {
    const inspector = useInspectorStore();
    const opened = await inspector.openIntake(async () => ({
      files: [{ name: 'lote/v12_empty_pass.pfx', path: pfx('v12_empty_pass.pfx') }],
      truncated: false,
      unreadable: [{ name: 'lote/fechada', code: 'EACCES' }],
    }));
    expect(opened).toBe(true);
    expect(inspector.items.map((i) => [i.name, i.status])).toEqual([
      ['lote/v12_empty_pass.pfx', 'done'],
      ['lote/fechada/', 'error'],
    ]);
    expect(inspector.items[1]!.error).toMatchObject({ code: 'UNREADABLE_FOLDER', message: expect.stringContaining('EACCES') });
  });

  it('a drop of only unreadable folders still says so (not "no PFX file")', async () => {
    const inspector = useInspectorStore();
    expect(
      await inspector.openIntake(async () => ({ files: [], truncated: false, unreadable: [{ name: 'fechada', code: 'EPERM' }] })),
    ).toBe(true);
    expect(inspector.single).toMatchObject({ name: 'fechada/', status: 'error', error: { code: 'UNREADABLE_FOLDER' } });
    expect(await inspector.openIntake(async () => ({ files: [], truncated: false, unreadable: [] }))).toBe(false);
  });
});
