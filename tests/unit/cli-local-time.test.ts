/**
 * `certdesk` prints dates and days in the terminal's zone (TZ): the date of the user's calendar, the
 * hour on the last two days, and the JSON keeps the ISO UTC instants. Runs the built bin (build
 * first: `npx electron-vite build`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextLocalDayStart } from '@certdesk/shared/local-time';
import { PASSWORD, pfx } from '../fixtures';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');

function certdesk(args: string[], timeZone: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, PFX_PW: PASSWORD, TZ: timeZone } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A self-signed PFX valid until `notAfter`. */
function pfxUntil(notAfter: Date): Buffer {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0b';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = notAfter;
  const name = [{ name: 'commonName', value: 'EMPRESA HORARIO LTDA:11222333000181' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], PASSWORD, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-cli-tz-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('certdesk in the terminal zone', () => {
  it('prints the validity dates of the user calendar: the 2045-01-01T00:00Z end is 31/12/2044 in Brasília', async () => {
    const sp = await certdesk(['inspect', '--password-env', 'PFX_PW', pfx('v01_default.pfx')], 'America/Sao_Paulo');
    expect(sp.code).toBe(0);
    expect(sp.stdout).toMatch(/Validade\s+31\/12\/2024 a 31\/12\/2044 — Válido \([\d.]+ dias restantes\)/);
    const utc = await certdesk(['inspect', '--password-env', 'PFX_PW', pfx('v01_default.pfx')], 'UTC');
    expect(utc.stdout).toMatch(/Validade\s+01\/01\/2025 a 01\/01\/2045/);
    // JSON keeps the instants as they are.
    const json = await certdesk(['inspect', '--json', '--password-env', 'PFX_PW', pfx('v01_default.pfx')], 'America/Sao_Paulo');
    expect(JSON.parse(json.stdout)[0].certificate.notAfter).toBe('2045-01-01T00:00:00.000Z');
  });

  for (const zone of ['America/Sao_Paulo', 'America/Manaus']) {
    it(`says "vence amanhã" with the local hour on the day before (TZ=${zone})`, async () => {
      // Noon of tomorrow in that zone, whatever the time the test runs at.
      const notAfter = new Date(nextLocalDayStart(Date.now(), zone) + 12 * 3_600_000);
      const file = join(dir, `tomorrow-${zone.replace('/', '-')}.pfx`);
      await writeFile(file, pfxUntil(notAfter));
      const run = await certdesk(['inspect', '--password-env', 'PFX_PW', file], zone);
      expect(run.stdout).toMatch(/Validade\s+\S+ a \S+ — Vence amanhã às 12:00/);
      const scan = await certdesk(['scan', '--password-env', 'PFX_PW', dir], zone);
      expect(scan.stdout).toMatch(new RegExp(`vence amanhã às 12:00\\s+tomorrow-${zone.replace('/', '-')}\\.pfx`));
    });
  }
});
