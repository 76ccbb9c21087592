-- The commission ledger (DESIGN.md §6): append-only. Amounts are never updated or deleted; a
-- change is a new entry (a reversal, a clawback). The database refuses anything else.
create table ledger_entries (
  tenant_id uuid not null references tenants (id),
  id uuid not null default gen_random_uuid(),
  seq bigint generated always as identity,
  deal_id uuid not null,
  partner_id uuid not null,
  role text not null,
  deal_version text not null,
  kind text not null check (kind in ('accrual', 'reversal', 'clawback', 'payout')),
  amount_minor bigint not null,
  currency text not null,
  rate_bps integer,
  tier text,
  program_version integer,
  rate_row integer,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

-- Computing the same deal version twice adds nothing.
create unique index ledger_entries_once on ledger_entries (tenant_id, deal_id, partner_id, role, deal_version, kind);
create index ledger_entries_partner on ledger_entries (tenant_id, partner_id, created_at);

create function ledger_entries_append_only() returns trigger language plpgsql as $$ begin raise exception 'ledger_entries is append-only: % is not allowed', tg_op using errcode = 'raise_exception'; end $$;

create trigger ledger_entries_append_only before update or delete on ledger_entries for each statement execute function ledger_entries_append_only();

create trigger ledger_entries_no_truncate before truncate on ledger_entries for each statement execute function ledger_entries_append_only();
