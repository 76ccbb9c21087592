-- The per-org secrets that sign the Salesforce package's Apex callouts (server/http/auth/
-- salesforce-signature.ts). Sealed with the service's CryptoBox; a rotation keeps the previous
-- secret valid until previous_valid_until so the org can be updated without downtime.
create table salesforce_callout_secrets (
  tenant_id uuid not null references tenants (id) on delete cascade,
  org_id text not null unique check (org_id ~ '^00D[A-Za-z0-9]{15}$'),
  secret_enc text not null,
  previous_secret_enc text,
  previous_valid_until timestamptz,
  created_at timestamptz not null default now(),
  rotated_at timestamptz,
  primary key (tenant_id, org_id)
);
