-- CertDesk Cloud, schema 3: SEFAZ status checks.
--
-- Every branch says its state (uf): it decides which SEFAZ authorizer serves it. Branches saved
-- before the state existed get uf null ("not known yet"): the desktop asks the user for it; nothing
-- is guessed from a name or a CNPJ.
update workspaces
   set branches = (select coalesce(jsonb_agg(case when b ? 'uf' then b else b || '{"uf": null}'::jsonb end order by n), '[]'::jsonb)
                     from jsonb_array_elements(branches) with ordinality as e(b, n))
 where exists (select 1 from jsonb_array_elements(branches) as e(b) where not b ? 'uf');

-- The last SEFAZ check of each certificate, kept per tenant (cloud-service/sefaz/): the whole check
-- (answers per branch and module, no secret) and the summary the list shows. It goes with its certificate.
create table sefaz_checks (
  certificate_id uuid primary key references certificates(id) on delete cascade,
  tenant_id uuid not null references tenants(id),
  environment text not null check (environment in ('producao', 'homologacao')),
  summary jsonb not null,
  result jsonb not null,
  checked_at timestamptz not null
);
create index sefaz_checks_list on sefaz_checks (tenant_id, environment);
