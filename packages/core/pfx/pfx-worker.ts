/**
 * Worker-thread entry: opens PFX files off the main thread so slow files (v10's 100,000 PBKDF2
 * iterations, v32's Java legacy KDF) never hold up IPC or the window. One message in, one out.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorPayload } from '../errors';
import { inspectFile } from './inspect';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

parentPort?.on('message', async (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    let certificates: string[] | undefined;
    const onCertificates = request.withCertificates
      ? (leaf: Buffer, others: Buffer[]) => (certificates = [leaf, ...others].map((der) => der.toString('base64')))
      : undefined;
    const result = await inspectFile(request.path, { password: request.password, now: new Date(request.now), onCertificates });
    response = { id: request.id, ok: true, result, ...(certificates ? { certificates } : {}) };
  } catch (error) {
    response = { id: request.id, ok: false, error: toErrorPayload(error) };
  }
  parentPort?.postMessage(response);
});
