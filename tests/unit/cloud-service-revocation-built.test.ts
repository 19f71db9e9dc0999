/**
 * Revocation in CertDesk Cloud as an operator runs it — the built server (`node
 * cloud-service/dist/server.js`) against the CA stand-in on 127.0.0.1: the check at install answers
 * through the contract, a revoked certificate (by CRL or by OCSP) is refused with
 * CERTIFICATE_REVOKED and nothing of it is listed, and the schema of the build includes the checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';
import { startBuiltServer, type BuiltServer } from './helpers/built-cloud-server';
import { ADMIN_PASSWORD, call, signIn, START_TIMEOUT, TEST_KEK, testDatabase, type TestDatabase } from './helpers/cloud-service';

const P = '/environments/producao';

describe('revocation in the built CertDesk Cloud', () => {
  let ca: CaServer;
  let db: TestDatabase;
  let server: BuiltServer;
  let token: string;

  const install = (name: CaCase) =>
    call(server.url, 'POST', `${P}/certificates`, {
      token,
      body: {
        fileName: `${name}.pfx`,
        pfxBase64: caPfx(ca.pki, name, false).toString('base64'),
        password: CA_PFX_PASSWORD,
        selection: [{ branch: '0001', modules: ['faturamento'] }],
      },
      operationId: 'installCertificate',
    });

  beforeAll(async () => {
    ca = await startCaServer();
    db = await testDatabase('pglite');
    server = await startBuiltServer(['--data', db.dataDir, '--demo'], { CERTDESK_CLOUD_KEK: TEST_KEK.key.toString('base64') });
    token = await signIn(server.url, 'EXEMPLO.admin', ADMIN_PASSWORD);
    const setup = await call(server.url, 'POST', `${P}/workspace/setup`, {
      token,
      body: { kind: 'example' },
      operationId: 'setupWorkspace',
    });
    expect(setup.status).toBe(200);
  }, START_TIMEOUT);
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited();
    }
    await ca?.close();
    await db?.stop();
  });

  it('installs a good certificate with its chain and revocation answer, and refuses revoked ones', async () => {
    const good = await install('valido');
    expect(good.status).toBe(201);
    expect(good.data.certificate.trust).toMatchObject({
      online: true,
      chain: { path: 'AC Teste CertDesk → Raiz de Teste CertDesk' },
      revocation: { status: 'good', code: 'NOT_REVOKED', source: 'crl' },
    });
    const id = good.data.certificate.id as string;
    const full = await call(server.url, 'GET', `${P}/certificates/${id}`, { token, operationId: 'getCertificate' });
    expect(full.data.trust).toEqual(good.data.certificate.trust);

    // `lcr-grande` is listed in the 5 MB CRL: read by the bundled pfx-worker.js, as every CRL the server reads.
    for (const name of ['revogado', 'ocsp-revogado', 'lcr-grande'] as const) {
      const refused = await install(name);
      expect(refused).toMatchObject({ status: 422, data: { code: 'CERTIFICATE_REVOKED' } });
      expect(refused.data.message).toMatch(/^Certificado revogado em \d\d\/\d\d\/\d{4} .*: não pode ser instalado\.$/);
    }
    const list = await call(server.url, 'GET', `${P}/certificates`, { token, operationId: 'listCertificates' });
    expect(list.data.map((row: { id: string }) => row.id)).toEqual([id]);
    expect(list.data[0]).not.toHaveProperty('revoked');
    // The log says nothing of the PFX password.
    expect(server.log()).not.toContain(CA_PFX_PASSWORD);
  });
});
