/**
 * "Substituir / Renovar" in the embedded workspace: now, scheduled (run when due, also after a
 * restart, exactly once), cancelled, undone, refused — with real PFX fixtures, a real data folder
 * and the history's "Substituição" entries.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { PASSWORD, pfx } from '../fixtures';

let dir: string;
let clock: Date;
let keychain: MemoryKeychain;
const open = () =>
  new WorkspaceService({
    dataDir: dir,
    keychain,
    inspect: (p, pw) => inspectFile(p, { password: pw, now: clock }),
    now: () => clock,
    user: () => 'ana',
  });
let workspace: WorkspaceService;
let oldId: string;
const LINKS = [
  { branch: '0001', module: 'faturamento' },
  { branch: '0001', module: 'recebimento-nfe' },
  { branch: '0003', module: 'faturamento' },
];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-swaps-'));
  clock = new Date('2044-12-10T12:00:00Z');
  keychain = new MemoryKeychain();
  workspace = open();
  await workspace.setup('producao', { kind: 'example' });
  const installed = await workspace.install('producao', {
    path: pfx('v01_default.pfx'),
    password: PASSWORD,
    selection: [
      { branch: '0001', modules: ['faturamento', 'recebimento-nfe'] },
      { branch: '0003', modules: ['faturamento'] },
    ],
  });
  expect(installed.certificate.links).toEqual(LINKS);
  oldId = installed.certificate.id;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const swapTo = (file: string, scheduledFor?: string) =>
  workspace.swap('producao', oldId, { path: pfx(file), password: PASSWORD, scheduledFor: scheduledFor ?? null });

describe('swapping a certificate in the embedded workspace', () => {
  it('moves every link in one step, keeps the old one as replaced, writes one Substituição entry, and undoes in one step', async () => {
    const { swap, certificate } = await swapTo('v25_rsa4096.pfx');
    expect(swap).toMatchObject({ state: 'done', scheduledFor: null, createdBy: 'ana' });
    expect(swap.results.every((r) => r.installed)).toBe(true);
    expect(certificate.links).toEqual(LINKS);
    const old = await workspace.get('producao', oldId);
    expect(old).toMatchObject({ status: 'replaced', links: [], replacedBy: { id: certificate.id, swapId: swap.id } });
    expect((await workspace.list('producao')).length).toBe(2);
    const entries = (await workspace.history('producao', { action: 'swap' })).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]!.swap).toMatchObject({ stage: 'done', from: { id: oldId }, to: { id: certificate.id } });
    expect(entries[0]!.swap!.results.map((r) => `${r.branch}:${r.module}:${r.installed}`)).toEqual([
      '0001:faturamento:true',
      '0001:recebimento-nfe:true',
      '0003:faturamento:true',
    ]);
    // The new certificate's own history shows the swap too.
    expect((await workspace.history('producao', { certificateId: certificate.id })).entries.map((e) => e.action)).toEqual(['swap']);
    await expect(workspace.edit('producao', oldId, [])).rejects.toMatchObject({ code: 'SWAP_REFUSED' });

    const undone = await workspace.undoSwap('producao', swap.id);
    expect(undone.state).toBe('undone');
    expect((await workspace.get('producao', oldId)).links).toEqual(LINKS);
    expect((await workspace.get('producao', oldId)).status).toBe('configured');
    expect((await workspace.get('producao', certificate.id)).links).toEqual([]);
    expect((await workspace.history('producao', { action: 'swap' })).entries.map((e) => e.swap!.stage)).toEqual(['undone', 'done']);
    await expect(workspace.undoSwap('producao', swap.id)).rejects.toMatchObject({ code: 'SWAP_REFUSED' });
  });

  it('refuses a certificate of another CNPJ root, saying why, and changes nothing', async () => {
    const refused = swapTo('v42_other_company.pfx');
    await expect(refused).rejects.toMatchObject({ code: 'SWAP_REFUSED', details: { reason: 'CNPJ_ROOT_DIFFERS' } });
    await expect(refused).rejects.toThrow(/outra raiz de CNPJ \(44\.555\.666; o atual é 11\.222\.333\).*213/);
    expect((await workspace.list('producao')).map((c) => c.id)).toEqual([oldId]);
    expect((await workspace.get('producao', oldId)).links).toEqual(LINKS);
    expect((await workspace.history('producao', { action: 'swap' })).entries).toEqual([]);
    await expect(swapTo('v01_default.pfx')).rejects.toMatchObject({ code: 'SWAP_REFUSED', details: { reason: 'SAME_CERTIFICATE' } });
    await expect(swapTo('v24_expired.pfx')).rejects.toMatchObject({ code: 'CERTIFICATE_EXPIRED' });
  });

  it('runs a scheduled swap when due, once, also after a restart; a second schedule waits for a cancel', async () => {
    const at = '2044-12-11T09:00:00.000Z';
    const { swap, certificate } = await swapTo('v25_rsa4096.pfx', at);
    expect(swap).toMatchObject({ state: 'pending', scheduledFor: at });
    expect(certificate).toMatchObject({ status: 'available', links: [] });
    await expect(swapTo('v25_rsa4096.pfx', at)).rejects.toMatchObject({ details: { reason: 'SWAP_PENDING' } });
    expect(await workspace.runDueSwaps('producao')).toEqual([]);

    // Closed and opened again after the moment: the new instance runs it, once.
    clock = new Date('2044-12-11T09:30:00Z');
    workspace = open();
    const ran = await workspace.runDueSwaps('producao');
    expect(ran.map((s) => s.state)).toEqual(['done']);
    expect(await workspace.runDueSwaps('producao')).toEqual([]);
    expect(await open().runDueSwaps('producao')).toEqual([]);
    expect((await open().get('producao', oldId)).status).toBe('replaced');
    expect((await open().get('producao', certificate.id)).links).toEqual(LINKS);
    expect((await open().history('producao', { action: 'swap' })).entries.map((e) => e.swap!.stage)).toEqual(['done', 'scheduled']);
    expect((await open().swaps('producao'))[0]).toMatchObject({ id: swap.id, state: 'done' });
  });

  it('cancels a pending swap, and a deletion cancels the swaps that waited on the certificate', async () => {
    const { swap, certificate } = await swapTo('v25_rsa4096.pfx', '2044-12-11T09:00:00.000Z');
    const cancelled = await workspace.cancelSwap('producao', swap.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', endedBy: 'ana' });
    clock = new Date('2044-12-12T00:00:00Z');
    expect(await workspace.runDueSwaps('producao')).toEqual([]);
    expect((await workspace.get('producao', oldId)).links).toEqual(LINKS);

    const again = await swapTo('v25_rsa4096.pfx', '2044-12-13T09:00:00.000Z');
    expect(again.certificate.id).toBe(certificate.id); // the file already installed takes over as it is
    await workspace.remove('producao', certificate.id);
    expect((await workspace.swaps('producao')).find((s) => s.id === again.swap.id)!.state).toBe('cancelled');
  });

  it('ends a due swap as failed, saying why, when it could not run in time (the new certificate expired meanwhile)', async () => {
    const { swap } = await swapTo('v25_rsa4096.pfx', '2044-12-11T09:00:00.000Z');
    clock = new Date('2045-02-01T10:00:00Z'); // the computer stayed off until after both expired
    const ran = await open().runDueSwaps('producao');
    expect(ran).toMatchObject([
      { id: swap.id, state: 'failed', failure: { message: 'Não foi possível substituir: o novo certificado está vencido.' } },
    ]);
    expect((await open().get('producao', oldId)).links).toEqual(LINKS);
    expect((await open().history('producao', { action: 'swap' })).entries[0]!.swap).toMatchObject({ stage: 'failed' });
  });
});
