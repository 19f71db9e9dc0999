/**
 * `npm run bench:cloud`: CertDesk Cloud at 100 tenants × 1,000 certificates on PostgreSQL (a
 * throwaway cluster, or DATABASE_URL), the built server as its own process (cloud-service/dist/server.js, built first),
 * driven by 50 concurrent keep-alive clients (undici, bench-cloud-mixed.ts): list (one tenant's 1,000 certificate rows per
 * call, tenants in turn: built from the database, from the list cache, right after a write in every
 * tenant — the kept answer updated by the write — right after a write in every tenant made on a
 * second instance on the same PostgreSQL — caught up by the changed rows — and the same rebuilt,
 * the fallback), a mixed load (50 clients, 90 % lists and 10 % installs or edits across tenants,
 * sustained; timed per request by the bench's own keep-alive client), the same mixed load on two
 * instances at once (25 clients each, edits on both), and install (a real PFX into
 * an empty environment, 500 distinct installs), and one tenant's list while another uploads
 * hostile files (bench-cloud-hostile.ts).
 * Reference, in the same run: the same calls on the desktop's embedded workspace (WorkspaceService,
 * in-process, 1,000 certificates), 50 at a time.
 * Options: --tenants N (100) --certificates N (1000) --requests N (500) --sustained N (5000) --connections N (50).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateRow } from '@certdesk/shared/certificate-row';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { EXAMPLE_BRANCHES, EXAMPLE_MODULES } from '@certdesk/core/workspace/example-workspace';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { MemoryKeychain } from '../stand-ins/memory-keychain';
import { PASSWORD, pfx } from '../tests/fixtures';
import { parseKek } from '../cloud-service/crypto';
import { openPostgres } from '../cloud-service/db/database';
import { migrate } from '../cloud-service/db/migrate';
import { TenantWorkspace } from '../cloud-service/tenant-workspace';
import { Tenants } from '../cloud-service/tenants';
import { hostileUploadRows } from './bench-cloud-hostile';
import { listBuilds, madeBetween, scaleOutRows, timedCalls } from './bench-cloud-mixed';
import { counted, percentile } from './bench-stats';
import { seedWorkspace } from './bench-workspace';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TENANTS = arg('tenants', 100);
const CERTIFICATES = arg('certificates', 1000);
const REQUESTS = arg('requests', 500);
const CONNECTIONS = arg('connections', 50);
const SUSTAINED = arg('sustained', 5000);
const FILES = ['v01_default.pfx', 'v23_ecpf.pfx', 'v26_ec_p256.pfx', 'v41_alnum_cnpj.pfx', 'v42_other_company.pfx'];
const USER_PASSWORD = 'Bench#2026-senha';
// A fixed KEK: the bench's data is thrown away with its cluster.
const KEK = parseKek('0f'.repeat(32));

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Per tenant code (B1…), the id of one seeded certificate in producao: what the mixed load edits. */
async function seed(url: string): Promise<Map<string, string>> {
  const db = await openPostgres(url);
  try {
    await migrate(db);
    const tenants = new Tenants(db, [KEK]);
    const workspace = new TenantWorkspace(db, tenants, () => new Date());
    for (let t = 1; t <= TENANTS; t++) {
      const { id } = await tenants.add(`B${t}`, `Empresa ${t}`);
      await tenants.addUser({ login: `B${t}.admin`, sso: false, name: `Admin ${t}`, role: 'administrator', password: USER_PASSWORD });
      for (const environment of ['producao', 'homologacao'])
        await db.query('insert into workspaces (tenant_id, environment, setup, branches, modules) values ($1, $2, $3, $4, $5)', [
          id,
          environment,
          'example',
          JSON.stringify(EXAMPLE_BRANCHES),
          JSON.stringify(EXAMPLE_MODULES),
        ]);
    }
    // One real install gives the record every seeded row copies (ids and fingerprints changed).
    const [first] = await db.query<{ id: string; tenant_id: string }>("select id, tenant_id from users where login = 'b1.admin'");
    const caller = {
      tenantId: first!.tenant_id,
      tenantCode: 'B1',
      userId: first!.id,
      name: 'bench',
      login: 'B1.admin',
      role: 'administrator' as const,
    };
    const template = await workspace.install(caller, 'producao', {
      fileName: 'modelo.pfx',
      pfx: await readFile(pfx('v01_default.pfx')),
      password: PASSWORD,
      selection: [{ branch: '0001', modules: ['faturamento'] }],
    });
    const { status: _s, daysRemaining: _d, ...record } = template.certificate;
    const { status: _cs, daysRemaining: _cd, ...facts } = record.certificate;
    await db.query('delete from certificates');
    await db.query('delete from history');
    await db.query(
      `insert into certificates (id, tenant_id, environment, sha256, record)
       select r.id, r.tenant_id, 'producao', r.sha,
              jsonb_set(jsonb_set(jsonb_set($1::jsonb, '{id}', to_jsonb(r.id::text)),
                '{certificate,fingerprints,sha256}', to_jsonb(r.sha)), '{fileName}', to_jsonb('empresa-' || r.g || '.pfx'))
         from (select gen_random_uuid() as id, t.id as tenant_id, g, encode(sha256((t.id::text || ':' || g)::bytea), 'hex') as sha
                 from tenants t, generate_series(1, $2::int) g) r`,
      [JSON.stringify({ ...record, certificate: facts }), CERTIFICATES],
    );
    await db.query('analyze');
    const picked = await db.query<{ code: string; id: string }>(
      `select distinct on (t.code) t.code, c.id from certificates c join tenants t on t.id = c.tenant_id
        where c.environment = 'producao' order by t.code, c.created_at`,
    );
    return new Map(picked.map((r) => [r.code, r.id]));
  } finally {
    await db.close();
  }
}

