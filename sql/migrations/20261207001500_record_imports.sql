-- Record imports (issue 15): companies, contacts and deals from any CSV with a column mapping, on the
-- legacy import's run machinery. A run of crm.legacy_import_runs with an entity is a record import:
-- its upload waits as a draft while the user maps its columns, then it is queued and runs like a
-- legacy import (one transaction, progress, all or nothing). Saved mappings belong to their user.

alter table crm.legacy_import_runs add column entity text;
alter table crm.legacy_import_runs add column options jsonb not null default '{}';
alter table crm.legacy_import_runs
  add constraint check_legacy_import_runs_entity check (entity in ('companies', 'contacts', 'deals'));
alter table crm.legacy_import_runs
  add constraint check_legacy_import_runs_options_object check (jsonb_typeof(options) = 'object');
alter table crm.legacy_import_runs drop constraint check_legacy_import_runs_status;
alter table crm.legacy_import_runs
  add constraint check_legacy_import_runs_status check (status in ('draft', 'queued', 'running', 'completed', 'failed'));
comment on column crm.legacy_import_runs.entity is 'Null: a legacy import. companies, contacts or deals: a record import of that entity by its starter.';
comment on column crm.legacy_import_runs.options is 'A record import''s choices: mapping (file header -> field), duplicates (skip, update, create), delimiter, encoding.';
comment on column crm.legacy_import_runs.deals_csv is 'The uploaded file (the legacy deals file, or a record import''s file), kept until an import of it commits (retry and re-run).';
comment on table crm.legacy_import_runs is 'One row per import job (legacy, or a record import when entity is set), committed before its import transaction: draft (a record import''s upload waiting for its mapping), queued, running (with progress and heartbeat), completed (in the import''s own transaction when it commits) or failed. A running row whose backend_pid is gone was interrupted.';

create table crm.import_mappings (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    entity text not null,
    name text not null,
    columns jsonb not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fk_import_mappings_user_id_users foreign key (user_id) references crm.users (id) on delete cascade,
    constraint check_import_mappings_entity check (entity in ('companies', 'contacts', 'deals')),
    constraint check_import_mappings_name_not_blank check (btrim(name) <> '' and length(name) <= 100),
    constraint check_import_mappings_columns_object check (jsonb_typeof(columns) = 'object')
);
create unique index unique_import_mappings_user_entity_name on crm.import_mappings (user_id, entity, lower(name));
comment on index crm.unique_import_mappings_user_entity_name is 'One mapping of a name per user and entity (saving again replaces it); serves the user_id foreign key.';
comment on table crm.import_mappings is 'Column mappings a user saved for importing CSV files: file header -> field of the entity. Each user reads and writes only their own.';
comment on column crm.import_mappings.columns is 'A JSON object: file header (as in the file) -> field name of the entity (dashboard/imports/fields.py).';
alter table crm.import_mappings enable row level security;
alter table crm.import_mappings force row level security;
