/**
 * `npm run sefaz:table -- --nfe DIR --cte DIR --common DIR [--out FILE]`: rewrites
 * packages/core/sefaz/sefaz-services.json from local checkouts of the public repositories it names:
 *
 *   nfephp-org/sped-nfe     storage/autorizadores.json (model 55), storage/wsnfe_4.00_mod55.xml
 *   nfephp-org/sped-cte     storage/autorizadores.json (model 57), storage/wscte_4.00_mod57.xml
 *   nfephp-org/sped-common  src/UFList.php (the IBGE code of each state)
 *
 * It reads only those five files and only the status service of each authorizer
 * (`NfeStatusServico`, `CteStatusServico`); the commit and commit date of each checkout (when it is a
 * git checkout) and today's date go into the file as its provenance. It prints what changed against
 * the file it replaces, so a reviewer sees every URL that moved. Nothing is downloaded: clone or pull
 * the repositories first (`git clone https://github.com/nfephp-org/sped-nfe` …).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import sax from 'sax';
import { parseServiceTable, type ServiceTable } from '@certdesk/core/sefaz/service-table';
import { UFS as ALL_UFS, type Uf } from '@certdesk/shared/sefaz';

const UFS = [...ALL_UFS] as string[];
const ENVIRONMENTS = ['homologacao', 'producao'] as const;

const { values } = parseArgs({
  options: { nfe: { type: 'string' }, cte: { type: 'string' }, common: { type: 'string' }, out: { type: 'string' } },
});
if (!values.nfe || !values.cte || !values.common) {
  console.error('uso: npm run sefaz:table -- --nfe PASTA_SPED_NFE --cte PASTA_SPED_CTE --common PASTA_SPED_COMMON [--out ARQUIVO]');
  process.exit(2);
}
const out = resolve(values.out ?? resolve(import.meta.dirname, '../packages/core/sefaz/sefaz-services.json'));

const read = (dir: string, path: string) => readFileSync(resolve(dir, path), 'utf8');

function provenance(dir: string, repository: string, files: string[]) {
  let commit: string | null = null;
  let commitDate: string | null = null;
  try {
    [commit, commitDate] = execFileSync('git', ['-C', dir, 'log', '-1', '--format=%H %cI'], { encoding: 'utf8' }).trim().split(' ') as [
      string,
      string,
    ];
  } catch {
    // Not a git checkout (an unpacked archive): the date read is all there is.
  }
  return { repository, commit, commitDate, files };
}

/** Each `<UF><sigla>X</sigla><homologacao|producao><SERVICE method operation version>url` of the XML. */
function statusServices(xml: string, element: string): ServiceTable['modules']['nfe']['services'] {
  const services: ServiceTable['modules']['nfe']['services'] = {};
  const parser = sax.parser(true, { trim: true });
  const path: string[] = [];
  let sigla = '';
  let attributes: Record<string, string> = {};
  let text = '';
  parser.onopentag = (tag) => {
    path.push(tag.name);
    attributes = tag.attributes as Record<string, string>;
    text = '';
  };
  parser.ontext = (t) => (text += t);
  parser.onclosetag = (name) => {
    const environment = path[path.length - 2] as (typeof ENVIRONMENTS)[number];
    if (name === 'sigla') sigla = text;
    if (name === element && ENVIRONMENTS.includes(environment) && text) {
      services[sigla] ??= {} as (typeof services)[string];
      services[sigla]![environment] = {
        url: text,
        operation: attributes['operation']!,
        method: attributes['method']!,
        version: attributes['version']!,
      };
    }
    path.pop();
  };
  parser.write(xml).close();
  return services;
}

function authorizers(json: string, model: string): Record<string, string> {
  const all = (JSON.parse(json) as Record<string, Record<string, string>>)[model] ?? {};
  return Object.fromEntries(UFS.map((uf) => [uf, all[uf]!]));
}

const ufCodes = Object.fromEntries(
  [...read(values.common, 'src/UFList.php').matchAll(/(\d+)\s*=>\s*'([A-Z]{2})'/g)]
    .filter(([, , uf]) => UFS.includes(uf!))
    .map(([, code, uf]) => [uf!, Number(code)])
    .sort(([a], [b]) => String(a).localeCompare(String(b))),
);

const nfeAuthorizers = authorizers(read(values.nfe, 'storage/autorizadores.json'), '55');
const cteAuthorizers = authorizers(read(values.cte, 'storage/autorizadores.json'), '57');
// Only the authorizers some state uses, plus the contingency ones (SVC-AN, SVC-RS) for later use.
const keep = (services: ServiceTable['modules']['nfe']['services'], used: Record<string, string>, extra: string[]) =>
  Object.fromEntries(
    Object.entries(services)
      .filter(([code]) => Object.values(used).includes(code) || extra.includes(code))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

const table = {
  description:
    'Onde fica o serviço de status (NfeStatusServico4 / CTeStatusServicoV4) de cada autorizador da SEFAZ, por ambiente. ' +
    'Gerado por scripts/sefaz-table.ts a partir das fontes abaixo; para atualizar, veja docs/DECISIONS.md (Tabela de serviços da SEFAZ).',
  readAt: new Date().toISOString().slice(0, 10),
  sources: {
    nfe: provenance(values.nfe, 'nfephp-org/sped-nfe', ['storage/autorizadores.json', 'storage/wsnfe_4.00_mod55.xml']),
    cte: provenance(values.cte, 'nfephp-org/sped-cte', ['storage/autorizadores.json', 'storage/wscte_4.00_mod57.xml']),
    ufCodes: provenance(values.common, 'nfephp-org/sped-common', ['src/UFList.php']),
  },
  ufCodes,
  modules: {
    nfe: {
      model: '55',
      authorizers: nfeAuthorizers,
      services: keep(statusServices(read(values.nfe, 'storage/wsnfe_4.00_mod55.xml'), 'NfeStatusServico'), nfeAuthorizers, [
        'SVCAN',
        'SVCRS',
      ]),
    },
    cte: {
      model: '57',
      authorizers: cteAuthorizers,
      services: keep(statusServices(read(values.cte, 'storage/wscte_4.00_mod57.xml'), 'CteStatusServico'), cteAuthorizers, []),
    },
  },
};

// The same validation the app runs at start: a table it would refuse is never written.
parseServiceTable(table);

const previous = (): ServiceTable | null => {
  try {
    return parseServiceTable(JSON.parse(readFileSync(out, 'utf8')));
  } catch {
    return null; // absent or not a valid table: nothing to compare with
  }
};
const before = existsSync(out) ? previous() : null;
if (before) {
  for (const module of ['nfe', 'cte'] as const) {
    for (const uf of UFS) {
      const was = before.modules[module].authorizers[uf as Uf];
      const now = table.modules[module].authorizers[uf];
      if (was !== now) console.log(`${module} ${uf}: autorizador ${was ?? '—'} → ${now}`);
    }
    const codes = new Set([...Object.keys(before.modules[module].services), ...Object.keys(table.modules[module].services)]);
    for (const code of codes) {
      for (const environment of ENVIRONMENTS) {
        const was = before.modules[module].services[code]?.[environment]?.url;
        const now = table.modules[module].services[code]?.[environment]?.url;
        if (was !== now) console.log(`${module} ${code} ${environment}: ${was ?? '—'} → ${now ?? '—'}`);
      }
    }
  }
}
// Formatted as the repository's Prettier settings want, so `format:check` stays clean.
writeFileSync(out, await format(JSON.stringify(table), { ...(await resolveConfig(out)), parser: 'json', filepath: out }));
console.log(`Tabela gravada em ${out}`);
