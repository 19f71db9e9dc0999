/** The bulk inspector's CSV (renderer/inspection-export.ts, plain TypeScript). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { PfxInspection, PfxOpenResult } from '@certdesk/shared/pfx';
import { problemsOfItem, toCsv } from '../../renderer/inspection-export';
import type { InspectItem } from '../../renderer/stores/inspector';
import { TRUST_CSV_COLUMNS } from '../../renderer/trust-export';
import type { TrustReport } from '@certdesk/shared/trust';

function item(
  name: string,
  holderName: string,
  privateKey: PfxOpenResult['privateKey'],
  warnings: PfxOpenResult['protection']['warnings'] = [],
): InspectItem {
  const result = {
    file: name,
    certificate: {
      commonName: holderName,
      holderName,
      type: 'e-CNPJ',
      cnpj: '11222333000181',
      cpf: null,
      issuerCommonName: 'AC EXEMPLO',
      notBefore: '2025-01-01T00:00:00.000Z',
      notAfter: '2045-01-01T00:00:00.000Z',
      daysRemaining: -3,
      status: 'valid',
      policy: 'A1',
      fingerprints: { sha1: 'aa', sha256: 'bb' },
    },
    otherCertificates: [],
    privateKey,
    chain: [],
    icpBrasilRoot: null,
    protection: { mac: 'SHA-256', macIterations: 2048, encryption: [], warnings },
    passwordSource: 'typed',
    passwordRemembered: false,
    rememberError: null,
  } as unknown as PfxOpenResult;
  return { id: 1, name, path: `/x/${name}`, status: 'done', result, error: null, wrongPassword: false };
}

const parse = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(';'));

describe('toCsv', () => {
  it('has the chain and revocation columns: a revoked file says when, why and from which CRL; an unchecked one says so', async () => {
    // The engine's real answers against the CA stand-in (it generates its hierarchy's keys at start).
    const { stdout } = await promisify(execFile)('node', ['--import', 'tsx', 'tests/unit/helpers/trust-reports.ts']);
    const { revoked, unchecked } = JSON.parse(stdout) as { revoked: TrustReport; unchecked: TrustReport };
    const rows = [
      item('revogado.pfx', 'EMPRESA', { present: true, matchesCertificate: true }),
      item('valido.pfx', 'EMPRESA', { present: true, matchesCertificate: true }),
    ];
    rows[0]!.result = { ...rows[0]!.result!, trust: revoked };
    rows[1]!.result = { ...rows[1]!.result!, trust: unchecked };
    const [header, ...cells] = parse(toCsv([...rows, item('sem.pfx', 'EMPRESA', { present: true, matchesCertificate: true })]));
    const column = (name: string) => cells.map((r) => r[header!.indexOf(name)]);
    expect(column('cadeia')).toEqual(['AC Teste CertDesk → Raiz de Teste CertDesk', unchecked.chain.path ?? '', '']);
    expect(column('cadeia_situacao')).toEqual([revoked.chain.status, unchecked.chain.status, '']);
    expect(column('revogacao')).toEqual(['revogado', 'não verificado', '']);
    expect(column('revogacao_codigo')).toEqual(['REVOKED', 'UNCHECKED_OFFLINE', '']);
    expect(column('revogado_em')![0]).toBe(revoked.revocation.revokedAt);
    expect(column('revogacao_motivo')![0]).toBe('keyCompromise');
    expect(column('revogacao_fonte')![0]).toBe('LCR');
    expect(column('revogacao_fonte_endereco')![0]).toBe(revoked.revocation.crl!.url);
    expect(column('revogacao_consultou_rede')).toEqual(['sim', 'não', '']);
  }, 120_000);
  // the stand-in generates its hierarchy's keys at start
  it('leaves the days empty before a certificate starts (the screen shows "—"), in the zone of the user', () => {
    const future = item('v43.pfx', 'FUTURA', { present: true, matchesCertificate: true });
    Object.assign(future.result!.certificate!, { notBefore: '2040-01-01T00:00:00.000Z', status: 'not-yet-valid', daysRemaining: 5138 });
    const [header, row] = parse(toCsv([future], { now: new Date('2026-12-07T12:00:00Z'), timeZone: 'America/Manaus' }));
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell('dias_restantes')).toBe('');
    expect(cell('status')).toBe('ainda não válido');
    expect(cell('valido_de')).toBe('31/12/2039'); // 00:00 UTC is the evening before in Manaus
  });

  it('has the private-key and warnings columns, so a broken file does not look fine', () => {
    const csv = toCsv(
      [
        item('ok.pfx', 'EMPRESA', { present: true, matchesCertificate: true }),
        item('v44.pfx', 'EMPRESA', { present: true, matchesCertificate: false }, [{ code: 'KEY_MISMATCH', message: '…' }]),
        item('v28.pfx', 'EMPRESA', { present: false, matchesCertificate: null }),
        item('v06.pfx', 'EMPRESA', { present: true, matchesCertificate: true }, [{ code: 'NOT_ENCRYPTED', message: '…' }]),
      ],
      { now: new Date('2045-01-03T12:00:00Z'), timeZone: 'America/Sao_Paulo' },
    );
    expect(csv.startsWith('\uFEFFarquivo;situacao;titular;')).toBe(true);
    const [header, ...rows] = parse(csv);
    const at = header!.indexOf('sha256');
    expect(header!.slice(at, at + 4)).toEqual(['sha256', 'erro', 'chave_privada', 'avisos']);
    expect(header!.slice(at + 4)).toEqual([...TRUST_CSV_COLUMNS]);
    const column = (name: string) => rows.map((r) => r[header!.indexOf(name)]);
    expect(column('chave_privada')).toEqual(['corresponde', 'NÃO corresponde ao certificado', 'ausente', 'corresponde']);
    // Portuguese words in a Portuguese spreadsheet, not the engine's codes.
    expect(column('avisos')).toEqual([
      '',
      'chave privada NÃO corresponde ao certificado',
      'sem chave privada',
      'chave privada sem cifragem',
    ]);
    // Ended 31/12/2044 at 21:00 in Brasília; on 03/01 there it ended 3 calendar days ago.
    expect(column('dias_restantes')).toEqual(['-3', '-3', '-3', '-3']); // a number, not neutralised
    expect(column('valido_ate')).toEqual(Array(4).fill('31/12/2044'));
    expect(column('status')).toEqual(Array(4).fill('expirado'));
    expect(column('tipo')).toEqual(Array(4).fill('e-CNPJ'));
  });

  it('neutralises cells that a spreadsheet would run as a formula (= + - @ TAB CR)', () => {
    const names = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    const csv = toCsv(names.map((n) => item('f.pfx', n, { present: true, matchesCertificate: true })));
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[1]).toContain(`;"'=HYPERLINK(""http://x"")";`);
    expect(lines[2]).toContain(";'+1+1;");
    expect(lines[3]).toContain(";'-2+3;");
    expect(lines[4]).toContain(";'@SUM(A1);");
    expect(lines[5]).toContain(";'\tTAB;");
    expect(csv).toContain(`;"'\rCR";`);
    // No cell of those rows starts with a formula character any more.
    expect(csv).not.toMatch(/(^|;)"?([=+@\t]|\r(?!\n))/m);
  });

  it('quotes separators and shows bidi overrides visibly in names', () => {
    const csv = toCsv([item('a;b.pfx', 'X\u202Egnp.exe', { present: true, matchesCertificate: true })]);
    expect(csv).toContain('"a;b.pfx";lido;X⟦U+202E⟧gnp.exe;');
  });

  it('lists the problems most serious first', () => {
    const it44 = item('v.pfx', 'E', { present: true, matchesCertificate: false }, [
      { code: 'NO_MAC', message: '' },
      { code: 'KEY_MISMATCH', message: '' },
    ]);
    expect(problemsOfItem(it44)).toEqual(['KEY_MISMATCH', 'NO_MAC']);
  });

  it(
    'a key-only file (v46, the engine\'s real answer) is a read row: no certificate cells, the key, "NO_CERTIFICATE"',
    { timeout: 30_000 },
    async () => {
      const args = ['--import', 'tsx', 'tests/unit/helpers/inspect-json.ts', 'v46_key_only.p12', '2026-06-01T12:00:00Z'];
      const { stdout } = await promisify(execFile)('node', args, { maxBuffer: 16 << 20 });
      const result = {
        ...(JSON.parse(stdout) as PfxInspection),
        passwordSource: 'typed',
        passwordRemembered: false,
        rememberError: null,
      } as PfxOpenResult;
      const keyOnly: InspectItem = {
        id: 1,
        name: 'v46_key_only.p12',
        path: '/x/v46',
        status: 'done',
        result,
        error: null,
        wrongPassword: false,
      };
      const [header, row] = parse(toCsv([keyOnly]));
      const cell = (name: string) => row![header!.indexOf(name)];
      expect(cell('situacao')).toBe('lido');
      expect([cell('titular'), cell('valido_ate'), cell('sha256'), cell('erro')]).toEqual(['', '', '', '']);
      expect(cell('chave_privada')).toBe('presente, sem certificado (RSA 2048 bits)');
      expect(cell('avisos')!.split('; ')[0]).toBe('sem certificado (só a chave privada)');
    },
  );
});
