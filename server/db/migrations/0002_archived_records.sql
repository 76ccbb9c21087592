-- Records deleted in the CRM: kept for history (attributions, ledger lines refer to them), hidden from cards.
alter table accounts add column archived_at timestamptz;
alter table deals add column archived_at timestamptz;
