-- Change notifications from a CRM (HubSpot webhooks), kept until processed: the webhook is
-- acknowledged as soon as its events are here, each delivered event once (a redelivery adds
-- nothing), and a worker re-reads the records they name. Redis can be lost: what is here is not.
create table crm_change_events (
  tenant_id uuid not null references tenants (id) on delete cascade,
  crm text not null check (crm in ('hubspot', 'salesforce')),
  event_key text not null,
  object_type text not null check (object_type in ('account', 'deal')),
  object_id text not null,
  occurred_at timestamptz,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  primary key (tenant_id, crm, event_key)
);
create index crm_change_events_pending on crm_change_events (tenant_id, crm, received_at) where processed_at is null;
