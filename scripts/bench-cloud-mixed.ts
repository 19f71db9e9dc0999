/**
 * The bench's timed keep-alive client and its scale-out rows (part of `npm run bench:cloud`):
 * `mixed` times each call and labels it (autocannon gives no per-request label; the mixed rows need
 * list and write times apart), `scaleOutRows` prints two instances' figures apart and together,
 * and `listBuilds` reads how a server made its list answers from its metrics.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { Row } from './bench-cloud-hostile';

type Kinds = Map<string, { latencies: number[]; statuses: Map<number, number> }>;

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const fmt = (s: Map<number, number>) => [...s].map(([k, v]) => `${k}×${v}`).join(' ');

/** A server's list answers made so far, by kind (certdesk_cloud_list_builds_total). */
export async function listBuilds(metrics: string): Promise<Record<string, number>> {
  const text = await (await fetch(metrics)).text();
  return Object.fromEntries(
    [...text.matchAll(/^certdesk_cloud_list_builds_total\{kind="(\w+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]),
  );
}

/** What a server made between two readings of listBuilds, the kinds that moved. */
export const madeBetween = (before: Record<string, number>, after: Record<string, number>) =>
  Object.entries(after)
    .filter(([kind, n]) => n !== (before[kind] ?? 0))
    .map(([kind, n]) => `${kind} ${n - (before[kind] ?? 0)}`)
    .join(', ') || 'nothing';

/**
 * `total` HTTP calls from `connections` keep-alive clients, each timed and labelled by `make`
 * (autocannon gives no per-request label; the mixed row needs list and write times apart).
 * The answer's bytes are read and dropped, gzip included, as autocannon does.
 */
export async function mixed(
  base: string,
  make: (n: number) => { kind: string; method: 'GET' | 'POST' | 'PUT'; path: string; token: string; body?: string },
  total: number,
  connections: number,
): Promise<Map<string, { latencies: number[]; statuses: Map<number, number> }>> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const out = new Map<string, { latencies: number[]; statuses: Map<number, number> }>();
  const url = new URL(base);
  let next = 0;
  const one = (r: ReturnType<typeof make>) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: url.pathname + r.path,
          headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate', authorization: `Bearer ${r.token}` },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total) {
        const r = make(next++);
        const start = performance.now();
        const status = await one(r);
        const kind = out.get(r.kind) ?? { latencies: [] as number[], statuses: new Map<number, number>() };
        kind.latencies.push(performance.now() - start);
        kind.statuses.set(status, (kind.statuses.get(status) ?? 0) + 1);
        out.set(r.kind, kind);
      }
    }),
  );
  agent.destroy();
  return out;
}

/** Two instances' mixed loads run at once: list and edit rows per instance and both together, with answers per second. */
export function scaleOutRows(a: Kinds, b: Kinds, seconds: number, clientsEach: number): Row[] {
  const rows: Row[] = [];
  for (const [who, parts] of [
    ['instance A', [a]],
    ['instance B', [b]],
    ['both', [a, b]],
  ] as const) {
    for (const [kind, what] of [
      ['list', 'list'],
      ['write', 'edit'],
    ] as const) {
      const got = parts.map((p) => p.get(kind) ?? { latencies: [], statuses: new Map<number, number>() });
      const latencies = got.flatMap((g) => g.latencies);
      const statuses = new Map<number, number>();
      for (const g of got) for (const [k, v] of g.statuses) statuses.set(k, (statuses.get(k) ?? 0) + v);
      rows.push([
        `cloud: scale-out, 2 instances × ${clientsEach} clients, 90 % list / 10 % edit, sustained — ${who}, ${what}`,
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 95)),
        `${fmt(statuses)}; ${(latencies.length / seconds).toFixed(0)}/s`,
      ]);
    }
  }
  return rows;
}
