/**
 * Worker-thread entry: opens PFX files off the main thread so slow files (v10's 100,000 PBKDF2
 * iterations, v32's Java legacy KDF) never hold up IPC, the window or a server's event loop. One
 * message in (a path, bytes handed over by transfer, a cloud upload's raw body, a stored PFX
 * whose TLS credentials a SEFAZ check needs, or a CRL the cloud verifies), one out.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorPayload } from '../errors';
import { inspectBytes, inspectFile } from './inspect';
import type { WorkerRequest, WorkerResponse, WorkerUpload } from './worker-protocol';

parentPort?.on('message', async (request: WorkerRequest) => {
  let response: WorkerResponse;
  const transfer: ArrayBuffer[] = [];
  try {
    let certificates: string[] | undefined;
    const onCertificates = request.withCertificates
      ? (leaf: Buffer, others: Buffer[]) => (certificates = [leaf, ...others].map((der) => der.toString('base64')))
      : undefined;
    const options = { password: request.password, now: new Date(request.now), onCertificates };
    if ('crl' in request) {
      // Loaded only for this kind of job, like the upload's reader below.
      const { runCrlJob } = await import('../trust/crl-worker-job');
      const read = runCrlJob(request);
      transfer.push(...read.transfer);
      response = { id: request.id, ok: true, crl: read.answer };
    } else if ('uploadBody' in request) {
      // Loaded only for this kind of job: the desktop's workers never read a cloud body.
      const { readUploadBody } = await import('../cloud-api/upload-body');
      const body = readUploadBody(request.operationId, Buffer.from(request.uploadBody));
      const result = inspectBytes(body.pfx, body.fileName, { ...options, password: body.password });
      // The decoded PFX goes back whole, by transfer (a fresh buffer: never a view into Node's shared pool).
      const pfx = new Uint8Array(body.pfx).buffer;
      transfer.push(pfx);
      const upload: WorkerUpload = { ...body, pfx };
      response = { id: request.id, ok: true, result, upload, ...(certificates ? { certificates } : {}) };
    } else if ('tlsCredentials' in request) {
      const { tlsCredentialsFromPfx } = await import('./tls-credentials');
      const tls = tlsCredentialsFromPfx(Buffer.from(request.tlsCredentials), request.password, new Date(request.now));
      response = { id: request.id, ok: true, result: tls.inspection, tls };
    } else {
      const result =
        'bytes' in request ? inspectBytes(Buffer.from(request.bytes), request.name, options) : await inspectFile(request.path, options);
      response = { id: request.id, ok: true, result, ...(certificates ? { certificates } : {}) };
    }
  } catch (error) {
    response = { id: request.id, ok: false, error: toErrorPayload(error) };
  }
  parentPort?.postMessage(response, transfer);
});
