-- What reps do: activities, meetings (attendees, action items) and tasks
-- (a hierarchy at most 5 levels deep, without cycles).

create table crm.activities (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  type text not null,
  status text not null default 'completed',
  subject text,
  details text,
  date timestamptz not null default now(),
  amount numeric(14,2),
  quantity integer not null default 1,
  company_id uuid,
  contact_id uuid,
  deal_id uuid,
  sentiment_score numeric(3,2),
  engagement_quality text,
  outcome_prediction text,
  urgency_score numeric(3,2),
  activity_source text not null default 'manual',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_activities_type check (type in ('outbound', 'meeting', 'proposal', 'sale', 'call', 'email', 'note')),
  constraint check_activities_status check (status in ('pending', 'completed', 'cancelled', 'no_show')),
  constraint check_activities_subject_length check (length(subject) <= 300),
  constraint check_activities_details_length check (length(details) <= 20000),
  constraint check_activities_amount_non_negative check (amount >= 0),
  constraint check_activities_quantity_positive check (quantity >= 1),
  constraint check_activities_sentiment_range check (sentiment_score between -1 and 1),
  constraint check_activities_engagement_quality check (engagement_quality in ('low', 'medium', 'high', 'excellent')),
  constraint check_activities_outcome_prediction check (outcome_prediction in ('positive', 'neutral', 'negative', 'unclear')),
  constraint check_activities_urgency_range check (urgency_score between 0 and 1),
  constraint check_activities_source check (activity_source in ('manual', 'email', 'calendar', 'crm', 'integration', 'import')),
  constraint fk_activities_user_id_users foreign key (user_id) references crm.users (id) on delete restrict,
  constraint fk_activities_company_id_companies foreign key (company_id) references crm.companies (id) on delete set null,
  constraint fk_activities_contact_id_contacts foreign key (contact_id) references crm.contacts (id) on delete set null,
  constraint fk_activities_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete set null
);
comment on table crm.activities is 'Outbound, calls, emails, meetings held, proposals and sales; user_id is the owner. Sentiment and quality are computed.';
-- the dashboard composites: a rep's activity by date and type; a company's timeline
create index index_activities_on_user_id_date_type on crm.activities (user_id, date desc, type);
create index index_activities_on_company_id_and_date on crm.activities (company_id, date desc);
create index index_activities_on_contact_id on crm.activities (contact_id);
create index index_activities_on_deal_id_and_date on crm.activities (deal_id, date desc);
create trigger set_updated_at before update on crm.activities for each row execute function app.set_updated_at();

create table crm.meetings (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  starts_at timestamptz not null,
  ends_at timestamptz,
  owner_id uuid not null,
  company_id uuid,
  primary_contact_id uuid,
  primary_deal_id uuid,
  summary text,
  sentiment_score numeric(3,2),
  meeting_type text not null default 'other',
  meeting_outcome text not null default 'pending',
  meeting_quality_score numeric(3,2),
  follow_up_required boolean not null default false,
  follow_up_created boolean not null default false,
  next_steps text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_meetings_title_not_blank check (btrim(title) <> '' and length(title) <= 300),
  constraint check_meetings_ends_after_starts check (ends_at >= starts_at),
  constraint check_meetings_summary_length check (length(summary) <= 20000),
  constraint check_meetings_sentiment_range check (sentiment_score between -1 and 1),
  constraint check_meetings_type check (meeting_type in ('discovery', 'demo', 'proposal_presentation', 'negotiation', 'closing', 'check_in', 'technical_review', 'stakeholder_alignment', 'decision_maker_meeting', 'other')),
  constraint check_meetings_outcome check (meeting_outcome in ('positive', 'neutral', 'negative', 'no_show', 'reschedule', 'cancelled', 'pending')),
  constraint check_meetings_quality_range check (meeting_quality_score between 0 and 1),
  constraint fk_meetings_owner_id_users foreign key (owner_id) references crm.users (id) on delete restrict,
  constraint fk_meetings_company_id_companies foreign key (company_id) references crm.companies (id) on delete set null,
  constraint fk_meetings_primary_contact_id_contacts foreign key (primary_contact_id) references crm.contacts (id) on delete set null,
  constraint fk_meetings_primary_deal_id_deals foreign key (primary_deal_id) references crm.deals (id) on delete set null
);
comment on table crm.meetings is 'Customer meetings with type, outcome and summary; recording an outcome triggers the follow-up activity and task once.';
create index index_meetings_on_owner_id_and_starts_at on crm.meetings (owner_id, starts_at desc);
create index index_meetings_on_company_id_and_starts_at on crm.meetings (company_id, starts_at desc);
create index index_meetings_on_primary_contact_id on crm.meetings (primary_contact_id);
create index index_meetings_on_primary_deal_id on crm.meetings (primary_deal_id);
create index index_meetings_on_title_trgm on crm.meetings using gin (lower(title) crm.gin_trgm_ops);
create trigger set_updated_at before update on crm.meetings for each row execute function app.set_updated_at();

