-- CertDesk Cloud, schema 5: warnings that reach people (per tenant: recipients, SMTP, webhooks; the
-- claimed warnings, their deliveries and the delivery log) and certificate swaps ("Substituir /
-- Renovar": pending, done, failed, cancelled, undone), with the history's new action "swap".

create table warning_settings (
  tenant_id uuid primary key references tenants(id),
  settings jsonb not null,              -- recipients, SMTP (no password), webhooks (no secret)
  smtp_password bytea,                  -- AES-256-GCM under the tenant's data key
  webhook_secrets jsonb not null default '{}'  -- webhook id → sealed secret (base64), same key
);

-- One row per (tenant, environment, key): the unique insert is the claim, so a warning is sent once
-- whatever the number of instances running the job.
create table warning_events (
  id uuid primary key,
  tenant_id uuid not null references tenants(id),
  environment text not null check (environment in ('producao', 'homologacao')),
  key text not null,
  event text not null,
  claimed_at timestamptz not null,
  message jsonb not null,               -- subject, text, webhook payload: fixed when claimed
  unique (tenant_id, environment, key)
);

create table warning_deliveries (
  id uuid primary key,
  event_id uuid not null references warning_events(id),
  tenant_id uuid not null references tenants(id),
  environment text not null,
  event text not null,
  channel text not null check (channel in ('email', 'webhook')),
  target text not null,
  webhook_id text,
  state text not null check (state in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz               -- taken by one instance until then (skip locked, then leased)
);
create index warning_deliveries_due on warning_deliveries (next_attempt_at) where state = 'pending';

create table warning_log (
  seq bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  delivery_id uuid not null,
  entry jsonb not null                  -- DeliveryLogEntry: who, what, when, outcome
);
create index warning_log_list on warning_log (tenant_id, seq desc);

create table certificate_swaps (
  id uuid primary key,
  tenant_id uuid not null references tenants(id),
  environment text not null check (environment in ('producao', 'homologacao')),
  from_id uuid not null,
  to_id uuid not null,
  state text not null check (state in ('pending', 'done', 'failed', 'cancelled', 'undone')),
  scheduled_for timestamptz,            -- null: run at once
  record jsonb not null,                -- CertificateSwap
  created_at timestamptz not null default clock_timestamp()
);
-- At most one pending swap per certificate being replaced.
create unique index certificate_swaps_one_pending on certificate_swaps (tenant_id, environment, from_id) where state = 'pending';
create index certificate_swaps_due on certificate_swaps (scheduled_for) where state = 'pending';
create index certificate_swaps_list on certificate_swaps (tenant_id, environment, created_at desc);

alter table history drop constraint history_action_check;
alter table history add constraint history_action_check check (action in ('install', 'edit', 'delete', 'swap'));
-- A swap's entry belongs to both certificates' histories: the old one (certificate_id) and the new.
alter table history add column related_certificate_id uuid;
