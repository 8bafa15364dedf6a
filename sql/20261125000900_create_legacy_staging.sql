-- Staging for the legacy migration: deals and activities as the old system
-- held them, with text links (company, contact_name, contact_email, ...).
-- Values stay as text here; `crm import-legacy` validates and resolves them.

create table crm.legacy_deals (
  id uuid primary key default gen_random_uuid(),
  legacy_id text not null,
  name text,
  company text,
  contact_name text,
  contact_email text,
  contact_phone text,
  value text,
  stage text,
  owner_email text,
  expected_close_date text,
  created_at text,
  deal_id uuid,
  source text not null default 'csv',
  loaded_at timestamptz not null default now(),
  migrated_at timestamptz,
  constraint check_legacy_deals_source check (source in ('csv', 'demo')),
  constraint unique_legacy_deals_legacy_id unique (legacy_id),
  constraint fk_legacy_deals_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete set null
);
comment on table crm.legacy_deals is 'Legacy deal rows with text contact fields, waiting for (or recording) their resolution to companies and contacts.';
create index index_legacy_deals_on_deal_id on crm.legacy_deals (deal_id);

create table crm.legacy_activities (
  id uuid primary key default gen_random_uuid(),
  legacy_id text not null,
  owner_email text,
  type text,
  status text,
  client_name text,
  contact_identifier text,
  details text,
  date text,
  amount text,
  deal_legacy_id text,
  activity_id uuid,
  source text not null default 'csv',
  loaded_at timestamptz not null default now(),
  migrated_at timestamptz,
  constraint check_legacy_activities_source check (source in ('csv', 'demo')),
  constraint unique_legacy_activities_legacy_id unique (legacy_id),
  constraint fk_legacy_activities_activity_id_activities foreign key (activity_id) references crm.activities (id) on delete set null
);
comment on table crm.legacy_activities is 'Legacy activity rows with a free-text client name and contact identifier.';
create index index_legacy_activities_on_activity_id on crm.legacy_activities (activity_id);
create index index_legacy_activities_on_deal_legacy_id on crm.legacy_activities (deal_legacy_id);
