/**
 * `certdesk sefaz-status` as users run it: the built bin with Node alone (scripts/test.sh builds
 * first), pointed at the SEFAZ stand-in with --connect-to / --trust-ca, and at a proxy stand-in.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConnectProxy, type ConnectProxy } from '../../stand-ins/connect-proxy';
import { startSefazStandin, type SefazStandin } from '../../stand-ins/sefaz-server';
import { clientPfx, SEFAZ_DIR, SEFAZ_PASSWORD } from './helpers/sefaz';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');
const ROOT = join(SEFAZ_DIR, 'root.crt');

function certdesk(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    // No proxy from the machine running the tests unless a test sets one.
    const base = { ...process.env, HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '', SENHA: SEFAZ_PASSWORD };
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end('');
  });
}

let standin: SefazStandin;
let proxy: ConnectProxy;
beforeAll(async () => {
  standin = await startSefazStandin();
  proxy = await startConnectProxy({ route: () => ({ host: '127.0.0.1', port: standin.port }) });
});
afterAll(async () => {
  await proxy.close();
  await standin.close();
});
beforeEach(() => {
  standin.reset();
  proxy.connects.length = 0;
});

const toStandin = () => ['--password-env', 'SENHA', '--connect-to', `127.0.0.1:${standin.port}`, '--trust-ca', ROOT];

describe('certdesk sefaz-status', () => {
  it('exits 0 when the service answers 107, with the result as JSON', async () => {
    const { code, stdout, stderr } = await certdesk([
      'sefaz-status',
      clientPfx('em-operacao'),
      '--uf',
      'sp',
      '--env',
      'homologacao',
      '--json',
      ...toStandin(),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      file: clientPfx('em-operacao'),
      certificate: { commonName: 'EMPRESA EM OPERACAO LTDA:10107000000149', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      code: 'IN_OPERATION',
      ok: true,
      cStat: 107,
      authorizer: 'SP',
      uf: 'SP',
      cUF: 35,
      tpAmb: 2,
      url: 'https://homologacao.nfe.fazenda.sp.gov.br/ws/nfestatusservico4.asmx',
    });
    expect(standin.calls).toEqual([
      expect.objectContaining({ host: 'homologacao.nfe.fazenda.sp.gov.br', cUF: 35, tpAmb: 2, module: 'nfe' }),
    ]);
  });

  it('exits 1 for a rejection, saying what to do (CT-e of MA at SVRS, revoked certificate)', async () => {
    const { code, stdout } = await certdesk([
      'sefaz-status',
      clientPfx('revogado'),
      '--uf',
      'MA',
      '--env',
      'homologacao',
      '--modulo',
      'cte',
      ...toStandin(),
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✖ A SEFAZ recusou o certificado: certificado revogado \(284\)/);
    expect(stdout).toContain('Autorizador  SVRS (CT-e, homologação, cUF 21)');
    expect(stdout).toContain('O que fazer');
    expect(standin.calls[0]).toMatchObject({ host: 'cte-homologacao.svrs.rs.gov.br', module: 'cte', cUF: 21 });
  });

  it('exits 1 when SEFAZ cannot be reached, and when the certificate does not open', async () => {
    const down = await certdesk([
      'sefaz-status',
      clientPfx('em-operacao'),
      '--uf',
      'SP',
      '--env',
      'producao',
      '--password-env',
      'SENHA',
      '--connect-to',
      '127.0.0.1:1',
    ]);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('✖ Não foi possível conectar em nfe.fazenda.sp.gov.br');
    const locked = await certdesk(['sefaz-status', clientPfx('em-operacao'), '--uf', 'SP', '--env', 'homologacao', ...toStandin()], {
      SENHA: 'errada',
    });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('[WRONG_PASSWORD]');
    expect(standin.calls).toEqual([]);
  });

  it('goes through HTTPS_PROXY, or --proxy, with the real host in the CONNECT', async () => {
    const args = [
      'sefaz-status',
      clientPfx('em-operacao'),
      '--uf',
      'RS',
      '--env',
      'homologacao',
      '--password-env',
      'SENHA',
      '--trust-ca',
      ROOT,
    ];
    const viaEnv = await certdesk(args, { HTTPS_PROXY: proxy.url });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain(`Proxy        127.0.0.1:${proxy.port}`);
    const viaOption = await certdesk([...args, '--proxy', proxy.url]);
    expect(viaOption.code).toBe(0);
    expect(proxy.connects.map((c) => c.target)).toEqual(['nfe-homologacao.sefazrs.rs.gov.br:443', 'nfe-homologacao.sefazrs.rs.gov.br:443']);
  });

  it('exits 2 on usage errors, with the usage text', async () => {
    const file = clientPfx('em-operacao');
    for (const args of [
      ['sefaz-status', file, '--env', 'homologacao'],
      ['sefaz-status', file, '--uf', 'XX', '--env', 'homologacao'],
      ['sefaz-status', file, '--uf', 'SP', '--env', 'teste'],
      ['sefaz-status', file, '--uf', 'SP', '--env', 'homologacao', '--modulo', 'nfse'],
      ['sefaz-status', '--uf', 'SP', '--env', 'homologacao'],
      ['sefaz-status', file, '--uf', 'SP', '--env', 'homologacao', '--proxy', 'https://proxy:443'],
      ['sefaz-status', file, '--uf', 'SP', '--env', 'homologacao', '--proxy', proxy.url, '--no-proxy'],
      ['sefaz-status', file, '--uf', 'SP', '--env', 'homologacao', '--connect-to', 'sem-porta'],
    ]) {
      const { code, stderr } = await certdesk(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('Uso:');
    }
    expect(standin.calls).toEqual([]);
  });

  it('loads the SEFAZ code only for this command', () => {
    const cli = readFileSync(resolve(import.meta.dirname, '../../out/main/cli.js'), 'utf8');
    expect(cli).toMatch(/import\("\.\/cli-sefaz-[\w-]+\.js"\)/);
    expect(cli).not.toContain('retConsStatServ');
    expect(cli).not.toMatch(/^import .*cli-sefaz/m);
  });
});
