/**
 * Worker-thread entry: opens PFX files off the main thread so slow files (v10's 100,000 PBKDF2
 * iterations, v32's Java legacy KDF) never hold up IPC, the window or a server's event loop. One
 * message in (a path, or bytes handed over by transfer), one out.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorPayload } from '../errors';
import { inspectBytes, inspectFile } from './inspect';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

parentPort?.on('message', async (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    let certificates: string[] | undefined;
    const onCertificates = request.withCertificates
      ? (leaf: Buffer, others: Buffer[]) => (certificates = [leaf, ...others].map((der) => der.toString('base64')))
      : undefined;
    const options = { password: request.password, now: new Date(request.now), onCertificates };
    const result =
      'bytes' in request ? inspectBytes(Buffer.from(request.bytes), request.name, options) : await inspectFile(request.path, options);
    response = { id: request.id, ok: true, result, ...(certificates ? { certificates } : {}) };
  } catch (error) {
    response = { id: request.id, ok: false, error: toErrorPayload(error) };
  }
  parentPort?.postMessage(response);
});
