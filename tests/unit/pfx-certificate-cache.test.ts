/**
 * certificate.ts keeps CA certificates it parsed (a folder from one authority repeats them in file
 * after file) and never an end-entity one. Sharing must not change a single report: the same file
 * read with a cold and a warm cache answers the same, and reports do not share a leaf.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '@certdesk/core/pfx/certificate';
import { inspectBytes } from '@certdesk/core/pfx/inspect';
import { passwordForms } from '@certdesk/core/pfx/password-forms';
import { parsePfx, readContents } from '@certdesk/core/pfx/pkcs12';
import { WorkBudget } from '@certdesk/core/pfx/budget';
import { PASSWORD, pfx } from '../fixtures';

const NOW = new Date('2026-06-01T00:00:00Z');
const certificatesOf = (name: string) =>
  readContents(parsePfx(readFileSync(pfx(name)), new WorkBudget()), passwordForms(PASSWORD)[0]!, new WorkBudget()).certificates;

describe('parsed CA certificates are kept, end-entity ones are not', () => {
  it('the same CA certificate, from two files, is one parsed object; the leaf is parsed each time', () => {
    const [first, second] = [certificatesOf('v15_chain_certfile.pfx'), certificatesOf('v16_chain_flag.pfx')];
    const caOf = (entries: typeof first) => entries.map((e) => parseCertificate(e.der)).filter((c) => c.isCa);
    const [cas1, cas2] = [caOf(first), caOf(second)];
    expect(cas1.length).toBeGreaterThan(0);
    const shared = cas1.filter((c) => cas2.includes(c));
    expect(shared.length).toBeGreaterThan(0);
    // The kept copy owns its bytes (not a view into a file's buffer) and they are the certificate's.
    for (const ca of shared) expect(ca.der.equals(Buffer.from(ca.x509.raw))).toBe(true);

    const leafDer = first.map((e) => e.der).find((der) => !parseCertificate(der).isCa)!;
    expect(parseCertificate(leafDer)).not.toBe(parseCertificate(leafDer));
  });

  it('a report reads the same with a cold and a warm cache', () => {
    for (const name of ['v15_chain_certfile.pfx', 'v51_seven_cas.p12', 'v34_java_trusted_ca.p12']) {
      const bytes = readFileSync(pfx(name));
      const once = inspectBytes(bytes, name, { password: PASSWORD, now: NOW });
      const again = inspectBytes(bytes, name, { password: PASSWORD, now: NOW });
      expect(again).toEqual(once);
      expect(once.chain.length + (once.extraCertificates?.length ?? 0)).toBeGreaterThan(1);
    }
  });
});
