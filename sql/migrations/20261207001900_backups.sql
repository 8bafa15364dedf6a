-- Backups (issue 19): one row per backup `crm db backup` or the scheduled backup job took, so the admin
-- page shows the last one, its time, size and status. Written by the operator's role (the CLI, the job
-- worker); admins read them (row-level security); nobody writes them through the app.
create table crm.backups (
    id uuid primary key default gen_random_uuid(),
    kind text not null,
    trigger text not null,
    status text not null,
    started_at timestamptz not null,
    finished_at timestamptz not null default now(),
    location text not null,
    size_bytes bigint,
    schema_version text,
    sha256 text,
    error text,
    constraint check_backups_kind check (kind in ('archive', 'base')),
    constraint check_backups_trigger check (trigger in ('command', 'schedule', 'admin')),
    constraint check_backups_status check (status in ('succeeded', 'failed')),
    constraint check_backups_size check (size_bytes is null or size_bytes >= 0),
    constraint check_backups_finished_after_start check (finished_at >= started_at),
    constraint check_backups_failure_says_why check ((status = 'failed') = (error is not null))
);
comment on table crm.backups is 'Each backup taken (crm db backup, the scheduled backup job, the admin page''s "Back up now"): an archive (pg_dump, with its manifest beside it) or a base backup of the embedded server; where it was written, its size and sha256, the schema version it holds, or why it failed. Shown on /admin/backups; the files themselves are in CRM_BACKUP_DIR (docs/operations.md).';
create index index_backups_on_started_at on crm.backups (started_at desc);
comment on index crm.index_backups_on_started_at is 'The backups page and the last backup: newest first.';
alter table crm.backups enable row level security;
alter table crm.backups force row level security;
