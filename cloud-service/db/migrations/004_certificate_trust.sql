-- CertDesk Cloud, schema 3: each certificate's chain and revocation check (docs/CLOUD.md,
-- "Revocation"), per tenant like everything else. Checked at install and again by the revocation
-- job every instance runs (cloud-service/revocation-job.ts): a row is claimed by setting
-- claimed_until, so two instances never check the same certificate at once.

create table certificate_trust (
  certificate_id uuid primary key references certificates(id) on delete cascade,
  tenant_id uuid not null references tenants(id),
  environment text not null check (environment in ('producao', 'homologacao')),
  certificates jsonb not null default '[]',  -- DER as base64, the leaf first (public data; [] = still to be read from the stored PFX)
  report jsonb,                              -- the last TrustReport (packages/shared/trust.ts); null = never checked
  next_check_at timestamptz not null,        -- the report's revocation.nextCheckAt (now for a row never checked)
  claimed_until timestamptz                  -- an instance is checking it until then
);
create index certificate_trust_due on certificate_trust (next_check_at);
create index certificate_trust_tenant on certificate_trust (tenant_id, environment);

-- Certificates installed before this schema: due now; the job reads their certificates from the stored PFX.
insert into certificate_trust (certificate_id, tenant_id, environment, next_check_at)
  select id, tenant_id, environment, now() from certificates;
