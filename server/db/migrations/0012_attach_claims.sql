-- An attach through the CRM writes there outside any transaction (a slow CRM must not hold a
-- database connection, PGlite's only one least of all). Its place is claimed first, so a second
-- attach of the same partner in the same role is refused while the first is on its way.
create table attach_claims (
  tenant_id uuid not null references tenants (id) on delete cascade,
  deal_id uuid not null,
  partner_id uuid not null,
  role text not null,
  claimed_at timestamptz not null default now(),
  primary key (tenant_id, deal_id, partner_id, role)
);
