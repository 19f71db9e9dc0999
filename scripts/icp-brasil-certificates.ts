/**
 * Regenerates the ICP-Brasil CA certificates CertDesk ships (packages/core/trust/icp-brasil-certificates.ts)
 * from what ITI publishes: one ZIP of every AC certificate and a SHA-512 list beside it.
 *
 *   npm run icp-brasil:update                                  # downloads ACcompactadox.zip + hashsha512x.txt from ITI
 *   npm run icp-brasil:update -- --zip ACcompactadox.zip --hashes hashsha512x.txt [--date AAAA-MM-DD]
 *   npm run icp-brasil:update -- --folder certs/ --hashes hashsha512.txt --unverified --source "…" --date AAAA-MM-DD
 *   … [--extra ARQUIVO --extra-source "…"]…                    # certificates kept beside ITI's set (e.g. expired roots)
 *
 * ITI's list is `sha512sum` output: one line "<hex>  <file>" per published file (today a single line,
 * for the ZIP). Every input file the list names must match, or nothing is written. A folder of
 * certificates already extracted by someone else cannot be checked against a list that only names
 * the ZIP: that takes `--unverified`, and the generated file says so in its `verification` field.
 * Every certificate is then parsed, CA certificates only are kept, and each one's signature is
 * checked against an issuer in the set (reported, not fatal: v7 uses an algorithm nobody verifies yet).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { format, resolveConfig } from 'prettier';

const ITI = 'http://acraiz.icpbrasil.gov.br/credenciadas/CertificadosAC-ICP-Brasil';
const OUTPUT = 'packages/core/trust/icp-brasil-certificates.ts';
// Budgets for input someone else controls: the ZIP is ~0.5 MB, each certificate ~2 KB.
const MAX_ZIP = 20 * 1024 * 1024;
const MAX_ENTRIES = 2000;
const MAX_CERTIFICATE_FILE = 64 * 1024;

const { values } = parseArgs({
  options: {
    zip: { type: 'string' },
    folder: { type: 'string' },
    hashes: { type: 'string' },
    source: { type: 'string' },
    date: { type: 'string' },
    unverified: { type: 'boolean' },
    extra: { type: 'string', multiple: true },
    'extra-source': { type: 'string', multiple: true },
  },
});

function fail(message: string): never {
  console.error(`icp-brasil-certificates: ${message}`);
  process.exit(1);
}

async function download(url: string, limit: number): Promise<Buffer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000), redirect: 'follow' });
  if (!response.ok) fail(`${url} respondeu HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > limit) fail(`${url} passou de ${limit} bytes`);
  return bytes;
}

/** `sha512sum` lines → file name → hex digest. */
function parseHashList(text: string): Map<string, string> {
  const list = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{128})\s+\*?(.+?)\s*$/.exec(line);
    if (match) list.set(basename(match[2]!), match[1]!.toLowerCase());
  }
  if (list.size === 0) fail('a lista SHA-512 não tem nenhuma linha no formato do sha512sum');
  return list;
}

const sha512 = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest('hex');

/** A published file against the list: by its name, or the list's only line when the name was changed locally. */
function check(list: Map<string, string>, name: string, bytes: Uint8Array): boolean {
  const expected = list.get(name) ?? (list.size === 1 ? [...list.values()][0] : undefined);
  return expected !== undefined && expected === sha512(bytes);
}

interface Input {
  name: string;
  bytes: Buffer;
}

