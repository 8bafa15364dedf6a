-- Duplicates and merge (issue 16): the pairs a duplicate scan found, and each merge of two companies
-- or contacts with what its undo needs. Admins only (row-level security).
create table crm.duplicate_pairs (
    id uuid primary key default gen_random_uuid(),
    kind text not null,
    first_id uuid not null,
    second_id uuid not null,
    score numeric(4,3) not null,
    reasons jsonb not null default '[]'::jsonb,
    status text not null default 'open',
    found_at timestamptz not null default now(),
    dismissed_by uuid,
    dismissed_at timestamptz,
    constraint fk_duplicate_pairs_dismissed_by_users foreign key (dismissed_by) references crm.users (id) on delete set null,
    constraint check_duplicate_pairs_kind check (kind in ('companies', 'contacts')),
    constraint check_duplicate_pairs_status check (status in ('open', 'dismissed')),
    constraint check_duplicate_pairs_ordered check (first_id < second_id),
    constraint check_duplicate_pairs_score_range check (score >= 0 and score <= 1),
    constraint check_duplicate_pairs_reasons_array check (jsonb_typeof(reasons) = 'array'),
    constraint check_duplicate_pairs_dismissed_at check ((status = 'dismissed') = (dismissed_at is not null))
);
comment on table crm.duplicate_pairs is 'Likely duplicate companies or contacts found by the duplicate scan (crm duplicates scan, /admin/duplicates): the two record ids in order, the score (0-1) and the reasons; a pair dismissed as not a duplicate stays dismissed across scans. No foreign key to the records (two kinds): pairs whose record is gone are not listed and are dropped by the next scan.';
create unique index index_duplicate_pairs_on_kind_first_second on crm.duplicate_pairs (kind, first_id, second_id);
comment on index crm.index_duplicate_pairs_on_kind_first_second is 'One row per pair of records: the scan upserts on it.';
create index index_duplicate_pairs_on_kind_status_score on crm.duplicate_pairs (kind, status, score desc);
comment on index crm.index_duplicate_pairs_on_kind_status_score is 'The duplicates page: open pairs of a kind, best first.';
create index index_duplicate_pairs_on_second_id on crm.duplicate_pairs (second_id);
comment on index crm.index_duplicate_pairs_on_second_id is 'A merge drops the pairs of the removed record (first_id is served by the unique index with kind).';
create index index_duplicate_pairs_on_dismissed_by on crm.duplicate_pairs (dismissed_by);
comment on index crm.index_duplicate_pairs_on_dismissed_by is 'The dismissed_by foreign key.';
alter table crm.duplicate_pairs enable row level security;
alter table crm.duplicate_pairs force row level security;

create table crm.record_merges (
    id uuid primary key default gen_random_uuid(),
    kind text not null,
    survivor_id uuid not null,
    loser_id uuid not null,
    merged_by uuid,
    merged_at timestamptz not null default now(),
    snapshot jsonb not null,
    undone_by uuid,
    undone_at timestamptz,
    constraint fk_record_merges_merged_by_users foreign key (merged_by) references crm.users (id) on delete set null,
    constraint fk_record_merges_undone_by_users foreign key (undone_by) references crm.users (id) on delete set null,
    constraint check_record_merges_kind check (kind in ('companies', 'contacts')),
    constraint check_record_merges_two_records check (survivor_id <> loser_id),
    constraint check_record_merges_snapshot_object check (jsonb_typeof(snapshot) = 'object')
);
comment on table crm.record_merges is 'Each merge of two companies or contacts: the survivor, the removed record (loser) and a snapshot of what its undo needs (the loser''s row, the survivor''s fields before and after, the ids of the rows whose reference moved, the rows removed because both records had them); undone_at once undone.';
comment on column crm.record_merges.snapshot is 'loser (the removed row), survivor {before, after} (changed fields), moved {table.column: [row keys]}, removed {table: [rows]}, mappings {deal: {before, after}} (stakeholder maps).';
create index index_record_merges_on_merged_at on crm.record_merges (merged_at desc);
comment on index crm.index_record_merges_on_merged_at is 'The merge history, newest first.';
create index index_record_merges_on_merged_by on crm.record_merges (merged_by);
comment on index crm.index_record_merges_on_merged_by is 'The merged_by foreign key.';
create index index_record_merges_on_undone_by on crm.record_merges (undone_by);
comment on index crm.index_record_merges_on_undone_by is 'The undone_by foreign key.';
alter table crm.record_merges enable row level security;
alter table crm.record_merges force row level security;
