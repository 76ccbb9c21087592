-- API keys carry a role (docs/reliability.md): keys issued before roles existed stay admin keys, so
-- nothing that worked stops working. A partner key is bound to one partner of its own tenant.
alter table api_keys add column role text not null default 'admin'
  check (role in ('admin', 'partner_manager', 'viewer', 'partner'));
alter table api_keys add column partner_id uuid;
alter table api_keys add constraint api_keys_partner
  foreign key (tenant_id, partner_id) references partners (tenant_id, id) on delete cascade;
alter table api_keys add constraint api_keys_partner_role
  check ((role = 'partner') = (partner_id is not null));
