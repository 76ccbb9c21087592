-- A CRM connection disconnected (the app uninstalled) keeps its mirror for 90 days
-- (server/crm/retention.ts); then the mirror is purged and the connection says when.
alter table crm_credentials add column mirror_purged_at timestamptz;
create index crm_credentials_disconnected on crm_credentials (disconnected_at) where status = 'disconnected';
