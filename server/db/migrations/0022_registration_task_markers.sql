-- SLA tasks at least once without duplicates (issue 14). The row is the intent, written before the
-- CRM is called: `marker` is the reference the task carries in its subject, so a retry after a
-- crash between the CRM's answer and the row's update finds the task the first attempt made
-- instead of making a second. `lease_until` is how long the attempt in flight owns the row; a row
-- still `creating` after it (its process died) is taken again by the next sweep. A refused create
-- keeps the row, its error and its count of attempts, and is tried again at the next sweep.
alter table registration_tasks add column marker text;
update registration_tasks set marker = 'PL' || substr(md5(registration_id::text), 1, 16) where marker is null;
alter table registration_tasks alter column marker set not null;
alter table registration_tasks add column lease_until timestamptz;
alter table registration_tasks add column attempts integer not null default 0;
alter table registration_tasks add column last_error text;
create index registration_tasks_creating on registration_tasks (lease_until) where status = 'creating';
