/**
 * Checking whole environments the way SEFAZ tolerates, against the real stand-in: one call per
 * (certificate, authorizer, service, environment), the answer given to every branch it serves,
 * kept three minutes (a repeat answers from it, with its time), a few calls at a time, progress.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Uf } from '@certdesk/shared/sefaz';
import { SefazCheckPlanner, THREE_MINUTES, type BranchLink, type CertificateToCheck } from '@certdesk/core/sefaz/check-planner';
import { startSefazStandin, type SefazStandin } from '../../stand-ins/sefaz-server';
import { clientFor, credentialsOf } from './helpers/sefaz';

let standin: SefazStandin;
beforeAll(async () => {
  standin = await startSefazStandin();
});
afterAll(() => standin.close());
beforeEach(() => standin.reset());

const link = (branch: string, uf: Uf, module: 'nfe' | 'cte' = 'nfe'): BranchLink => ({ branch, uf, module, environment: 'homologacao' });

/** A certificate to check, counting how often its PFX is opened. */
function certificate(name: string, links: BranchLink[]): CertificateToCheck & { opened: number } {
  const credentials = credentialsOf(name);
  const entry = {
    fingerprint: credentials.fingerprint,
    links,
    opened: 0,
    credentials: async () => {
      entry.opened++;
      return credentials;
    },
  };
  return entry;
}

