-- An OAuth install's state is single-use: its nonce is recorded when handed out and spent once.
create table oauth_states (
  nonce text primary key,
  crm text not null check (crm in ('hubspot', 'salesforce')),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index oauth_states_expiry on oauth_states (expires_at);