/** A server process on the database, with its metrics listener (how its list answers were made). */
function startServer(url: string): Promise<{ url: string; metrics: string; stop: () => void }> {
  const child = spawn(process.execPath, ['cloud-service/dist/server.js', '--port', '0', '--metrics-port', '0'], {
    env: { ...process.env, DATABASE_URL: url, CERTDESK_CLOUD_KEK: KEK.key.toString('base64') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    // The JSON log goes on (one line per request, as in production); only its start is read.
    let out = '';
    let started = false;
    child.stdout.on('data', (d) => {
      if (started) return;
      out += d;
      const found = /CertDesk Cloud em (http[^\s"]+)/.exec(out)?.[1];
      const metrics = /"metrics":"(http[^"]+)"/.exec(out)?.[1];
      if (found && metrics) {
        started = true;
        resolve({ url: found, metrics, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => reject(new Error(`servidor parou (${code})`)));
  });
}

/** `amount` calls from `connections` keep-alive clients (bench-cloud-mixed.ts), each built by `make(n)`; latencies of every answer. */
async function load(
  base: string,
  make: (n: number) => { method: 'GET' | 'POST' | 'PUT'; path: string; token: string; body?: string },
  connections = CONNECTIONS,
  amount = REQUESTS,
) {
  const { kinds, clientCpuMs } = await timedCalls(base, (n) => ({ kind: 'all', ...make(n) }), amount, connections);
  const all = kinds.get('all') ?? { latencies: [], statuses: new Map<number, number>() };
  return { ...all, clientCpuMs };
}

/** `total` calls of `fn`, `CONNECTIONS` at a time, timing each. */
async function pool(total: number, fn: (n: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONNECTIONS, total) }, async () => {
      while (next < total) {
        const n = next++;
        const start = performance.now();
        await fn(n);
        samples.push(performance.now() - start);
      }
    }),
  );
  return samples;
}

// The server runs as operators run it: built to plain JavaScript.
execFileSync('npm', ['run', '--silent', 'build', '-w', 'cloud-service'], { stdio: 'inherit' });
const cluster = process.env['DATABASE_URL']
  ? null
  : (JSON.parse(execFileSync('node', ['scripts/postgres-cluster.mjs', 'start'], { encoding: 'utf8' })) as { dir: string; url: string });
const databaseUrl = process.env['DATABASE_URL'] ?? cluster!.url;
const rows: [string, string, string, string][] = [];
let answerSize = 0;
let answerGzip = 0;
let scaleNote = '';
let stopOther = () => {};
try {
  console.log(`semeando ${TENANTS} clientes × ${CERTIFICATES} certificados…`);
  let start = performance.now();
  const editable = await seed(databaseUrl);
  console.log(`  pronto em ${((performance.now() - start) / 1000).toFixed(1)} s`);
  const server = await startServer(databaseUrl);
  try {
    const tokens: string[] = [];
    for (let t = 1; t <= TENANTS; t++) {
      const response = await fetch(`${server.url}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'cloud', login: `B${t}.admin`, password: USER_PASSWORD }),
      });
      tokens.push(((await response.json()) as { token: string }).token);
    }
    const listPath = '/environments/producao/certificates';
    const listing = (n: number) => ({ method: 'GET' as const, path: listPath, token: tokens[n % TENANTS]! });
    // One client first, every tenant once: each answer built from PostgreSQL (nothing cached yet).
    const single = await load(server.url, listing, 1, TENANTS);
    // One client on lists that did not change: the service time of a cached answer, nothing queued.
    const singleCached = await load(server.url, listing, 1, TENANTS);
    // Then 50 clients on lists that did not change (the cache's answer: one revision read each):
    // first as they arrive, all 50 connecting at once (a burst, the slowest answers are the first
    // ones queued), then sustained — the same 50 clients over SUSTAINED requests, which is what a
    // portal in use sees. Both are printed: the target is judged on both, not on the kinder one.
    const list = await load(server.url, listing);
    const sustained = await load(server.url, listing, CONNECTIONS, SUSTAINED);
    // 50 clients right after a real write (an edit) in every tenant: the write updated the kept
    // answer by its row, so the first list after it is served as kept — no build.
    const edit = (t: number, n: number) => ({
      method: 'PUT' as const,
      path: `/environments/producao/certificates/${editable.get(`B${t + 1}`)}/links`,
      token: tokens[t]!,
      body: JSON.stringify({ selection: [{ branch: n % 2 ? '0001' : '0003', modules: ['faturamento'] }] }),
    });
    const edits = await load(server.url, (n) => edit(n % TENANTS, Math.floor(n / TENANTS)), CONNECTIONS, TENANTS);
    const afterWrites = await load(server.url, listing, CONNECTIONS, TENANTS);
    // And 50 clients right after a real write in every tenant made on ANOTHER instance — a second
    // server on the same PostgreSQL, as behind a load balancer: this instance's kept answers are at
    // the revision before it, and each is caught up by the rows the write changed (migration 006).
    const other = await startServer(databaseUrl);
    stopOther = other.stop;
    await load(other.url, listing, 1, TENANTS); // its first answers, as this one's were (rows above)
    const editsElsewhere = await load(other.url, (n) => edit(n % TENANTS, 1), CONNECTIONS, TENANTS);
    let made = await listBuilds(server.metrics);
    const caughtUp = await load(server.url, listing, CONNECTIONS, TENANTS);
    const caughtUpMade = madeBetween(made, (made = await listBuilds(server.metrics)));
    // The same once more, with every workspace's removals marked pruned past this instance's kept
    // revisions: catching up is refused and each tenant's first list is rebuilt from PostgreSQL —
    // the fallback, and what every write on another instance cost before migration 006.
    await load(other.url, (n) => edit(n % TENANTS, 2), CONNECTIONS, TENANTS);
    const pruned = await openPostgres(databaseUrl, 1);
    await pruned.query('update workspaces set removals_from = revision');
    await pruned.close();
    const rebuilt = await load(server.url, listing, CONNECTIONS, TENANTS);
    const rebuiltMade = madeBetween(made, (made = await listBuilds(server.metrics)));
    // Mixed, sustained: 50 clients, every tenth call a write (installs and edits in turn, in the
    // listed environment, across tenants), the rest lists of every tenant in turn.
    const pfxBodies = await Promise.all(FILES.map(async (f) => (await readFile(pfx(f))).toString('base64')));
    const installed = new Array<number>(TENANTS).fill(0);
    let started = performance.now();
    const mix = await timedCalls(
      server.url,
      (n) => {
        if (n % 10 !== 9) return { kind: 'list', ...listing(n % TENANTS) };
        // The w-th write: tenants in turn, installs and edits alternating (each tenant gets both).
        const w = Math.floor(n / 10);
        const t = w % TENANTS;
        if ((w + Math.floor(w / TENANTS)) % 2) return { kind: 'write', ...edit(t, Math.floor(w / TENANTS)) };
        const file = installed[t]!++ % FILES.length;
        return {
          kind: 'write',
          method: 'POST',
          path: listPath,
          token: tokens[t]!,
          body: JSON.stringify({ fileName: `mix-${FILES[file]}`, pfxBase64: pfxBodies[file], password: PASSWORD, selection: [] }),
        };
      },
      SUSTAINED,
      CONNECTIONS,
    );
    const mixSeconds = (performance.now() - started) / 1000;
    // Scale-out: the same mixed load on both instances at once, 25 clients each, every tenth call
    // an edit (each instance edits half the tenants and lists all of them, so its lists catch up
    // with the other's writes); installs are left out here only because each tenant's five
    // distinct files are spent by the rows above.
    const scaleOut = (instance: number) => (n: number) => {
      if (n % 10 !== 9) return { kind: 'list', ...listing(n + instance * 37) }; // every tenant on both
      const w = Math.floor(n / 10) * 2 + instance;
      return { kind: 'write', ...edit(w % TENANTS, 3 + Math.floor(w / TENANTS)) };
    };
    const madeA = await listBuilds(server.metrics);
    const madeB = await listBuilds(other.metrics);
    started = performance.now();
    const [outA, outB] = await Promise.all([
      timedCalls(server.url, scaleOut(0), SUSTAINED / 2, CONNECTIONS / 2),
      timedCalls(other.url, scaleOut(1), SUSTAINED / 2, CONNECTIONS / 2),
    ]);
    const scaleSeconds = (performance.now() - started) / 1000;
    const scaleMade = [madeBetween(madeA, await listBuilds(server.metrics)), madeBetween(madeB, await listBuilds(other.metrics))];
    stopOther(); // the rows after this one are on one instance again
    stopOther = () => {};
    const sample = await fetch(server.url + listPath, { headers: { authorization: `Bearer ${tokens[0]}`, 'accept-encoding': 'identity' } });
    answerSize = (await sample.text()).length;
    const compressed = await fetch(server.url + listPath, { headers: { authorization: `Bearer ${tokens[0]}` } });
    answerGzip = Number(compressed.headers.get('content-length'));
    await compressed.arrayBuffer();
    const bodies = await Promise.all(FILES.map(async (f) => (await readFile(pfx(f))).toString('base64')));
    const install = await load(server.url, (n) => ({
      method: 'POST',
      path: '/environments/homologacao/certificates',
      token: tokens[n % TENANTS]!,
      body: JSON.stringify({
        fileName: FILES[Math.floor(n / TENANTS) % FILES.length],
        pfxBase64: bodies[Math.floor(n / TENANTS) % FILES.length],
        password: PASSWORD,
        selection: [],
      }),
    }));
    // Answers by status, and the CPU the bench's own client spent per call (taken from the same cores).
    const answered = (x: { statuses: Map<number, number>; clientCpuMs: number }) =>
      `${counted(x.statuses)}; client ${x.clientCpuMs.toFixed(2)} ms CPU/call`;
    rows.push([
      `cloud (PostgreSQL, ${TENANTS}×${CERTIFICATES}): list, 1 client, each tenant's first (built)`,
      ms(percentile(single.latencies, 50)),
      ms(percentile(single.latencies, 95)),
      answered(single),
    ]);
    rows.push([
      `cloud: list, 1 client, unchanged (cached)`,
      ms(percentile(singleCached.latencies, 50)),
      ms(percentile(singleCached.latencies, 95)),
      answered(singleCached),
    ]);
    rows.push([
      `cloud (PostgreSQL, ${TENANTS}×${CERTIFICATES}): list, ${CONNECTIONS} clients, unchanged (cached), burst`,
      ms(percentile(list.latencies, 50)),
      ms(percentile(list.latencies, 95)),
      answered(list),
    ]);
    rows.push([
      `cloud: list, ${CONNECTIONS} clients, unchanged (cached), sustained`,
      ms(percentile(sustained.latencies, 50)),
      ms(percentile(sustained.latencies, 95)),
      answered(sustained),
    ]);
    rows.push([
      `cloud: edit, one in every tenant, ${CONNECTIONS} clients (the writes before the next row)`,
      ms(percentile(edits.latencies, 50)),
      ms(percentile(edits.latencies, 95)),
      answered(edits),
    ]);
    rows.push([
      `cloud: list, ${CONNECTIONS} clients, burst, first after a write in every tenant (kept answer updated by the write)`,
      ms(percentile(afterWrites.latencies, 50)),
      ms(percentile(afterWrites.latencies, 95)),
      answered(afterWrites),
    ]);
    rows.push([
      `cloud: edit, one in every tenant, on a second instance, ${CONNECTIONS} clients (the writes before the next row)`,
      ms(percentile(editsElsewhere.latencies, 50)),
      ms(percentile(editsElsewhere.latencies, 95)),
      answered(editsElsewhere),
    ]);
    rows.push([
      `cloud: list, ${CONNECTIONS} clients, burst, first after a write in every tenant on the other instance (caught up by the changed rows)`,
      ms(percentile(caughtUp.latencies, 50)),
      ms(percentile(caughtUp.latencies, 95)),
      `${answered(caughtUp)}; answers made: ${caughtUpMade}`,
    ]);
    rows.push([
      `cloud: list, ${CONNECTIONS} clients, burst, the same with removals pruned past the kept answers (rebuilt: the fallback, as before migration 006)`,
      ms(percentile(rebuilt.latencies, 50)),
      ms(percentile(rebuilt.latencies, 95)),
      `${answered(rebuilt)}; answers made: ${rebuiltMade}`,
    ]);
    for (const [kind, what] of [
      ['list', 'list'],
      ['write', 'install or edit'],
    ] as const) {
      const got = mix.kinds.get(kind) ?? { latencies: [], statuses: new Map() };
      rows.push([
        `cloud: mixed, ${CONNECTIONS} clients, 90 % list / 10 % install or edit, sustained — ${what}`,
        ms(percentile(got.latencies, 50)),
        ms(percentile(got.latencies, 95)),
        `${counted(got.statuses)}; ${(got.latencies.length / mixSeconds).toFixed(0)}/s; client ${mix.clientCpuMs.toFixed(2)} ms CPU/call`,
      ]);
    }
    // Scale-out, per instance and together (bench-cloud-mixed.ts).
    rows.push(...scaleOutRows(outA.kinds, outB.kinds, scaleSeconds, CONNECTIONS / 2));
    scaleNote = `scale-out: answers made — A: ${scaleMade[0]}; B: ${scaleMade[1]}; both servers, PostgreSQL and the bench's clients share ${availableParallelism()} cores`;
    rows.push([
      'cloud (PostgreSQL): install',
      ms(percentile(install.latencies, 50)),
      ms(percentile(install.latencies, 95)),
      answered(install),
    ]);
    // Tenant B's reads while tenant A uploads hostile files, beside B's reads idle (bench-cloud-hostile.ts).
    rows.push(...(await hostileUploadRows(server.url, tokens[0]!, tokens[1]!, listPath)));
  } finally {
    stopOther();
    server.stop();
  }

  // Reference: the embedded workspace, in-process, the same calls 50 at a time.
  const dir = await mkdtemp(join(tmpdir(), 'certdesk-bench-cloud-ref-'));
  try {
    await seedWorkspace(dir, CERTIFICATES, 0);
    const service = new WorkspaceService({
      dataDir: dir,
      keychain: new MemoryKeychain(),
      inspect: (p, pw) => inspectFile(p, { password: pw }),
    });
    await service.list('producao');
    start = performance.now();
    // The desktop's list handler: the full certificates, cut to rows, as JSON (what IPC carries).
    const listRef = await pool(REQUESTS, () => service.list('producao').then((l) => JSON.stringify(l.map(certificateRow))));
    const installRef = await pool(FILES.length, (n) =>
      service.install('producao', { path: pfx(FILES[n]!), password: PASSWORD, selection: [] }),
    );
    rows.push([
      `embedded workspace (${CERTIFICATES}): list as rows + JSON`,
      ms(percentile(listRef, 50)),
      ms(percentile(listRef, 95)),
      `${listRef.length} calls`,
    ]);
    rows.push([
      'embedded workspace: install',
      ms(percentile(installRef, 50)),
      ms(percentile(installRef, 95)),
      `${installRef.length} distinct files`,
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  if (cluster) execFileSync('node', ['scripts/postgres-cluster.mjs', 'stop', cluster.dir]);
}
console.log(`\nCertDesk Cloud bench — ${CONNECTIONS} concurrent clients, ${REQUESTS} requests per row (target: list p95 < 100 ms)`);
console.log(
  `list answer: ${(answerSize / 1024).toFixed(0)} KB of JSON, ${(answerGzip / 1024).toFixed(0)} KB gzipped; load average now ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(['what', 'p50', 'p95', 'answers'].join(' | '));
for (const row of rows) console.log(row.join(' | '));
console.log(scaleNote);
