-- The pipeline admins manage (issue 15): stages rot after some days, can be reordered in one
-- statement and removed once no deal is in them (their stage history keeps its rows); a lost
-- deal has a reason from an admin-managed list.

-- rotting: days a deal may sit in the stage before it counts as stalled (null: never)
alter table crm.deal_stages add column rotting_days integer;
alter table crm.deal_stages add constraint check_deal_stages_rotting_days_range
  check (rotting_days is null or rotting_days between 1 and 365);
comment on column crm.deal_stages.rotting_days is 'Days a deal may stay in this stage before cards and lists mark it stalled; null: never.';
-- (the owner writes past row-level security only while it is not forced)
alter table crm.deal_stages no force row level security;
update crm.deal_stages set rotting_days = case name
  when 'Lead' then 14 when 'Qualified' then 21 when 'Opportunity' then 30 when 'Verbal' then 14 end
where not (is_won or is_lost);
alter table crm.deal_stages force row level security;

-- a reorder swaps positions inside one transaction: the uniqueness is checked at commit
alter table crm.deal_stages drop constraint unique_deal_stages_position;
alter table crm.deal_stages add constraint unique_deal_stages_position unique (position)
  deferrable initially deferred;

-- a removed stage leaves the history of the deals that passed through it (the stage as null)
alter table crm.deal_stage_history drop constraint fk_deal_stage_history_from_stage_id_deal_stages;
alter table crm.deal_stage_history add constraint fk_deal_stage_history_from_stage_id_deal_stages
  foreign key (from_stage_id) references crm.deal_stages(id) on delete set null;
alter table crm.deal_stage_history drop constraint fk_deal_stage_history_to_stage_id_deal_stages;
alter table crm.deal_stage_history alter column to_stage_id drop not null;
alter table crm.deal_stage_history add constraint fk_deal_stage_history_to_stage_id_deal_stages
  foreign key (to_stage_id) references crm.deal_stages(id) on delete set null;
alter table crm.deal_stage_history drop constraint check_deal_stage_history_stage_changes;
alter table crm.deal_stage_history add constraint check_deal_stage_history_stage_changes
  check (from_stage_id is distinct from to_stage_id or to_stage_id is null);
comment on column crm.deal_stage_history.to_stage_id is 'The stage entered; null once that stage was removed.';

-- lost reasons
create table crm.lost_reasons (
    id uuid default gen_random_uuid() not null,
    name text not null,
    position integer not null,
    is_active boolean default true not null,
    created_at timestamp with time zone default now() not null,
    updated_at timestamp with time zone default now() not null,
    version integer default 1 not null,
    constraint lost_reasons_pkey primary key (id),
    constraint check_lost_reasons_name_not_blank check (btrim(name) <> '' and length(name) <= 80)
);
comment on table crm.lost_reasons is 'Why deals are lost: the admin-managed list a user picks from when a deal moves to a lost stage; inactive reasons stay on old deals but are not offered.';
create unique index unique_lost_reasons_lower_name on crm.lost_reasons (lower(name));

-- 00000000-0000-4000-8000-000000000100 "Not recorded": the deals lost before reasons existed,
-- and lost deals written without an acting user (imports, demo data); admins cannot remove it
insert into crm.lost_reasons (id, name, position) values
  ('00000000-0000-4000-8000-000000000101', 'Price', 10),
  ('00000000-0000-4000-8000-000000000102', 'Competitor', 20),
  ('00000000-0000-4000-8000-000000000103', 'No budget', 30),
  ('00000000-0000-4000-8000-000000000104', 'No decision', 40),
  ('00000000-0000-4000-8000-000000000105', 'Timing', 50),
  ('00000000-0000-4000-8000-000000000100', 'Not recorded', 1000);

-- the view lists d.*: dropped here, created again with the new column by sql/views/intelligence.sql
drop view if exists crm.deals_with_complete_relationships;
alter table crm.deals add column lost_reason_id uuid;
comment on column crm.deals.lost_reason_id is 'Why the deal was lost (crm.lost_reasons); set exactly while the deal is lost.';
alter table crm.deals add constraint fk_deals_lost_reason_id_lost_reasons
  foreign key (lost_reason_id) references crm.lost_reasons(id) on delete restrict;
create index index_deals_on_lost_reason_id on crm.deals (lost_reason_id);
-- the owner writes past row-level security only while it is not forced
alter table crm.deals no force row level security;
update crm.deals set lost_reason_id = '00000000-0000-4000-8000-000000000100' where status = 'lost';
alter table crm.deals force row level security;
alter table crm.deals add constraint check_deals_lost_has_reason
  check ((status = 'lost') = (lost_reason_id is not null));

alter table crm.lost_reasons enable row level security;
alter table crm.lost_reasons force row level security;
