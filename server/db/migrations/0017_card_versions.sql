-- What the deal card prepares once per tenant (the partner directory and its fit lists) is kept
-- for as long as this counter stays the same. Every write to a tenant's partners or their
-- performance moves it, whichever process makes it (API, worker, CLI), so a card sees the change
-- with one indexed read. One bump per transaction and tenant (a transaction-local setting lists
-- the tenants bumped so far, undone with a rolled-back savepoint): a recount of 5,000 partners is
-- one. A tenant being deleted, its partners with it, is not bumped.
-- (The body keeps its semicolons inside lines: migrate.ts splits statements at line ends.)
create table card_versions (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  partners bigint not null default 0
);

create function card_versions_bump() returns trigger language plpgsql as $$
declare tenant uuid := case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end; bumped text := coalesce(current_setting('partnerlens.card_versions_bumped', true), ''); begin
  if position(tenant::text in bumped) = 0 then
    insert into card_versions (tenant_id, partners) select tenant, 1 where exists (select 1 from tenants where id = tenant)
      on conflict (tenant_id) do update set partners = card_versions.partners + 1; perform set_config('partnerlens.card_versions_bumped', bumped || tenant::text || ' ', true); end if; return null; end $$;

create trigger partners_card_version after insert or update or delete on partners
  for each row execute function card_versions_bump();

create trigger partner_performance_card_version after insert or update or delete on partner_performance
  for each row execute function card_versions_bump();
