import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '@certdesk/shared/workspace';
import { CHUNK_SIZE, HistoryLog } from '@certdesk/core/workspace/history-log';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-history-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entry = (n: number): HistoryEntry => ({
  id: randomUUID(),
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  user: 'ana',
  environment: 'producao',
  action: n % 3 === 0 ? 'edit' : 'install',
  certificate: { id: `c${n % 7}`, sha256: 'x', holderName: `Empresa ${n}`, cnpj: null, cpf: null, notAfter: '2045-01-01T00:00:00.000Z' },
  results: [{ branch: n % 2 ? '0001' : '0002', module: 'faturamento', installed: true, observation: null }],
});

describe('segmented history', () => {
  // 2,500 fsynced appends: seconds on an idle machine, far more on a loaded one; the limit is generous.
  it('spreads entries over documents of 1,000 and lists newest first across them', { timeout: 120_000 }, async () => {
    const log = await HistoryLog.open(dir);
    const total = CHUNK_SIZE * 2 + 500;
    for (let n = 0; n < total; n++) await log.append(entry(n));
    expect((await readdir(dir)).filter((n) => n.endsWith('.json')).sort()).toEqual(['000001.json', '000002.json', '000003.json']);

    const reopened = await HistoryLog.open(dir);
    expect(await reopened.count()).toBe(total);
    const page = await reopened.list({ limit: 3 });
    expect(page.entries.map((e) => e.certificate.holderName)).toEqual([
      `Empresa ${total - 1}`,
      `Empresa ${total - 2}`,
      `Empresa ${total - 3}`,
    ]);
    const byCert = await reopened.list({ certificateId: 'c3', limit: 1000 });
    expect(byCert.entries.every((e) => e.certificate.id === 'c3')).toBe(true);
    expect(byCert.entries.length).toBe(Math.ceil((total - 3) / 7));
    const edits = await reopened.list({ action: 'edit', branch: '0002', limit: 1000 });
    expect(edits.entries.every((e) => e.action === 'edit' && e.results![0]!.branch === '0002')).toBe(true);
  });
});
