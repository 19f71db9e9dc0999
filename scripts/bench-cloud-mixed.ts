/**
 * The bench's load client and its scale-out rows (part of `npm run bench:cloud`): `timedCalls` sends
 * the calls from keep-alive connections, times each and labels it (the mixed rows need list and write
 * times apart), `scaleOutRows` prints two instances' figures apart and together, and `listBuilds`
 * reads how a server made its list answers from its metrics.
 *
 * The client is undici's Pool: the bench, the servers and PostgreSQL share this machine's cores, so
 * what the client spends is taken from the servers. On the list's 60 KB gzip answer autocannon spent
 * ~1.0 ms of CPU per request, node:http 0.34 ms, undici 0.17–0.21 ms (the server spends ~0.5 ms); each
 * row says what the client spent.
 */
import { Pool } from 'undici';
import type { Row } from './bench-cloud-hostile';
import { counted, percentile } from './bench-stats';

type Kinds = Map<string, { latencies: number[]; statuses: Map<number, number> }>;
export interface Timed {
  kinds: Kinds;
  /** CPU this process spent per call while they ran (the client's cost; the servers are other processes). */
  clientCpuMs: number;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

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
 * `total` HTTP calls from `connections` keep-alive clients, each timed from its send to its last
 * byte and labelled by `make`'s `kind`. The answer is read whole and dropped, gzip included (as the
 * desktop receives it); the first `connections` calls open their connections (a burst's first wave).
 */
export async function timedCalls(
  base: string,
  make: (n: number) => { kind: string; method: 'GET' | 'POST' | 'PUT'; path: string; token: string; body?: string },
  total: number,
  connections: number,
): Promise<Timed> {
  const url = new URL(base);
  const pool = new Pool(url.origin, { connections, headersTimeout: 120_000, bodyTimeout: 120_000 });
  const kinds: Kinds = new Map();
  let next = 0;
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: Math.min(connections, total) }, async () => {
      while (next < total) {
        const r = make(next++);
        const start = performance.now();
        const answer = await pool.request({
          method: r.method,
          path: url.pathname.replace(/\/$/, '') + r.path,
          headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate', authorization: `Bearer ${r.token}` },
          body: r.body,
        });
        await answer.body.dump({ limit: Number.MAX_SAFE_INTEGER });
        const kind = kinds.get(r.kind) ?? { latencies: [] as number[], statuses: new Map<number, number>() };
        kind.latencies.push(performance.now() - start);
        kind.statuses.set(answer.statusCode, (kind.statuses.get(answer.statusCode) ?? 0) + 1);
        kinds.set(r.kind, kind);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  await pool.close();
  return { kinds, clientCpuMs: (used.user + used.system) / 1000 / total };
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
        `${counted(statuses)}; ${(latencies.length / seconds).toFixed(0)}/s`,
      ]);
    }
  }
  return rows;
}
