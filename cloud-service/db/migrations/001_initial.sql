-- CertDesk Cloud, schema 1: tenants, users, sessions, sign-in throttle, workspaces, certificates,
-- their encrypted secrets, and history. Every row of a tenant's data carries tenant_id, and every
-- query of the service filters on it (cloud-service/repositories).

create table tenants (
  id uuid primary key,
  code text not null unique,            -- CódigoCloud, upper-case (EXEMPLO)
  name text not null,
  dek_wrapped bytea not null,           -- the tenant's data key, AES-256-GCM under the KEK
  kek_id text not null,                 -- which KEK wrapped it (rotation)
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  tenant_id uuid not null references tenants(id),
  login text not null unique,           -- lower-case: exemplo.joao or ana@empresa.com.br
  method text not null check (method in ('sso', 'cloud')),
  name text not null,
  role text not null check (role in ('administrator', 'read-only')),
  password_hash text not null,          -- scrypt$N$r$p$salt$hash
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);
create index users_tenant on users (tenant_id);

create table sessions (
  token_hash bytea primary key,         -- SHA-256 of the bearer token; the token itself is never stored
  user_id uuid not null references users(id) on delete cascade,
  tenant_id uuid not null references tenants(id),
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index sessions_expiry on sessions (expires_at);

create table sign_in_throttle (
  key text primary key,                 -- login:<login> or addr:<address>
  failures integer not null,
  window_start timestamptz not null,
  blocked_until timestamptz
);

create table workspaces (
  tenant_id uuid not null references tenants(id),
  environment text not null check (environment in ('producao', 'homologacao')),
  setup text check (setup in ('guided', 'example')),
  branches jsonb not null default '[]',
  modules jsonb not null default '[]',
  primary key (tenant_id, environment)
);

create table certificates (
  id uuid primary key,
  tenant_id uuid not null references tenants(id),
  environment text not null check (environment in ('producao', 'homologacao')),
  sha256 text not null,
  record jsonb not null,                -- InstalledCertificate (facts only, no secret)
  created_at timestamptz not null default clock_timestamp(),
  -- Concurrent installs of one certificate in a tenant and environment end with exactly one.
  unique (tenant_id, environment, sha256)
);
create index certificates_list on certificates (tenant_id, environment, created_at);

create table certificate_secrets (
  certificate_id uuid primary key references certificates(id) on delete cascade,
  tenant_id uuid not null references tenants(id),
  pfx bytea not null,                   -- AES-256-GCM under the tenant's data key
  password bytea                        -- idem; null when the file has no password
);

create table history (
  seq bigint generated always as identity primary key,
  id uuid not null unique,
  tenant_id uuid not null references tenants(id),
  environment text not null,
  certificate_id uuid not null,
  action text not null check (action in ('install', 'edit', 'delete')),
  branches text[] not null default '{}',
  user_id uuid references users(id),
  entry jsonb not null
);
create index history_list on history (tenant_id, environment, seq desc);
