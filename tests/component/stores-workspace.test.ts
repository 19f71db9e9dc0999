import { beforeEach, describe, expect, it } from 'vitest';
import { useSettingsStore } from '../../renderer/stores/settings';
import { useWorkspaceStore } from '../../renderer/stores/workspace';
import { closedPortUrl, settle, startHarness, type Harness } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

async function ready() {
  const settings = useSettingsStore();
  const workspace = useWorkspaceStore();
  await settings.load();
  await settle();
  return { settings, workspace };
}

describe('workspace store', () => {
  it('sets up the example and saves a branch, the status following each answer', async () => {
    const { workspace } = await ready();
    await workspace.load();
    expect(workspace.status?.ready).toBe(false);
    await workspace.setupExample();
    expect(workspace.status?.ready).toBe(true);
    const first = workspace.status!.branches[0]!;
    expect(first.uf).toBe('SP'); // the example's branches say their states
    await workspace.saveBranch({ ...first, name: 'Matriz renomeada', uf: 'MA' }, first.code);
    expect(workspace.branch(first.code)).toMatchObject({ name: 'Matriz renomeada', uf: 'MA' });
  });

  it('a load that answers after a change never puts the older status back', async () => {
    const { workspace } = await ready();
    const late = h.hold('workspace:status');
    const loading = workspace.load();
    await late.reached; // the core answered "not set up"…
    await workspace.setupExample(); // …and the user set it up meanwhile
    await late.release();
    await loading;
    expect(workspace.status?.ready).toBe(true);
    expect(workspace.loading).toBe(false);
  });

  it("a status answered for the environment left behind is not shown as the new one's", async () => {
    await h.call('workspace:setup', { environment: 'producao', kind: 'example' });
    const { settings, workspace } = await ready();
    const late = h.hold('workspace:status', (r) => r['environment'] === 'producao');
    const loading = workspace.load();
    await late.reached;
    await settings.setEnvironment('homologacao');
    await settle();
    await late.release();
    await loading;
    expect(workspace.status?.ready).toBe(false); // Homologação is not set up
  });

  it('offline, the status read before stays and the failure is kept by code; a refused change is thrown', async () => {
    await h.call('workspace:setup', { environment: 'producao', kind: 'example' });
    const { workspace } = await ready();
    await workspace.load();
    await h.call('backend:set', { environment: 'producao', kind: 'cloud', url: await closedPortUrl() });
    await workspace.load();
    expect(workspace.status?.ready).toBe(true);
    expect(workspace.offline?.code).toBe('CLOUD_OFFLINE');
    expect(workspace.error).toBeNull();
    await expect(workspace.saveModules([])).rejects.toMatchObject({ code: 'CLOUD_OFFLINE' });
  });
});
