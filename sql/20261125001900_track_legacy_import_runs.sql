-- Legacy import runs become jobs with a record of their own (SECURITY.md T24).
-- The run row is written and committed BEFORE the import's transaction, so an
-- import that fails leaves a 'failed' run, and one that is killed leaves a
-- 'running' run whose backend is gone (shown as interrupted) -- and nothing
-- else: the data it was writing rolls back with its transaction. A committed
-- import marks its run 'completed' in that same transaction. While it runs, a
-- second connection writes the progress (phase, done/total, heartbeat) so the
-- admin page can poll it. An upload keeps its files here until an import of
-- them commits, so a failed or interrupted run can be retried from the page.

alter table crm.legacy_import_runs drop constraint check_legacy_import_runs_status;
alter table crm.legacy_import_runs alter column status set default 'queued';

alter table crm.legacy_import_runs
  add column activities_file_name text,
  add column dry_run boolean not null default false,
  add column skip_invalid boolean not null default false,
  add column deals_csv text,
  add column activities_csv text,
  add column phase text,
  add column progress_done integer not null default 0,
  add column progress_total integer not null default 0,
  add column heartbeat_at timestamptz,
  add column backend_pid integer,
  add column error text,
  add column retry_of uuid;

alter table crm.legacy_import_runs
  add constraint check_legacy_import_runs_status
    check (status in ('queued', 'running', 'completed', 'failed')),
  add constraint check_legacy_import_runs_finished_at_matches_status
    check ((status in ('completed', 'failed')) = (finished_at is not null)),
  add constraint check_legacy_import_runs_progress_non_negative
    check (progress_done >= 0 and progress_total >= 0),
  add constraint check_legacy_import_runs_phase_length check (length(phase) <= 200),
  add constraint check_legacy_import_runs_error_length check (length(error) <= 2000),
  add constraint check_legacy_import_runs_activities_file_name_length check (length(activities_file_name) <= 255),
  add constraint fk_legacy_import_runs_retry_of_legacy_import_runs
    foreign key (retry_of) references crm.legacy_import_runs (id) on delete set null;

create index index_legacy_import_runs_on_retry_of on crm.legacy_import_runs (retry_of);

comment on table crm.legacy_import_runs is 'One row per legacy import job, committed before its import transaction: queued, running (with progress and heartbeat), completed (in the import''s own transaction when it commits) or failed. A running row whose backend_pid is gone was interrupted.';
comment on column crm.legacy_import_runs.backend_pid is 'pg_backend_pid() of the connection running the import: when it no longer exists, the import was killed and rolled back.';
comment on column crm.legacy_import_runs.deals_csv is 'The uploaded deals file, kept until an import of it commits (retry and re-run from the admin page).';
comment on column crm.legacy_import_runs.retry_of is 'The run this one repeats (retry of a failed run, or a dry run done for real).';
