-- CertDesk Cloud, schema 6: what changed in a list since a revision, so an instance whose kept
-- list answer is at revision R catches up to the workspace's revision by the rows changed after R
-- (cloud-service/list-cache.ts), whichever instance wrote them — instead of rebuilding every row.
--
-- Each certificate row carries the revision of its last change, and each deleted certificate
-- leaves a small removal record with the revision of its delete. Both are set here, by triggers,
-- from the workspace's revision as the writing transaction holds it: every write first moves that
-- revision under the workspace's row lock (workspace-rows.ts lockWorkspace), so a row changed by it
-- carries exactly the write's revision, and no write — present or future, any instance, any
-- version of the service — can change a row without saying so. Rows from before this schema carry
-- 0: no kept answer is older than them.

alter table certificates add column list_revision bigint not null default 0;

create index certificates_list_changes on certificates (tenant_id, environment, list_revision);

create table certificate_removals (
  tenant_id uuid not null,
  environment text not null,
  certificate_id uuid not null,
  revision bigint not null,
  removed_at timestamptz not null default now(),
  primary key (tenant_id, environment, revision, certificate_id)
);
create index certificate_removals_age on certificate_removals (tenant_id, environment, removed_at);

-- Removals are kept for a day; pruning one moves this mark to its revision. A kept answer older
-- than the mark may have missed a removal and is rebuilt instead.
alter table workspaces add column removals_from bigint not null default 0;
update workspaces set removals_from = revision;

-- A workspace made (again) starts its removals at its own first revision: an answer kept for the
-- same tenant and environment before it — its certificates deleted with the row, the environment
-- set up anew — cannot be caught up, only rebuilt.
create function workspace_removals_start() returns trigger language plpgsql as $$
begin
  new.removals_from := new.revision;
  return new;
end
$$;

create trigger workspaces_removals_start before insert on workspaces
  for each row execute function workspace_removals_start();

create function certificate_list_revision() returns trigger language plpgsql as $$
begin
  new.list_revision := coalesce(
    (select revision from workspaces where tenant_id = new.tenant_id and environment = new.environment), 0);
  return new;
end
$$;

create trigger certificates_list_revision before insert or update on certificates
  for each row execute function certificate_list_revision();

create function certificate_removed() returns trigger language plpgsql as $$
declare
  pruned bigint;
begin
  -- No workspace (the tenant is being removed with everything): nobody lists it any more.
  insert into certificate_removals (tenant_id, environment, certificate_id, revision)
    select old.tenant_id, old.environment, old.id, w.revision
      from workspaces w where w.tenant_id = old.tenant_id and w.environment = old.environment;
  with gone as (
    delete from certificate_removals
     where tenant_id = old.tenant_id and environment = old.environment and removed_at < now() - interval '1 day'
    returning revision)
  select max(revision) into pruned from gone;
  if pruned is not null then
    update workspaces set removals_from = greatest(removals_from, pruned)
     where tenant_id = old.tenant_id and environment = old.environment;
  end if;
  return old;
end
$$;

create trigger certificates_removed after delete on certificates
  for each row execute function certificate_removed();
