import { beforeEach, describe, expect, it } from 'vitest';
import { useHistoryStore } from '../../renderer/stores/history';
import { useSettingsStore } from '../../renderer/stores/settings';
import { closedPortUrl, settle, startHarness, type Harness, pfx, PASSWORD } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

/** Produção with two branches' worth of history: v01 for the first branch, v25 for the second. */
async function seed(): Promise<string[]> {
  const status = await h.call<{ branches: { code: string }[] }>('workspace:setup', { environment: 'producao', kind: 'example' });
  const [a, b] = status.branches.map((x) => x.code) as [string, string];
  await h.call('certificates:install', {
    environment: 'producao',
    path: pfx('v01_default.pfx'),
    password: PASSWORD,
    selection: [{ branch: a, modules: ['faturamento'] }],
  });
  await h.call('certificates:install', {
    environment: 'producao',
    path: pfx('v25_rsa4096.pfx'),
    password: PASSWORD,
    selection: [{ branch: b, modules: ['faturamento'] }],
  });
  return [a, b];
}

async function ready() {
  const settings = useSettingsStore();
  const history = useHistoryStore();
  await settings.load();
  await settle();
  return { settings, history };
}

describe('history store', () => {
  it('lists the environment history, newest first', async () => {
    await seed();
    const { history } = await ready();
    await history.load();
    expect(history.entries.map((e) => e.action)).toEqual(['install', 'install']);
    expect(history.entries[0]!.at >= history.entries[1]!.at).toBe(true);
  });

  it('filters changed quickly: the page for the last filter is the one shown', async () => {
    const [a, b] = await seed();
    const { history } = await ready();
    const late = h.hold('history:list', (r) => r['branch'] === a);
    const later = h.hold('history:list', (r) => r['branch'] === b);
    history.branch = a!;
    await late.reached;
    history.branch = b!; // the user picked the other branch before the first page arrived
    await later.release(); // b's page arrives first…
    await late.release(); // …and a's, asked for earlier, last
    expect(history.entries.length).toBeGreaterThan(0);
    expect(history.entries.every((e) => JSON.stringify(e).includes(`"${b}"`))).toBe(true);
  });

  it('a failure is kept by code', async () => {
    await h.call('backend:set', { environment: 'producao', kind: 'cloud', url: await closedPortUrl() });
    const { history } = await ready();
    await history.load();
    expect(history.error?.code).toBe('CLOUD_OFFLINE');
    expect(history.loading).toBe(false);
  });
});
