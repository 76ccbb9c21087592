-- Co-sell (DESIGN.md §5): partners' account lists, declined suggestions, partner performance.

-- One import of a partner's account list (Crossbeam-style populations). The rows of the partner's
-- latest complete import are its list; an import replaces the one before.
create table partner_account_imports (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  partner_id uuid not null,
  status text not null check (status in ('running', 'complete', 'failed')),
  rows_read integer not null default 0,
  rows_kept integer not null default 0,
  rows_rejected integer not null default 0,
  rows_matched integer not null default 0,
  started_by text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, partner_id) references partners (tenant_id, id) on delete cascade
);

create table partner_accounts (
  tenant_id uuid not null,
  import_id uuid not null,
  partner_id uuid not null,
  line integer not null,
  name text not null,
  domain text,
  population text not null check (population in ('customer', 'open_opportunity', 'prospect')),
  -- The tenant's account this row is, by the matching engine; null when none matches.
  account_crm_id text,
  primary key (tenant_id, import_id, line),
  foreign key (tenant_id, import_id) references partner_account_imports (tenant_id, id) on delete cascade
);
create index partner_accounts_account on partner_accounts (tenant_id, account_crm_id) where account_crm_id is not null;

create table partner_current_lists (
  tenant_id uuid not null,
  partner_id uuid not null,
  import_id uuid not null,
  primary key (tenant_id, partner_id),
  foreign key (tenant_id, import_id) references partner_account_imports (tenant_id, id) on delete cascade
);

-- An account executive declined a partner suggested for a deal's account.
create table cosell_declines (
  tenant_id uuid not null references tenants (id) on delete cascade,
  account_crm_id text not null,
  partner_id uuid not null,
  deal_crm_id text not null,
  reason text,
  actor text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, account_crm_id, partner_id)
);

-- Partner performance, kept up to date by the worker as deals change (not per request).
create table partner_performance (
  tenant_id uuid not null,
  partner_id uuid not null,
  -- Trailing twelve months to as_of, per currency: { "USD": "1250000" } (minor units).
  sourced_won_12m jsonb not null default '{}',
  influenced_won_12m jsonb not null default '{}',
  open_pipeline jsonb not null default '{}',
  won_12m integer not null default 0,
  lost_12m integer not null default 0,
  -- { "COMPUTER_SOFTWARE": { "won": 3, "lost": 1 } }, trailing twelve months.
  by_vertical jsonb not null default '{}',
  avg_cycle_days numeric(8, 1),
  as_of timestamptz not null,
  primary key (tenant_id, partner_id),
  foreign key (tenant_id, partner_id) references partners (tenant_id, id) on delete cascade
);

-- What partner performance last counted of each deal, to find the partners a change touches.
create table partner_stat_states (
  tenant_id uuid not null references tenants (id) on delete cascade,
  deal_id uuid not null,
  fingerprint text not null,
  partner_ids uuid[] not null,
  primary key (tenant_id, deal_id)
);
