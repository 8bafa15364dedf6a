-- Deals link to their company and primary contact by foreign key (the legacy
-- text fields live only in the legacy staging table). Every stage change is
-- written to deal_stage_history by a trigger, and status follows the stage.

create table crm.deals (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  value numeric(14,2) not null default 0,
  stage_id uuid not null,
  owner_id uuid not null,
  expected_close_date date,
  status text not null default 'active',
  closed_at timestamptz,
  stage_changed_at timestamptz not null default now(),
  company_id uuid,
  primary_contact_id uuid,
  deal_intelligence_score numeric(5,2) not null default 0,
  win_probability_ai numeric(3,2),
  risk_factors text[] not null default '{}',
  opportunity_score numeric(5,2) not null default 0,
  competitor_analysis jsonb not null default '{}',
  stakeholder_mapping jsonb not null default '{}',
  technical_fit_score numeric(3,2),
  budget_confirmed boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_deals_name_not_blank check (btrim(name) <> '' and length(name) <= 200),
  constraint check_deals_value_non_negative check (value >= 0),
  constraint check_deals_status check (status in ('active', 'won', 'lost')),
  constraint check_deals_closed_at_matches_status check ((status = 'active') = (closed_at is null)),
  constraint check_deals_intelligence_score_range check (deal_intelligence_score between 0 and 100),
  constraint check_deals_win_probability_range check (win_probability_ai between 0 and 1),
  constraint check_deals_opportunity_score_range check (opportunity_score between 0 and 100),
  constraint check_deals_technical_fit_range check (technical_fit_score between 0 and 1),
  constraint check_deals_competitor_analysis_object check (jsonb_typeof(competitor_analysis) = 'object'),
  constraint check_deals_stakeholder_mapping_object check (jsonb_typeof(stakeholder_mapping) = 'object'),
  constraint fk_deals_stage_id_deal_stages foreign key (stage_id) references crm.deal_stages (id) on delete restrict,
  constraint fk_deals_owner_id_users foreign key (owner_id) references crm.users (id) on delete restrict,
  constraint fk_deals_company_id_companies foreign key (company_id) references crm.companies (id) on delete set null,
  constraint fk_deals_primary_contact_id_contacts foreign key (primary_contact_id) references crm.contacts (id) on delete set null
);
comment on table crm.deals is 'Opportunities. status and closed_at follow the stage (trigger); scores and risk_factors are computed.';
comment on column crm.deals.stakeholder_mapping is 'Validated JSON of "reports to" links between the deal''s stakeholders, saved with the stakeholder map.';
-- the dashboard/pipeline composite: a rep's open deals by stage and close date
create index index_deals_on_owner_status_stage_close on crm.deals (owner_id, status, stage_id, expected_close_date);
create index index_deals_on_owner_id_and_intelligence on crm.deals (owner_id, deal_intelligence_score desc);
create index index_deals_on_stage_id on crm.deals (stage_id);
create index index_deals_on_company_id on crm.deals (company_id);
create index index_deals_on_primary_contact_id on crm.deals (primary_contact_id);
create index index_deals_on_name_trgm on crm.deals using gin (lower(name) crm.gin_trgm_ops);
create index index_deals_on_risk_factors on crm.deals using gin (risk_factors);
create index index_deals_on_competitor_analysis on crm.deals using gin (competitor_analysis);
create index index_deals_on_stakeholder_mapping on crm.deals using gin (stakeholder_mapping);
create trigger set_updated_at before update on crm.deals for each row execute function app.set_updated_at();

create table crm.deal_stage_history (
  id uuid primary key default gen_random_uuid(),
  deal_id uuid not null,
  from_stage_id uuid,
  to_stage_id uuid not null,
  changed_at timestamptz not null default now(),
  changed_by uuid,
  constraint check_deal_stage_history_stage_changes check (from_stage_id is distinct from to_stage_id),
  constraint fk_deal_stage_history_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete cascade,
  constraint fk_deal_stage_history_from_stage_id_deal_stages foreign key (from_stage_id) references crm.deal_stages (id) on delete restrict,
  constraint fk_deal_stage_history_to_stage_id_deal_stages foreign key (to_stage_id) references crm.deal_stages (id) on delete restrict,
  constraint fk_deal_stage_history_changed_by_users foreign key (changed_by) references crm.users (id) on delete set null
);
comment on table crm.deal_stage_history is 'One row per stage a deal entered (from_stage_id null for the first); feeds days-in-stage, funnel conversion and the win model.';
create index index_deal_stage_history_on_deal_id_and_changed_at on crm.deal_stage_history (deal_id, changed_at);
create index index_deal_stage_history_on_from_stage_id on crm.deal_stage_history (from_stage_id);
create index index_deal_stage_history_on_to_stage_id on crm.deal_stage_history (to_stage_id);
create index index_deal_stage_history_on_changed_by on crm.deal_stage_history (changed_by);

-- Status and closed_at follow the stage: a won stage closes as won, a lost
-- stage as lost, any other stage reopens the deal.
create or replace function app.deals_sync_status_from_stage()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  stage record;
begin
  select s.is_won, s.is_lost into stage from crm.deal_stages s where s.id = new.stage_id;
  if stage.is_won then
    new.status := 'won';
  elsif stage.is_lost then
    new.status := 'lost';
  else
    new.status := 'active';
  end if;
  if new.status = 'active' then
    new.closed_at := null;
  elsif tg_op = 'UPDATE' and new.status is distinct from old.status then
    new.closed_at := pg_catalog.now();  -- closed (or re-closed, e.g. won -> lost) now
  else
    new.closed_at := coalesce(new.closed_at, pg_catalog.now());
  end if;
  if tg_op = 'UPDATE' and new.stage_id is distinct from old.stage_id then
    new.stage_changed_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function app.deals_sync_status_from_stage() is 'BEFORE INSERT/UPDATE OF stage_id, status, closed_at trigger: status and closed_at follow the stage, whatever the writer sent.';
create trigger sync_status_from_stage before insert or update of stage_id, status, closed_at on crm.deals
  for each row execute function app.deals_sync_status_from_stage();

-- Every stage a deal enters is recorded, with the acting user.
create or replace function app.deals_record_stage_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id then
    insert into crm.deal_stage_history (deal_id, from_stage_id, to_stage_id, changed_at, changed_by)
    values (new.id,
            case when tg_op = 'UPDATE' then old.stage_id end,
            new.stage_id,
            new.stage_changed_at,
            app.current_user_id());
  end if;
  return null;
end
$$;
comment on function app.deals_record_stage_change() is 'AFTER INSERT/UPDATE OF stage_id trigger: appends to deal_stage_history.';
create trigger record_stage_change after insert or update of stage_id on crm.deals
  for each row execute function app.deals_record_stage_change();
