/**
 * Bench section `crl`: the 5 MB CRL of the CA stand-in — CertDesk's parse (one pass, serial index)
 * and lookup, the same read in a worker of the PFX pool as CertDesk Cloud does it (round trip, and
 * the event loop's delay meanwhile, beside the same on the calling thread), beside references measured in the same run: `openssl crl -noout` on the same file,
 * node:crypto parsing one certificate, the index as a Map of hex strings, and the library's full
 * object tree (@peculiar/asn1-x509 over asn1js) on a smaller CRL of the same shape.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fromBER } from 'asn1js';
import { AsnParser } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { acceptCrl, CrlIndex } from '@certdesk/core/trust/crl-index';
import { PoolCertificate } from '@certdesk/core/trust/certificate-pool';
import { crlFromAnswer, crlJob } from '@certdesk/core/trust/crl-worker-job';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { childrenOf, readTlv } from '@certdesk/core/trust/der-walk';
import { startCaServer } from '../stand-ins/ca-server';
import { serialOf } from './fixtures/ca-pki';
import { median } from './bench-stats';

const ms = (value: number) => `${value.toFixed(2)} ms`;

function samples(count: number, fn: () => void): number {
  fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The straightforward index, for comparison: every serial as a hex string in a Map. */
function mapIndex(der: Buffer): Map<string, number> {
  const outer = readTlv(der, 0);
  const [tbs] = childrenOf(der, outer);
  const revoked = childrenOf(der, tbs!).find((f) => f.tag === 0x30 && f.end - f.start > 1024)!;
  const map = new Map<string, number>();
  for (let offset = revoked.valueStart; offset < revoked.end;) {
    const entry = readTlv(der, offset, revoked.end);
    const serial = readTlv(der, entry.valueStart, entry.end);
    map.set(der.toString('hex', serial.valueStart, serial.end), entry.start);
    offset = entry.end;
  }
  return map;
}

/** The event loop's delay (p50 and max, ms) over `count` reads, each of a fresh copy, one after the other. */
async function loopDelay(count: number, read: (copy: Buffer) => Promise<unknown>, der: Buffer): Promise<string> {
  await read(Buffer.from(der)); // warm: a worker started, its code loaded
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  for (let i = 0; i < count; i++) await read(Buffer.from(der));
  delay.disable();
  return `${ms(delay.percentile(50) / 1e6)} / ${ms(delay.max / 1e6)}`;
}

/**
 * The cloud's way and the desktop's, with the event loop's delay meanwhile: the cloud reads each
 * CRL in a worker of the PFX pool (here a pool of one), the bytes and the table by transfer; the
 * desktop on its own thread. The max of both is set mostly by the collections the 5 MB buffers
 * trigger (external memory), not by the read.
 */
async function whereItRuns(der: Buffer, issuer: PoolCertificate, count: number): Promise<[string, string][]> {
  const pool = new PfxWorkerPool(1, 10_000);
  try {
    const inWorker = async (copy: Buffer) => {
      const { job, transfer } = crlJob(copy, issuer);
      return crlFromAnswer(await pool.readCrl(job, transfer));
    };
    await inWorker(Buffer.from(der));
    const trips: number[] = [];
    for (let i = 0; i < count; i++) {
      const copy = Buffer.from(der);
      const start = performance.now();
      await inWorker(copy);
      trips.push(performance.now() - start);
    }
    const here = { subjectKey: issuer.subjectKey, publicKey: issuer.x509.publicKey };
    const onThisThread = async (copy: Buffer) => {
      acceptCrl(copy, here);
      await new Promise((next) => setTimeout(next, 1));
    };
    return [
      [`CertDesk Cloud: o mesmo num worker do pool (ida e volta, mediana de ${count})`, ms(median(trips))],
      [`CertDesk Cloud: atraso do laço de eventos nessas ${count} leituras (p50 / máx.)`, await loopDelay(count, inWorker, der)],
      [`referência: atraso do laço lendo nesta thread (p50 / máx.)`, await loopDelay(count, onThisThread, der)],
    ];
  } finally {
    await pool.close();
  }
}

async function crlBytes(bigCrlBytes: number): Promise<{ der: Buffer; issuer: X509Certificate; acDer: Buffer }> {
  const ca = await startCaServer({ bigCrlBytes });
  try {
    const der = Buffer.from(await (await fetch(`${ca.url}/lcr/grande.crl`)).arrayBuffer());
    return { der, issuer: new X509Certificate(ca.pki.ac.der), acDer: ca.pki.ac.der };
  } finally {
    await ca.close();
  }
}

export async function benchCrl(hasOpenssl: boolean): Promise<[string, string][]> {
  const { der, issuer, acDer } = await crlBytes(5 * 1024 * 1024);
  const rows: [string, string][] = [];
  let index = CrlIndex.parse(der);
  rows.push([`CRL: ${(der.length / 1024 / 1024).toFixed(2)} MB, ${index.size} entradas`, '']);
  rows.push(['CertDesk: ler e indexar (CrlIndex.parse, mediana de 9)', ms(samples(9, () => (index = CrlIndex.parse(der))))]);
  rows.push(['CertDesk: conferir a assinatura (node:crypto, TBS de 5 MB)', ms(samples(9, () => index.verify(issuer.publicKey)))]);
  const acIssuer = new PoolCertificate(acDer, 'file');
  const here = { subjectKey: acIssuer.subjectKey, publicKey: issuer.publicKey };
  rows.push(['CertDesk: ler, indexar e conferir nesta thread (acceptCrl, desktop)', ms(samples(9, () => acceptCrl(der, here)))]);
  rows.push(...(await whereItRuns(der, acIssuer, 9)));
  // Lookups: the revoked serial (hit, its entry read by the library) and absent serials (miss).
  const hit = serialOf('lcr-grande').toString(16);
  rows.push(['CertDesk: consulta de um número de série listado', ms(samples(999, () => index.lookup(hit)))]);
  let miss = 0;
  rows.push(['CertDesk: consulta de um número de série ausente', ms(samples(999, () => index.lookup((miss++ * 7919).toString(16))))]);
  rows.push(['alternativa: índice em Map de strings hex (mesma passada)', ms(samples(9, () => mapIndex(der)))]);
  rows.push(['referência: node:crypto X509Certificate (um certificado)', ms(samples(99, () => new X509Certificate(issuer.raw)))]);
  if (hasOpenssl) {
    const folder = await mkdtemp(join(tmpdir(), 'certdesk-bench-crl-'));
    try {
      const file = join(folder, 'grande.crl');
      await writeFile(file, der);
      rows.push([
        'referência: openssl crl -noout (processo, mesmo arquivo)',
        ms(samples(5, () => execFileSync('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout'], { stdio: 'pipe' }))),
      ]);
      rows.push([
        'referência: openssl version (só iniciar o processo)',
        ms(samples(5, () => execFileSync('openssl', ['version'], { stdio: 'pipe' }))),
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
  // The library's whole tree: asn1js refuses more than 10,000 nodes by default; raised here, on 0.5 MB.
  const small = await crlBytes(512 * 1024);
  rows.push([
    `biblioteca: árvore inteira de ${(small.der.length / 1024).toFixed(0)} KB (asn1js + @peculiar/asn1-x509, 1 vez)`,
    ms(
      samples(1, () => {
        const tree = fromBER(small.der, { maxNodes: 100_000_000 } as never);
        AsnParser.fromASN(tree.result, CertificateList);
      }),
    ),
  ]);
  return rows;
}
