import { beforeEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { useSefazStore } from '../../renderer/stores/sefaz';
import { useSettingsStore } from '../../renderer/stores/settings';
import { settle, startHarness, type Harness } from './stores-harness';

let h: Harness;
// The first one starts the core server and the stand-in (its CA issues a certificate for every host): a bound on waiting, not a measure.
beforeEach(async () => {
  h = await startHarness();
  await h.sefazStandin({ reset: true });
}, 60_000);

const client = (name: string) => resolve(import.meta.dirname, '../fixtures/sefaz/clientes', `${name}.pfx`);
/** The stand-in's client certificates (tests/fixtures/sefaz/clientes.json) open with this password. */
const SEFAZ_PASSWORD = 'SenhaTeste123';

/** Homologação with a São Paulo branch for each of `files`, its CNPJ the certificate's (so it can serve it); answers their ids. */
async function seed(files: { file: string; cnpj: string }[]): Promise<string[]> {
  const branches = files.map((f, i) => ({ code: `SP${i}`, name: `Filial ${i}`, cnpj: f.cnpj, modules: ['faturamento'], uf: 'SP' }));
  const modules = [{ id: 'faturamento', name: 'Faturamento', licensed: true }];
  await h.call('workspace:setup', { environment: 'homologacao', kind: 'guided', branches, modules });
  const ids: string[] = [];
  for (const [i, f] of files.entries()) {
    const installed = await h.call<{ certificate: { id: string } }>('certificates:install', {
      environment: 'homologacao',
      path: client(f.file),
      password: SEFAZ_PASSWORD,
      selection: [{ branch: branches[i]!.code, modules: ['faturamento'] }],
    });
    ids.push(installed.certificate.id);
  }
  return ids;
}

async function ready() {
  const settings = useSettingsStore();
  await settings.load();
  await settings.setEnvironment('homologacao');
  await settle();
  return { settings, sefaz: useSefazStore() };
}

describe('sefaz store', () => {
  it('checks the whole environment, counts what it found, and the list reads the kept results back', async () => {
    const [ok, revoked] = await seed([
      { file: 'em-operacao', cnpj: '10107000000149' },
      { file: 'revogado', cnpj: '10284000000114' },
    ]);
    const { sefaz } = await ready();
    expect(sefaz.summaries.size).toBe(0);
    await sefaz.checkAll([ok!, revoked!]);
    expect(sefaz.run).toMatchObject({ done: 2, total: 2, ok: 1, problems: 1, needPassword: [], failed: [], finished: true });
    expect(sefaz.summaries.get(ok!)).toMatchObject({ state: 'ok' });
    expect(sefaz.summaries.get(revoked!)).toMatchObject({ state: 'problem', code: 'CERT_REVOKED', cStat: 284 });
    expect(await h.sefazStandin()).toEqual({ calls: 2 });

    // Another window (fresh stores on the same core) reads the kept results: the list's icons after a restart.
    setActivePinia(createPinia());
    const { sefaz: again } = await ready();
    await again.load();
    expect([...again.summaries.keys()].sort()).toEqual([ok!, revoked!].sort());
    expect(again.summaries.get(revoked!)).toEqual(sefaz.summaries.get(revoked!));
  });

  it("a check answered after the environment changed is not shown as the new environment's", async () => {
    const [ok] = await seed([{ file: 'em-operacao', cnpj: '10107000000149' }]);
    const { settings, sefaz } = await ready();
    const late = h.hold('sefaz:check');
    const checking = sefaz.check(ok!);
    await late.reached;
    expect(sefaz.checking.has(ok!)).toBe(true);
    await settings.setEnvironment('producao');
    await settle();
    await late.release();
    await checking;
    expect(sefaz.summaries.size).toBe(0);
    expect(sefaz.checking.size).toBe(0);
  });
});
