-- A submission's time is never before the tenant's latest one (first to register wins by server
-- time): that maximum is read under the tenant's lock on every submission.
create index registrations_submitted on registrations (tenant_id, submitted_at);