create table crm.meeting_attendees (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null,
  contact_id uuid,
  user_id uuid,
  name text not null,
  email text,
  is_external boolean not null default true,
  role text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_meeting_attendees_contact_or_user check (contact_id is not null or user_id is not null or email is not null),
  constraint check_meeting_attendees_name_not_blank check (btrim(name) <> '' and length(name) <= 200),
  constraint check_meeting_attendees_email_format check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' and length(email) <= 254),
  constraint fk_meeting_attendees_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete cascade,
  constraint fk_meeting_attendees_contact_id_contacts foreign key (contact_id) references crm.contacts (id) on delete set null,
  constraint fk_meeting_attendees_user_id_users foreign key (user_id) references crm.users (id) on delete set null,
  constraint unique_meeting_attendees_meeting_id_and_contact_id unique (meeting_id, contact_id),
  constraint unique_meeting_attendees_meeting_id_and_user_id unique (meeting_id, user_id)
);
comment on table crm.meeting_attendees is 'Who attended a meeting: contacts (external), users (internal) or a named email; each at most once.';
create index index_meeting_attendees_on_contact_id on crm.meeting_attendees (contact_id);
create index index_meeting_attendees_on_user_id on crm.meeting_attendees (user_id);
create trigger set_updated_at before update on crm.meeting_attendees for each row execute function app.set_updated_at();

create table crm.tasks (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  description text,
  due_date timestamptz,
  status text not null default 'pending',
  priority text not null default 'medium',
  task_type text not null default 'general',
  assigned_to uuid not null,
  created_by uuid default app.current_user_id(),
  deal_id uuid,
  company_id uuid,
  contact_id uuid,
  meeting_id uuid,
  parent_task_id uuid,
  sequence_order integer not null default 0,
  depth integer not null default 1,
  auto_generated boolean not null default false,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_tasks_title_not_blank check (btrim(title) <> '' and length(title) <= 300),
  constraint check_tasks_description_length check (length(description) <= 20000),
  constraint check_tasks_status check (status in ('pending', 'in_progress', 'completed', 'cancelled')),
  constraint check_tasks_priority check (priority in ('low', 'medium', 'high', 'urgent')),
  constraint check_tasks_type check (task_type in ('call', 'email', 'meeting', 'follow_up', 'proposal', 'demo', 'general')),
  constraint check_tasks_sequence_order_non_negative check (sequence_order >= 0),
  constraint check_tasks_depth_range check (depth between 1 and 5),
  constraint check_tasks_not_own_parent check (parent_task_id is distinct from id),
  constraint check_tasks_completed_at_matches_status check ((status = 'completed') = (completed_at is not null)),
  constraint fk_tasks_assigned_to_users foreign key (assigned_to) references crm.users (id) on delete restrict,
  constraint fk_tasks_created_by_users foreign key (created_by) references crm.users (id) on delete set null,
  constraint fk_tasks_deal_id_deals foreign key (deal_id) references crm.deals (id) on delete set null,
  constraint fk_tasks_company_id_companies foreign key (company_id) references crm.companies (id) on delete set null,
  constraint fk_tasks_contact_id_contacts foreign key (contact_id) references crm.contacts (id) on delete set null,
  constraint fk_tasks_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete set null,
  constraint fk_tasks_parent_task_id_tasks foreign key (parent_task_id) references crm.tasks (id) on delete cascade
);
comment on table crm.tasks is 'To-dos with subtasks: depth 1 is a top-level task, at most 5 levels, no cycles (trigger).';
create index index_tasks_on_assigned_to_status_due on crm.tasks (assigned_to, status, due_date);
create index index_tasks_on_created_by on crm.tasks (created_by);
create index index_tasks_on_deal_id on crm.tasks (deal_id);
create index index_tasks_on_company_id on crm.tasks (company_id);
create index index_tasks_on_contact_id on crm.tasks (contact_id);
create index index_tasks_on_meeting_id on crm.tasks (meeting_id);
create index index_tasks_on_parent_task_id_and_sequence on crm.tasks (parent_task_id, sequence_order);
create trigger set_updated_at before update on crm.tasks for each row execute function app.set_updated_at();

-- A task's depth is its parent's plus one; a move re-depths the whole subtree,
-- and refuses a cycle or a subtree that would end deeper than 5.
create or replace function app.tasks_maintain_hierarchy()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  parent_depth integer;
  deepest integer;