/** A clock the test moves by hand (the planner's "now"), so "three minutes later" needs no waiting. */
function clock() {
  let now = Date.parse('2026-03-02T12:00:00Z');
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('one call per authorizer, service and environment', () => {
  it('30 branches in SP, RS and MA (SP, RS, SVAN) plus CT-e make four calls; each branch gets its authorizer’s answer', async () => {
    const branches = [
      ...Array.from({ length: 10 }, (_, i) => link(`SP-${i}`, 'SP')),
      ...Array.from({ length: 10 }, (_, i) => link(`RS-${i}`, 'RS')),
      ...Array.from({ length: 10 }, (_, i) => link(`MA-${i}`, 'MA')),
      link('MA-0', 'MA', 'cte'),
    ];
    const cert = certificate('em-operacao', branches);
    const planner = new SefazCheckPlanner(clientFor(standin));
    const progress: [number, number][] = [];
    const results = await planner.run([cert], (p) => progress.push([p.done, p.total]));

    expect(standin.calls.map((c) => `${c.module} ${c.host} ${c.cUF}`).sort()).toEqual([
      'cte cte-homologacao.svrs.rs.gov.br 21',
      'nfe hom.sefazvirtual.fazenda.gov.br 21',
      'nfe homologacao.nfe.fazenda.sp.gov.br 35',
      'nfe nfe-homologacao.sefazrs.rs.gov.br 43',
    ]);
    expect(cert.opened).toBe(1);
    expect(progress).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(results).toHaveLength(31);
    expect(results.every((r) => r.result?.code === 'IN_OPERATION' && r.error === null)).toBe(true);
    expect(results.find((r) => r.link.branch === 'RS-7')!.result).toMatchObject({ authorizer: 'RS', cUF: 43 });
    expect(results.find((r) => r.link.branch === 'MA-3')!.result).toMatchObject({ authorizer: 'SVAN', cUF: 21 });
  });

  it('states served by one authorizer share its call (SC, ES and RJ: one SVRS call)', async () => {
    const cert = certificate('em-operacao', [link('SC', 'SC'), link('ES', 'ES'), link('RJ', 'RJ')]);
    const results = await new SefazCheckPlanner(clientFor(standin)).run([cert]);
    expect(standin.calls).toHaveLength(1);
    expect(standin.calls[0]).toMatchObject({ host: 'nfe-homologacao.svrs.rs.gov.br', cUF: 42 });
    expect(new Set(results.map((r) => r.result!.checkedAt)).size).toBe(1);
  });

  it('two certificates are two callers: each gets its own answer from the same authorizer', async () => {
    const good = certificate('em-operacao', [link('0001', 'SP')]);
    const revoked = certificate('revogado', [link('0002', 'SP')]);
    const results = await new SefazCheckPlanner(clientFor(standin)).run([good, revoked]);
    expect(results.map((r) => r.result!.code)).toEqual(['IN_OPERATION', 'CERT_REVOKED']);
    expect(standin.calls).toHaveLength(2);
  });
});

describe('answers kept three minutes', () => {
  it('a repeat within three minutes answers from the kept result, with its time; after, SEFAZ is asked again', async () => {
    const time = clock();
    const planner = new SefazCheckPlanner(clientFor(standin), { now: time.now });
    const cert = certificate('em-operacao', [link('0001', 'SP')]);
    const [first] = await planner.run([cert]);
    time.advance(THREE_MINUTES - 1000);
    const [again] = await planner.run([cert]);
    expect(standin.calls).toHaveLength(1);
    expect(cert.opened).toBe(1); // nothing to call: the PFX was not even opened
    expect(again!.result).toEqual({ ...first!.result, reused: true });
    time.advance(2000);
    const [later] = await planner.run([cert]);
    expect(standin.calls).toHaveLength(2);
    expect(later!.result!.reused).toBe(false);
  });

  it('a refusal is kept too (asking again would only count against the certificate); a failure before SEFAZ is not', async () => {
    const planner = new SefazCheckPlanner(clientFor(standin));
    const refused = certificate('ac-desconhecida', [link('0001', 'SP')]);
    await planner.run([refused]);
    await planner.run([refused]);
    expect(standin.calls.filter((c) => c.answer === 'handshake refused')).toHaveLength(1);

    // An unreachable SEFAZ (nothing listens) reached nobody: fixing the network and asking again works at once.
    const offline = new SefazCheckPlanner(clientFor(standin, { connectOverride: () => ({ host: '127.0.0.1', port: 1 }) }));
    const cert = certificate('em-operacao', [link('0001', 'SP')]);
    const [down] = await offline.run([cert]);
    const [downAgain] = await offline.run([cert]);
    expect(down!.result!.code).toBe('CONNECTION_FAILED');
    expect(downAgain!.result!.reused).toBe(false);
  });

  it('without the kept answers SEFAZ blocks repeated checking (656): why they are kept', async () => {
    const strict = await startSefazStandin({ consumptionLimit: { calls: 1, windowMs: THREE_MINUTES } });
    try {
      const cert = certificate('em-operacao', [link('0001', 'SP')]);
      // Two planners do not share what they keep: the second asks again and is blocked.
      const [first] = await new SefazCheckPlanner(clientFor(strict)).run([cert]);
      const [second] = await new SefazCheckPlanner(clientFor(strict)).run([cert]);
      expect(first!.result!.code).toBe('IN_OPERATION');
      expect(second!.result).toMatchObject({ code: 'CONSUMPTION_BLOCKED', cStat: 656 });
      // One planner keeps the first answer: the repeat never reaches the server.
      const planner = new SefazCheckPlanner(clientFor(strict));
      const other = certificate('em-operacao-legado', [link('0001', 'SP')]);
      await planner.run([other]);
      const [kept] = await planner.run([other]);
      expect(kept!.result).toMatchObject({ code: 'IN_OPERATION', reused: true });
    } finally {
      await strict.close();
    }
  });
});

describe('bounds and failures', () => {
  it('runs at most `concurrency` calls at once', async () => {
    // Every answer takes 200 ms, so calls that may overlap do: the peak is the bound, not luck.
    const held = await startSefazStandin({ slowMs: 200 });
    try {
      const client = clientFor(held);
      const ufs: Uf[] = ['SP', 'RS', 'MA', 'SC', 'MG', 'PR', 'BA', 'GO'];
      for (const uf of ufs) held.setBehaviour(client.service('nfe', uf, 'homologacao').host, 'slow');
      const cert = certificate(
        'em-operacao',
        ufs.map((uf) => link(uf, uf)),
      );
      const results = await new SefazCheckPlanner(client, { concurrency: 2 }).run([cert]);
      expect(held.calls).toHaveLength(8);
      expect(held.connections.peak).toBe(2);
      expect(results.every((r) => r.result!.ok)).toBe(true);
    } finally {
      await held.close();
    }
  });

  it('a certificate that does not open gives its error to each of its branches, and nothing is sent', async () => {
    const planner = new SefazCheckPlanner(clientFor(standin));
    const locked: CertificateToCheck = {
      fingerprint: 'ab'.repeat(32),
      links: [link('0001', 'SP'), link('0002', 'RS')],
      credentials: async () => {
        const { CertdeskError } = await import('@certdesk/core/errors');
        throw new CertdeskError('PASSWORD_REQUIRED', 'Este arquivo é protegido por senha. Informe a senha.');
      },
    };
    const results = await planner.run([locked]);
    expect(results.map((r) => [r.result, r.error?.code])).toEqual([
      [null, 'PASSWORD_REQUIRED'],
      [null, 'PASSWORD_REQUIRED'],
    ]);
    expect(standin.calls).toEqual([]);
  });

  it('an unknown state is refused before any call', () => {
    const planner = new SefazCheckPlanner(clientFor(standin));
    expect(() => planner.plan([certificate('em-operacao', [link('X', 'XX' as Uf)])])).toThrow(/UF desconhecida/);
  });
});
