/**
 * Which certificates a SEFAZ server's own certificate may chain to: Node's bundled Mozilla roots,
 * the ICP-Brasil roots and intermediates CertDesk ships (some SEFAZ servers chain to ICP-Brasil
 * roots no operating system carries), and the operating system's store where this Node can read it
 * (`tls.getCACertificates('system')`, Node ≥ 22.15, i.e. the Electron app). An extra anchor is added
 * only through the explicit `extraTrustAnchors` option (the tests' and demos' stand-in root): there
 * is no environment switch and no way to turn verification off.
 */
import * as tls from 'node:tls';
import { ICP_BRASIL_CERTIFICATES } from '../trust/icp-brasil-certificates';
import type { TlsCredentials } from '../pfx/tls-credentials';

const pem = (b64: string) =>
  `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
/** The base64 body of a PEM certificate, whatever its line breaks: what two copies have in common. */
const body = (text: string) => text.replace(/-----[^-]+-----|\s/g, '');

function systemCertificates(): string[] {
  const read = (tls as { getCACertificates?: (kind: 'system') => string[] }).getCACertificates;
  try {
    return read ? read('system') : [];
  } catch {
    return []; // a store that cannot be read leaves the bundled and shipped roots
  }
}

let additions: string[] | null = null;

/** ICP-Brasil and system certificates that Node's bundled roots lack, each once. */
export function addedTrust(): string[] {
  if (!additions) {
    const seen = new Set(tls.rootCertificates.map(body));
    additions = [];
    for (const certificate of [...ICP_BRASIL_CERTIFICATES.map((shipped) => pem(shipped.der)), ...systemCertificates()]) {
      const key = body(certificate);
      if (seen.has(key)) continue;
      seen.add(key);
      additions.push(certificate);
    }
  }
  return additions;
}

/** Bundled + ICP-Brasil + system roots as one list (the `ca` option's form). */
export const trustedCertificates = (): string[] => [...tls.rootCertificates, ...addedTrust()];

type NativeContext = { addCACert?: (pem: string) => void };

/**
 * How the trust is given to OpenSSL. `ca` (the documented option) re-parses the ~150 bundled
 * roots into a new store for every context: 75–130 ms of blocked thread per certificate, measured.
 * `add` starts from Node's already-parsed root store and adds only what it lacks (~15 ms), through
 * the `addCACert` of the context's native handle — not documented, so used only when present.
 */
export type TrustMethod = 'add' | 'ca';
export const preferredTrustMethod = (): TrustMethod =>
  typeof (tls.createSecureContext().context as NativeContext | undefined)?.addCACert === 'function' ? 'add' : 'ca';

/** Contexts kept per credentials object (the same certificate's calls in one run share one). */
const contexts = new WeakMap<TlsCredentials, Map<string, tls.SecureContext>>();
let method: TrustMethod | null = null;

/**
 * A TLS context that presents `credentials` (key and chain) and verifies the server against the
 * trusted roots plus `extraTrustAnchors` (PEM). TLS 1.2 at least, as SEFAZ requires.
 */
export function secureContextFor(
  credentials: TlsCredentials,
  extraTrustAnchors: readonly string[] = [],
  how: TrustMethod = (method ??= preferredTrustMethod()),
): tls.SecureContext {
  const id = `${how}\n${extraTrustAnchors.join('')}`;
  let byAnchors = contexts.get(credentials);
  if (!byAnchors) contexts.set(credentials, (byAnchors = new Map()));
  let context = byAnchors.get(id);
  if (!context) {
    const identity = { key: credentials.key, cert: credentials.certificateChain, minVersion: 'TLSv1.2' as const };
    if (how === 'add') {
      context = tls.createSecureContext(identity); // Node's bundled roots, already parsed
      const native = context.context as NativeContext;
      for (const certificate of [...addedTrust(), ...extraTrustAnchors]) native.addCACert!(certificate);
    } else {
      context = tls.createSecureContext({ ...identity, ca: [...trustedCertificates(), ...extraTrustAnchors] });
    }
    byAnchors.set(id, context);
  }
  return context;
}
