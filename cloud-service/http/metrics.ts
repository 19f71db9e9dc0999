/**
 * What an operator watches, in Prometheus' text format (prom-client): request latency per route and
 * status, sign-in failures by reason, passwords judged, PFX inspections queued, running and timed
 * out, CRLs read in the workers by outcome, list answers made by kind, and the process's own
 * figures. Served on a listener of its own (--metrics-port, loopback by default), so it can be kept
 * off the public address; one registry per service instance.
 */
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Figures a part of the service reports on demand (the inspection pool's queue and workers). */
export interface InspectionLoad {
  queued(): number;
  running(): number;
  /** Files answered TIMEOUT since the start (each ended its worker). */
  timedOut(): number;
  /** CRLs the workers read since the start, by outcome. */
  crlReads: Readonly<Record<'accepted' | 'refused' | 'failed', number>>;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'certdesk_cloud_http_request_duration_seconds',
    help: 'Duração das requisições HTTP, por rota, método e status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly signInFailures = new Counter({
    name: 'certdesk_cloud_sign_in_failures_total',
    help: 'Entradas recusadas: senha errada, tentativas demais ou conta desativada.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly passwordsJudged = new Counter({
    name: 'certdesk_cloud_passwords_judged_total',
    help: 'Senhas de usuário verificadas (scrypt); as tentativas barradas pelo limite não chegam aqui.',
    registers: [this.registry],
  });
  /** The list cache's own counts (list-cache.ts); none until watched. */
  private listCounts: Readonly<Record<'built' | 'rederived' | 'updated' | 'caughtUp', number>> = {
    built: 0,
    rederived: 0,
    updated: 0,
    caughtUp: 0,
  };
  private inspections: InspectionLoad = {
    queued: () => 0,
    running: () => 0,
    timedOut: () => 0,
    crlReads: { accepted: 0, refused: 0, failed: 0 },
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'certdesk_cloud_' });
    const load = () => this.inspections;
    new Gauge({
      name: 'certdesk_cloud_inspections_queued',
      help: 'Arquivos PFX enviados aguardando um leitor.',
      registers: [this.registry],
      collect() {
        this.set(load().queued());
      },
    });
    new Gauge({
      name: 'certdesk_cloud_inspections_running',
      help: 'Arquivos PFX sendo lidos agora.',
      registers: [this.registry],
      collect() {
        this.set(load().running());
      },
    });
    new Counter({
      name: 'certdesk_cloud_inspections_timed_out_total',
      help: 'Arquivos PFX cuja leitura passou do tempo limite (o leitor foi encerrado).',
      registers: [this.registry],
      collect() {
        // The pool counts; the counter reports its figure (never lower than the last one reported).
        this.reset();
        this.inc(load().timedOut());
      },
    });
    new Counter({
      name: 'certdesk_cloud_crl_reads_total',
      help: 'LCRs lidas e verificadas nos leitores: aceitas, recusadas (ilegível, outra AC, assinatura, inaplicável) ou falhas (tempo limite, leitor perdido).',
      labelNames: ['outcome'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [outcome, count] of Object.entries(load().crlReads)) this.inc({ outcome }, count);
      },
    });
    const list = () => this.listCounts;
    new Counter({
      name: 'certdesk_cloud_list_builds_total',
      help: 'Respostas da lista feitas: do banco inteiro (database), derivadas de novo numa data posterior (rederived), atualizadas por uma escrita desta instância (updated) ou pelo que mudou em outra (caught_up).',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const counts = list();
        this.inc({ kind: 'database' }, counts.built);
        this.inc({ kind: 'rederived' }, counts.rederived);
        this.inc({ kind: 'updated' }, counts.updated);
        this.inc({ kind: 'caught_up' }, counts.caughtUp);
      },
    });
  }

  watchList(counts: Readonly<Record<'built' | 'rederived' | 'updated' | 'caughtUp', number>>): void {
    this.listCounts = counts;
  }

  watchInspections(load: InspectionLoad): void {
    this.inspections = load;
  }

  /** The metrics listener: GET /metrics only. */
  async listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store' }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((ready, fail) => {
      server.once('error', fail);
      server.listen(port, host, () => ready());
    });
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/metrics`,
      close: () => new Promise<void>((done) => server.close(() => done())),
    };
  }
}
