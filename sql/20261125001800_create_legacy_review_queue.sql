-- The legacy import's bookkeeping: one row per import that wrote something,
-- and the review queue of legacy deals the resolver would not guess about
-- (two candidates, a fuzzy score in the grey zone, no email and no company).
-- Admin-only, like the staging tables.

create table crm.legacy_import_runs (
  id uuid primary key default gen_random_uuid(),
  source text not null,
  file_name text,
  started_by uuid,
  status text not null default 'completed',
  rows_read integer not null default 0,
  rows_written integer not null default 0,
  rows_reported integer not null default 0,
  report jsonb not null default '{}',
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint check_legacy_import_runs_source check (source in ('csv', 'staging', 'upload')),
  constraint check_legacy_import_runs_status check (status in ('completed', 'failed')),
  constraint check_legacy_import_runs_counts_non_negative check (rows_read >= 0 and rows_written >= 0 and rows_reported >= 0),
  constraint check_legacy_import_runs_file_name_length check (length(file_name) <= 255),
  constraint check_legacy_import_runs_report_object check (jsonb_typeof(report) = 'object'),
  constraint fk_legacy_import_runs_started_by_users foreign key (started_by) references crm.users (id) on delete set null
);
comment on table crm.legacy_import_runs is 'One row per legacy import that wrote rows, written in the import''s own transaction (a killed import leaves none).';
create index index_legacy_import_runs_on_started_at on crm.legacy_import_runs (started_at desc);
create index index_legacy_import_runs_on_started_by on crm.legacy_import_runs (started_by);

create table crm.legacy_review_items (
  id uuid primary key default gen_random_uuid(),
  legacy_deal_id uuid not null,
  import_run_id uuid,
  reason text not null,
  suggestions jsonb not null default '{}',
  status text not null default 'pending',
  resolution jsonb,
  resolved_by uuid,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  constraint check_legacy_review_items_reason check (reason in ('no_email_no_company', 'two_candidates', 'fuzzy_uncertain', 'no_company')),
  constraint check_legacy_review_items_status check (status in ('pending', 'resolved', 'dismissed')),
  constraint check_legacy_review_items_suggestions_object check (jsonb_typeof(suggestions) = 'object'),
  constraint check_legacy_review_items_resolved_fields check ((status = 'pending') = (resolved_at is null)),
  constraint fk_legacy_review_items_legacy_deal_id_legacy_deals foreign key (legacy_deal_id) references crm.legacy_deals (id) on delete cascade,
  constraint fk_legacy_review_items_import_run_id_legacy_import_runs foreign key (import_run_id) references crm.legacy_import_runs (id) on delete set null,
  constraint fk_legacy_review_items_resolved_by_users foreign key (resolved_by) references crm.users (id) on delete set null
);
comment on table crm.legacy_review_items is 'Legacy deals the importer would not link by guessing; suggestions holds candidate companies/contacts with scores.';
-- one open item per legacy deal (a re-run does not queue it twice)
create unique index unique_legacy_review_items_pending_legacy_deal_id on crm.legacy_review_items (legacy_deal_id) where status = 'pending';
create index index_legacy_review_items_on_legacy_deal_id on crm.legacy_review_items (legacy_deal_id);
create index index_legacy_review_items_on_status_and_created_at on crm.legacy_review_items (status, created_at);
create index index_legacy_review_items_on_import_run_id on crm.legacy_review_items (import_run_id);
create index index_legacy_review_items_on_resolved_by on crm.legacy_review_items (resolved_by);

-- how each staged deal was resolved (provenance of its company/contact link)
alter table crm.legacy_deals add column company_link text, add column contact_link text;
alter table crm.legacy_deals add constraint check_legacy_deals_company_link
  check (company_link in ('email_domain', 'name_match', 'fuzzy_match', 'contact', 'manual', 'created'));
alter table crm.legacy_deals add constraint check_legacy_deals_contact_link
  check (contact_link in ('email', 'name_match', 'created', 'manual'));
comment on column crm.legacy_deals.company_link is 'How the deal''s company was found: email_domain, name_match, fuzzy_match, contact, created or manual (review).';
-- "not yet migrated" is how the staging path finds its rows
create index index_legacy_deals_unmigrated on crm.legacy_deals (source) where migrated_at is null;

grant select, insert, update, delete on crm.legacy_import_runs, crm.legacy_review_items to crm_app;

do $$
declare
  t text;
begin
  foreach t in array array['legacy_import_runs', 'legacy_review_items'] loop
    execute format('alter table crm.%I enable row level security', t);
    execute format('alter table crm.%I force row level security', t);
    execute format('create policy %I on crm.%I for select to crm_app using ((select app.is_admin()))',
                   t || ': admins read', t);
    execute format('create policy %I on crm.%I for insert to crm_app with check ((select app.is_admin()))',
                   t || ': admins create', t);
    execute format('create policy %I on crm.%I for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()))',
                   t || ': admins update', t);
    execute format('create policy %I on crm.%I for delete to crm_app using ((select app.is_admin()))',
                   t || ': admins delete', t);
  end loop;
end
$$;
