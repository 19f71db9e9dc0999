/**
 * Bench section `sefaz`: a whole environment of 30 branches checked against the SEFAZ stand-in
 * (run as its own process, so its TLS work is not counted on the client's thread), beside the
 * reference of the same calls made the plain way — one node:https request each (a fresh
 * handshake + POST), one after the other — measured in the same run.
 *
 * Two shapes of the same 30 branches (10 states × 3, each with NF-e and CT-e): one certificate
 * serving them all (the planner makes one call per authorizer and service: 15), and one
 * certificate per branch (30 callers: 60 calls). The second uses the same PFX under 30 identities
 * — the server's work per call is the same — and opens it 30 times, as a real run would open 30 files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import type { Uf } from '@certdesk/shared/sefaz';
import { tlsCredentialsFromPfx } from '@certdesk/core/pfx/tls-credentials';
import { SefazCheckPlanner, type BranchLink, type CertificateToCheck } from '@certdesk/core/sefaz/check-planner';
import { bundledServiceTable, serviceHosts, type StatusService } from '@certdesk/core/sefaz/service-table';
import { statusRequest } from '@certdesk/core/sefaz/soap-envelope';
import { SefazStatusClient } from '@certdesk/core/sefaz/status-client';
import { secureContextFor } from '@certdesk/core/sefaz/trust';
import { median } from './bench-stats';

const FIXTURES = resolve(import.meta.dirname, '../tests/fixtures/sefaz');
const STATES: Uf[] = ['SP', 'RS', 'MA', 'SC', 'MG', 'PR', 'BA', 'GO', 'PE', 'RJ'];
const ROUNDS = 5;

async function startStandin(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'sefaz-server.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((ready, fail) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /https:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (match) ready(Number(match[1]));
    });
    child.once('exit', () => fail(new Error('o stand-in da SEFAZ não iniciou')));
  });
  child.stdout!.resume();
  return { child, port };
}

/** The same call the plain way: node:https, a fresh connection (handshake) per request. */
function plainCall(service: StatusService, port: number, key: string, cert: string, ca: string): Promise<void> {
  const { body, contentType } = statusRequest(service);
  const url = new URL(service.url);
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: url.hostname,
        path: url.pathname,
        method: 'POST',
        key,
        cert,
        ca,
        agent: false,
        headers: { Host: url.hostname, 'Content-Type': contentType },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export async function benchSefaz(): Promise<[string, string][]> {
  const { child, port } = await startStandin();
  try {
    const table = bundledServiceTable();
    const hosts = new Set(serviceHosts(table));
    const root = readFileSync(join(FIXTURES, 'root.crt'), 'utf8');
    const bytes = readFileSync(join(FIXTURES, 'clientes', 'em-operacao.pfx'));
    const client = new SefazStatusClient({
      extraTrustAnchors: [root],
      proxy: { kind: 'none' },
      connectOverride: (host) => (hosts.has(host) ? { host: '127.0.0.1', port } : null),
    });
    const links: BranchLink[] = STATES.flatMap((uf) =>
      [0, 1, 2].flatMap((i) =>
        (['nfe', 'cte'] as const).map((module) => ({ branch: `${uf}-${i}`, uf, module, environment: 'homologacao' as const })),
      ),
    );
    const open = () => tlsCredentialsFromPfx(bytes, 'SenhaTeste123');
    const fingerprint = open().fingerprint;
    const oneCertificate = (): CertificateToCheck[] => [{ fingerprint, links, credentials: async () => open() }];
    const perBranch = (): CertificateToCheck[] =>
      STATES.flatMap((uf) =>
        [0, 1, 2].map((i) => ({
          fingerprint: `${fingerprint.slice(0, 60)}${uf}${i}`,
          links: links.filter((l) => l.branch === `${uf}-${i}`),
          credentials: async () => open(),
        })),
      );

    const fresh = () => new SefazCheckPlanner(client);
    const calls = (certificates: CertificateToCheck[]) => fresh().plan(certificates);
    const plannedOne = calls(oneCertificate());
    const plannedMany = calls(perBranch());
    await fresh().run(oneCertificate()); // warm-up: module loading, JIT, the trust store

    const credentials = open();
    const caBundle = root;
    const oneRuns: number[] = [];
    const manyRuns: number[] = [];
    const plainOneRuns: number[] = [];
    const plainManyRuns: number[] = [];
    let repeat = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const planner = fresh();
      oneRuns.push(await time(() => planner.run(oneCertificate())));
      repeat = await time(() => planner.run(oneCertificate()));
      manyRuns.push(await time(() => fresh().run(perBranch())));
      plainOneRuns.push(
        await time(async () => {
          for (const call of plannedOne) await plainCall(call.service, port, credentials.key, credentials.certificateChain, caBundle);
        }),
      );
      plainManyRuns.push(
        await time(async () => {
          for (const call of plannedMany) await plainCall(call.service, port, credentials.key, credentials.certificateChain, caBundle);
        }),
      );
    }
    const preparation = await time(async () => {
      for (let i = 0; i < 30; i++) secureContextFor(open(), [root]);
    });
    const single: number[] = [];
    const plainSingle: number[] = [];
    const sp = client.service('nfe', 'SP', 'homologacao');
    for (let i = 0; i < 20; i++) {
      single.push(await time(() => client.check(credentials, sp)));
      plainSingle.push(await time(() => plainCall(sp, port, credentials.key, credentials.certificateChain, caBundle)));
    }
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    return [
      [`30 filiais, 1 certificado: CertDesk (${plannedOne.length} chamadas, 4 em paralelo)`, ms(median(oneRuns))],
      [`30 filiais, 1 certificado: referência, ${plannedOne.length} chamadas node:https em sequência`, ms(median(plainOneRuns))],
      [`30 filiais, 30 certificados: CertDesk (${plannedMany.length} chamadas, 30 PFX abertos)`, ms(median(manyRuns))],
      [`30 filiais, 30 certificados: referência, ${plannedMany.length} chamadas node:https em sequência`, ms(median(plainManyRuns))],
      ['  dos quais: abrir os 30 PFX e montar 30 contextos TLS (medido à parte)', ms(preparation)],
      ['repetição em menos de 3 min (respostas guardadas)', `${repeat.toFixed(2)} ms`],
      ['uma chamada: CertDesk (mediana de 20)', `${median(single).toFixed(1)} ms`],
      ['uma chamada: node:https, handshake + POST (mediana de 20)', `${median(plainSingle).toFixed(1)} ms`],
    ];
  } finally {
    child.kill();
  }
}