function certificatesIn(inputs: Input[]): { name: string; cert: X509Certificate }[] {
  const out: { name: string; cert: X509Certificate }[] = [];
  for (const { name, bytes } of inputs) {
    if (!/\.(crt|cer|der|pem)$/i.test(name)) continue;
    const text = bytes.toString('latin1');
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
    try {
      for (const item of pems ?? [bytes]) out.push({ name, cert: new X509Certificate(item) });
    } catch {
      console.warn(`  ignorado (não é um certificado X.509 legível): ${name}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  let inputs: Input[];
  let source: string;
  let verification: string;
  const today = new Date().toISOString().slice(0, 10);
  const date = values.date ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail('--date precisa ser AAAA-MM-DD');

  if (values.folder) {
    if (!values.unverified) {
      fail('uma pasta já extraída não pode ser conferida com a lista do ITI (a lista tem o SHA-512 do ZIP); use --zip, ou --unverified');
    }
    if (!values.source) fail('--folder pede --source (de onde vieram os arquivos)');
    const files = readdirSync(values.folder).filter((f) => statSync(join(values.folder!, f)).isFile());
    if (files.length > MAX_ENTRIES) fail(`a pasta tem mais de ${MAX_ENTRIES} arquivos`);
    inputs = files.map((f) => ({ name: f, bytes: readFileSync(join(values.folder!, f)) }));
    source = values.source;
    const list = values.hashes ? parseHashList(readFileSync(values.hashes, 'utf8')) : null;
    verification = list
      ? `não conferido arquivo a arquivo: a lista SHA-512 do ITI (${[...list.keys()].join(', ')}: ${[...list.values()][0]!.slice(0, 16)}…) cobre o ZIP, não a pasta extraída`
      : 'não conferido: sem lista SHA-512';
  } else {
    const zipUrl = `${ITI}/ACcompactadox.zip`;
    const listUrl = `${ITI}/hashsha512x.txt`;
    const zip = values.zip ? readFileSync(values.zip) : await download(zipUrl, MAX_ZIP);
    if (zip.length > MAX_ZIP) fail(`o ZIP passa de ${MAX_ZIP} bytes`);
    const listText = values.hashes ? readFileSync(values.hashes, 'utf8') : (await download(listUrl, 64 * 1024)).toString('utf8');
    const zipName = values.zip ? basename(values.zip) : 'ACcompactadox.zip';
    const list = parseHashList(listText);
    if (!check(list, zipName, zip))
      fail(`o SHA-512 de ${zipName} (${sha512(zip).slice(0, 16)}…) não confere com a lista: nada foi gravado`);
    let entries = 0;
    const files = unzipSync(new Uint8Array(zip), {
      // A ZIP bomb stops here: sizes are read from the directory before anything is inflated.
      filter: (file) => {
        if (++entries > MAX_ENTRIES) fail(`o ZIP tem mais de ${MAX_ENTRIES} arquivos`);
        return file.originalSize <= MAX_CERTIFICATE_FILE && !file.name.endsWith('/');
      },
    });
    inputs = Object.entries(files).map(([name, bytes]) => {
      // Files the list names one by one (if ITI ever lists them) are checked too.
      if (list.has(basename(name)) && !check(list, basename(name), bytes)) fail(`o SHA-512 de ${name} não confere com a lista`);
      return { name: basename(name), bytes: Buffer.from(bytes) };
    });
    source = values.source ?? (values.zip ? `cópia local de ${zipUrl}` : zipUrl);
    verification = `SHA-512 do ZIP conferido com a lista do ITI (${sha512(zip).slice(0, 32)}…)`;
  }

  const published = certificatesIn(inputs);
  const extraSources = values['extra-source'] ?? [];
  const extras = (values.extra ?? []).map((file, index) => {
    const [parsed] = certificatesIn([{ name: basename(file), bytes: readFileSync(file) }]);
    if (!parsed) fail(`${file} não é um certificado`);
    return { ...parsed, source: extraSources[index] ?? extraSources[0] ?? fail(`--extra ${file} pede --extra-source`) };
  });

  const seen = new Set<string>();
  const kept: { name: string; cert: X509Certificate; source: string | null }[] = [];
  for (const item of [...published.map((p) => ({ ...p, source: null as string | null })), ...extras]) {
    const id = item.cert.fingerprint256;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!item.cert.ca) {
      console.warn(`  ignorado (não é certificado de AC): ${item.name}`);
      continue;
    }
    kept.push(item);
  }
  kept.sort((a, b) => a.name.localeCompare(b.name) || a.cert.validTo.localeCompare(b.cert.validTo));

  const verifies = (cert: X509Certificate, issuer: X509Certificate) => {
    try {
      return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    } catch {
      return false;
    }
  };
  const unverifiable = kept.filter(({ cert }) => !kept.some((other) => verifies(cert, other.cert)));
  for (const { name, cert } of unverifiable)
    console.warn(`  assinatura não conferida por nenhuma AC do conjunto: ${name} (${cnOf(cert.subject)})`);

  const roots = kept.filter(({ cert }) => cert.subject === cert.issuer);
  const body = kept
    .map(
      ({ name, cert, source: extraSource }) =>
        `  // ${cnOf(cert.subject)} (até ${new Date(cert.validTo).toISOString().slice(0, 10)})${extraSource ? ' — fora do conjunto do ITI' : ''}\n` +
        `  { file: ${JSON.stringify(name)}, ${extraSource ? `source: ${JSON.stringify(extraSource)}, ` : ''}der: '${cert.raw.toString('base64')}' },`,
    )
    .join('\n');
  const generated = `/**
 * ICP-Brasil CA certificates shipped with CertDesk (DER, base64): every root and AC of the hierarchy
 * as ITI publishes them. Generated by scripts/icp-brasil-certificates.ts; do not edit by hand.
 */
export interface ShippedCertificate {
  /** The file's name in ITI's ZIP (or the extra file's). */
  file: string;
  /** Only for certificates added beside ITI's set: where they came from. */
  source?: string;
  der: string;
}

export const ICP_BRASIL_SET_SOURCE = ${JSON.stringify(source)};
/** The day the published set was taken (AAAA-MM-DD). */
export const ICP_BRASIL_SET_DATE = ${JSON.stringify(date)};
export const ICP_BRASIL_SET_VERIFICATION = ${JSON.stringify(verification)};

export const ICP_BRASIL_CERTIFICATES: readonly ShippedCertificate[] = [
${body}
];
`;
  // Written as Prettier would, so the format check passes on a regenerated file.
  writeFileSync(OUTPUT, await format(generated, { ...(await resolveConfig(OUTPUT)), filepath: OUTPUT }));
  console.log(
    `${kept.length} certificados de AC (${roots.length} raízes: ${roots.map((r) => cnOf(r.cert.subject).replace(/^Autoridade Certificadora Raiz Brasileira /, '')).join(', ')}) gravados em ${OUTPUT}`,
  );
  console.log(`origem: ${source}\ndata: ${date}\nverificação: ${verification}`);
}

function cnOf(subject: string): string {
  return /CN=([^\n]+)/.exec(subject)?.[1] ?? subject;
}

await main();
