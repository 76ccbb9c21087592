-- A connection that stopped short of its CRM's daily API budget is paused (not broken): sync
-- health says so, and the next sync resumes once the CRM's rolling count has room again.
alter table crm_credentials drop constraint if exists crm_credentials_status_check;
alter table crm_credentials add constraint crm_credentials_status_check
  check (status in ('connected', 'broken', 'paused', 'disconnected'));

-- Account.Type values an admin says mark a partner's own account (beside IsPartner), with the
-- PartnerLens partner type they mean, if any.
create table crm_partner_account_types (
  tenant_id uuid not null references tenants (id) on delete cascade,
  crm text not null check (crm in ('hubspot', 'salesforce')),
  account_type text not null,
  partner_type text,
  primary key (tenant_id, crm, account_type)
);
