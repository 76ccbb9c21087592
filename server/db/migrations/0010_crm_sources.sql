-- A tenant connects one HubSpot portal, one Salesforce org, or both: every mirrored record says
-- which CRM it came from, and each connection keeps its own state.

alter table accounts add column crm text not null default 'hubspot' check (crm in ('hubspot', 'salesforce'));
-- Partner companies (HubSpot company type Partner or Reseller, a Salesforce partner account) are
-- reconciled into partners; they are not accounts registrations or lists can name.
alter table accounts add column is_partner boolean not null default false;
alter table accounts add column partner_type text;
update accounts
   set is_partner = company_type in ('PARTNER', 'RESELLER'),
       partner_type = case when company_type = 'RESELLER' then 'reseller' end;
create index accounts_partners on accounts (tenant_id) where is_partner;

alter table deals add column crm text not null default 'hubspot' check (crm in ('hubspot', 'salesforce'));

-- A deal's partner links as the CRM has them: a HubSpot association label, or a Salesforce
-- OpportunityPartner's role and whether it is the primary partner.
alter table deal_companies add column crm text not null default 'hubspot' check (crm in ('hubspot', 'salesforce'));
alter table deal_companies add column is_primary boolean not null default false;

alter table tenants add column salesforce_org_id text unique;

-- One row per connected CRM: where it is, how it is doing, where the incremental sync stands.
-- A disconnected CRM (the app uninstalled) keeps its row, its history and its data, not its tokens.
alter table crm_credentials alter column refresh_token_enc drop not null;
alter table crm_credentials add column disconnected_at timestamptz;
alter table crm_credentials add column external_id text;
alter table crm_credentials add column instance_url text;
alter table crm_credentials add column status text not null default 'connected'
  check (status in ('connected', 'broken', 'disconnected'));
alter table crm_credentials add column status_reason text;
alter table crm_credentials add column sync_cursor text;
alter table crm_credentials add column last_full_sync_at timestamptz;
alter table crm_credentials add column last_sync_at timestamptz;
alter table crm_credentials add column last_event_at timestamptz;
alter table crm_credentials add column last_error text;
alter table crm_credentials add column api_used integer;
alter table crm_credentials add column api_limit integer;
update crm_credentials c set external_id = t.hubspot_portal_id::text
  from tenants t where t.id = c.tenant_id and c.provider = 'hubspot';

-- How a CRM's own partner roles read as PartnerLens roles, per tenant (defaults in code).
create table crm_role_maps (
  tenant_id uuid not null references tenants (id) on delete cascade,
  crm text not null check (crm in ('hubspot', 'salesforce')),
  crm_role text not null,
  role text check (role in ('sourced', 'influenced', 'reseller', 'referral')),
  primary key (tenant_id, crm, crm_role)
);

-- Where a change stream stands (Salesforce Change Data Capture replay ids), so a restart resumes.
create table crm_stream_positions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  crm text not null,
  channel text not null,
  replay_id text not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, crm, channel)
);
