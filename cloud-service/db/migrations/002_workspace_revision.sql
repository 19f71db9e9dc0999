-- CertDesk Cloud, schema 2: a revision per (tenant, environment) workspace, for the list cache
-- (cloud-service/list-cache.ts). Every write transaction on a workspace sets it to a fresh value of
-- one sequence while it holds the workspace's row lock, so an instance that cached a list at
-- revision R knows with one primary-key read whether anything changed since, whichever instance
-- wrote. A sequence and not a counter: a workspace deleted and created again (test reset) never
-- repeats a revision an instance may still hold.

create sequence workspace_revisions;

alter table workspaces add column revision bigint not null default nextval('workspace_revisions');
