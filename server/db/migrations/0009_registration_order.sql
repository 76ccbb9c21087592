-- A submission's or decision's time is never before the tenant's latest submission or window
-- start (first to register wins by server time): both maxima are read under the tenant's lock.
create index registrations_submitted on registrations (tenant_id, submitted_at);
create index registrations_window_start on registrations (tenant_id, window_start);