begin
  if new.parent_task_id is null then
    new.depth := 1;
  else
    select t.depth into parent_depth from crm.tasks t where t.id = new.parent_task_id;
    if parent_depth is null then
      -- an unknown parent is left to the foreign key to report
      new.depth := 1;
      return new;
    end if;
    if tg_op = 'UPDATE' and exists (
      with recursive ancestors(id, parent_task_id) as (
        select t.id, t.parent_task_id from crm.tasks t where t.id = new.parent_task_id
        union all
        select t.id, t.parent_task_id from crm.tasks t join ancestors a on t.id = a.parent_task_id
      ) cycle id set is_cycle using path
      select 1 from ancestors where ancestors.id = new.id
    ) then
      raise exception 'task % cannot be moved under its own subtask', new.id
        using errcode = 'check_violation', constraint = 'check_tasks_no_cycle';
    end if;
    new.depth := parent_depth + 1;
  end if;

  if tg_op = 'UPDATE' then
    -- how far the subtree below this task reaches, relative to it
    with recursive subtree(id, rel) as (
      select t.id, 1 from crm.tasks t where t.parent_task_id = new.id
      union all
      select t.id, s.rel + 1 from crm.tasks t join subtree s on t.parent_task_id = s.id
      where s.rel < 10
    )
    select coalesce(max(rel), 0) into deepest from subtree;
    if new.depth + deepest > 5 then
      raise exception 'task hierarchy would be % levels deep (at most 5)', new.depth + deepest
        using errcode = 'check_violation', constraint = 'check_tasks_depth_range';
    end if;
  elsif new.depth > 5 then
    raise exception 'task hierarchy would be % levels deep (at most 5)', new.depth
      using errcode = 'check_violation', constraint = 'check_tasks_depth_range';
  end if;
  return new;
end
$$;
comment on function app.tasks_maintain_hierarchy() is 'BEFORE INSERT/UPDATE OF parent_task_id: sets depth, refuses cycles and depth > 5.';
create trigger maintain_hierarchy before insert or update of parent_task_id on crm.tasks
  for each row execute function app.tasks_maintain_hierarchy();

-- completed_at follows status: stamped when a task is completed, cleared when reopened
create or replace function app.tasks_sync_completed_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status = 'completed' then
    new.completed_at := coalesce(new.completed_at, pg_catalog.now());
  else
    new.completed_at := null;
  end if;
  return new;
end
$$;
comment on function app.tasks_sync_completed_at() is 'BEFORE INSERT/UPDATE OF status, completed_at: completed_at is set exactly when status is completed.';
create trigger sync_completed_at before insert or update of status, completed_at on crm.tasks
  for each row execute function app.tasks_sync_completed_at();

-- After a move, the descendants' depths follow (their parent_task_id is
-- unchanged, so this update does not re-enter the trigger above).
create or replace function app.tasks_redepth_subtree()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  with recursive subtree(id, depth) as (
    select t.id, new.depth + 1 from crm.tasks t where t.parent_task_id = new.id
    union all
    select t.id, s.depth + 1 from crm.tasks t join subtree s on t.parent_task_id = s.id
    where s.depth < 10
  )
  update crm.tasks t set depth = s.depth
  from subtree s
  where t.id = s.id and t.depth <> s.depth;
  return null;
end
$$;
comment on function app.tasks_redepth_subtree() is 'AFTER UPDATE OF parent_task_id: re-depths the moved subtree.';
create trigger redepth_subtree after update of parent_task_id on crm.tasks
  for each row when (old.parent_task_id is distinct from new.parent_task_id)
  execute function app.tasks_redepth_subtree();

create table crm.meeting_action_items (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null,
  description text not null,
  assignee_id uuid,
  priority text not null default 'medium',
  deadline date,
  is_done boolean not null default false,
  task_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint check_meeting_action_items_description_not_blank check (btrim(description) <> '' and length(description) <= 2000),
  constraint check_meeting_action_items_priority check (priority in ('low', 'medium', 'high', 'urgent')),
  constraint fk_meeting_action_items_meeting_id_meetings foreign key (meeting_id) references crm.meetings (id) on delete cascade,
  constraint fk_meeting_action_items_assignee_id_users foreign key (assignee_id) references crm.users (id) on delete set null,
  constraint fk_meeting_action_items_task_id_tasks foreign key (task_id) references crm.tasks (id) on delete set null
);
comment on table crm.meeting_action_items is 'Action items agreed in a meeting; task_id links the task created from one.';
create index index_meeting_action_items_on_meeting_id on crm.meeting_action_items (meeting_id);
create index index_meeting_action_items_on_assignee_id on crm.meeting_action_items (assignee_id);
create unique index unique_meeting_action_items_task_id on crm.meeting_action_items (task_id);
create trigger set_updated_at before update on crm.meeting_action_items for each row execute function app.set_updated_at();
