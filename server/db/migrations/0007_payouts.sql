-- Statuses, voids and payouts for the commission ledger (DESIGN.md §6), and what the commissions
-- worker last computed per deal.

-- A payout is a ledger entry of its own (kind 'payout', negative: it settles what was owed). It
-- belongs to no deal and no role; its deal_version is the payout's id.
alter table ledger_entries alter column deal_id drop not null;
alter table ledger_entries alter column role drop not null;
alter table ledger_entries add constraint ledger_entries_payout_has_no_deal
  check ((kind = 'payout') = (deal_id is null) and (kind = 'payout') = (role is null));
-- Listings and statements read in ledger order.
create index ledger_entries_seq on ledger_entries (tenant_id, seq);
create index ledger_entries_partner_seq on ledger_entries (tenant_id, partner_id, seq);
create unique index ledger_entries_payout_once on ledger_entries (tenant_id, deal_version, currency) where kind = 'payout';

-- Entries move accrued → approved → paid; accrued or approved ones may be voided, with a reason.
-- Each step is a row of its own, written once: the status of an entry is its latest step (none:
-- accrued). Append-only like the ledger.
create table ledger_entry_steps (
  tenant_id uuid not null references tenants (id),
  entry_id uuid not null,
  status text not null check (status in ('approved', 'paid', 'void')),
  reason text check (status <> 'void' or coalesce(length(btrim(reason)), 0) > 0),
  payout_id uuid,
  check ((status = 'paid') = (payout_id is not null)),
  actor text not null,
  seq bigint generated always as identity,
  created_at timestamptz not null default now(),
  primary key (tenant_id, entry_id, status),
  foreign key (tenant_id, entry_id) references ledger_entries (tenant_id, id)
);
create index ledger_entry_steps_payout on ledger_entry_steps (tenant_id, payout_id) where payout_id is not null;

create trigger ledger_entry_steps_append_only before update or delete on ledger_entry_steps for each statement execute function ledger_entries_append_only();
create trigger ledger_entry_steps_no_truncate before truncate on ledger_entry_steps for each statement execute function ledger_entries_append_only();

-- The order of the steps is the database's to keep, not only the code's: each insert locks its
-- entry first, so two writers cannot both pass the check.
-- (One line per statement inside the body: migrations split on semicolons at line ends.)
create function ledger_entry_step_allowed() returns trigger language plpgsql as $$
declare earlier text[]; begin
  perform 1 from ledger_entries where tenant_id = new.tenant_id and id = new.entry_id for no key update; select coalesce(array_agg(status), '{}') into earlier from ledger_entry_steps where tenant_id = new.tenant_id and entry_id = new.entry_id; if 'void' = any (earlier) then
    raise exception 'ledger entry % is void', new.entry_id using errcode = 'check_violation'; end if; if new.status = 'paid' and not ('approved' = any (earlier)) then
    raise exception 'ledger entry % is not approved', new.entry_id using errcode = 'check_violation'; end if; if new.status = 'void' and 'paid' = any (earlier) then
    raise exception 'ledger entry % is paid', new.entry_id using errcode = 'check_violation'; end if; return new; end $$;

create trigger ledger_entry_steps_order before insert on ledger_entry_steps for each row execute function ledger_entry_step_allowed();

-- One row per payout batch: a partner, a currency, the entries it settled.
create table payouts (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- The caller's id for the batch: asking again with it answers the same payout.
  request_id text not null,
  partner_id uuid not null,
  through_period text not null,
  currency text not null,
  amount_minor bigint not null check (amount_minor > 0),
  entries integer not null,
  reference text,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, request_id, currency)
);

-- A refund is recorded once per id the caller gives it (the billing system's refund id).
alter table refunds add column external_id text;
create unique index refunds_external_id on refunds (tenant_id, external_id) where external_id is not null;

-- What the commissions worker last brought each deal's ledger in line with (a fingerprint of the
-- deal, its attributions and their partners, its refunds and the program version). A deal whose
-- fingerprint is unchanged is skipped; one that changed is recomputed in the same transaction
-- that records its new fingerprint, so a worker killed mid-batch leaves no half-done deal.
create table commission_states (
  tenant_id uuid not null references tenants (id) on delete cascade,
  deal_id uuid not null,
  fingerprint text not null,
  computed_at timestamptz not null default now(),
  primary key (tenant_id, deal_id)
);

-- Each entry with its status. What follows from a void accrual is void with it: its reversal, the
-- clawbacks made on it and their reversals never reach a payout. Payout entries are paid by
-- definition.
create view ledger_entries_status as
select e.*,
       case when e.kind = 'payout' then 'paid'
            when v.reason is not null or rv.reason is not null then 'void'
            when p.payout_id is not null then 'paid'
            when a.entry_id is not null then 'approved'
            else 'accrued' end as status,
       coalesce(v.reason, rv.reason) as void_reason,
       case when e.kind = 'payout' then e.deal_version::uuid else p.payout_id end as payout_id
  from ledger_entries e
  left join ledger_entry_steps a on a.tenant_id = e.tenant_id and a.entry_id = e.id and a.status = 'approved'
  left join ledger_entry_steps p on p.tenant_id = e.tenant_id and p.entry_id = e.id and p.status = 'paid'
  left join ledger_entry_steps v on v.tenant_id = e.tenant_id and v.entry_id = e.id and v.status = 'void'
  left join lateral (
    select s.reason from ledger_entries o
      join ledger_entry_steps s on s.tenant_id = o.tenant_id and s.entry_id = o.id and s.status = 'void'
     where e.kind in ('reversal', 'clawback') and o.tenant_id = e.tenant_id and o.deal_id = e.deal_id and o.partner_id = e.partner_id
       and o.role = e.role and o.kind <> 'reversal' and o.id <> e.id
       and (o.deal_version = e.deal_version or (o.kind = 'accrual' and o.deal_version = split_part(e.deal_version, ':refund:', 1)))
     order by s.seq limit 1
  ) rv on true;
