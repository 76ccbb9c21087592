-- Refunds recorded against deals; each claws back commission within clawbackDays (DESIGN.md §6).
create table refunds (
  tenant_id uuid not null references tenants (id),
  id uuid not null default gen_random_uuid(),
  seq bigint generated always as identity,
  deal_id uuid not null,
  refunded_at timestamptz not null,
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null,
  recorded_by text not null,
  recorded_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index refunds_deal on refunds (tenant_id, deal_id, refunded_at);
