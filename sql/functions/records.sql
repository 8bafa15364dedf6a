-- Record-keeping triggers: derived links of activities, stakeholder-mapping checks,
-- updated_at stamps, the task hierarchy, completed_at, and admin-only user columns.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.activities_maintain_links() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  if tg_op = 'UPDATE'
     and (new.company_id, new.contact_id, new.deal_id, new.user_id, new.type, new.date, new.details)
         is not distinct from (old.company_id, old.contact_id, old.deal_id, old.user_id, old.type, old.date, old.details)
  then
    -- only the sentiment was (re)scored: the interaction inherits it, the links stand
    update crm.contact_interactions ci set sentiment_score = new.sentiment_score
    where ci.activity_id = new.id and ci.contact_id = new.contact_id
      and ci.sentiment_score is distinct from new.sentiment_score;
    return null;
  end if;

  if tg_op = 'UPDATE' then
    delete from crm.company_activities ca
    where ca.activity_id = new.id and ca.link_source in ('direct', 'contact', 'deal');
    delete from crm.contact_interactions ci
    where ci.activity_id = new.id and ci.contact_id is distinct from new.contact_id;
  end if;

  -- the strongest way each company is reached wins (direct > deal > contact)
  insert into crm.company_activities (company_id, activity_id, relationship_strength, link_source)
  select distinct on (link.company_id) link.company_id, new.id, link.strength, link.source
  from (
    select new.company_id as company_id, 1.00 as strength, 'direct' as source
    union all
    select d.company_id, 0.90, 'deal' from crm.deals d where d.id = new.deal_id
    union all
    select c.company_id, 0.80, 'contact' from crm.contacts c where c.id = new.contact_id
  ) link
  where link.company_id is not null
  order by link.company_id, link.strength desc
  on conflict (company_id, activity_id) do nothing;

  if new.contact_id is not null then
    insert into crm.contact_interactions
      (contact_id, user_id, activity_id, interaction_type, direction, sentiment_score, interaction_date, notes)
    values (
      new.contact_id, new.user_id, new.id,
      case new.type when 'call' then 'call' when 'email' then 'email' when 'outbound' then 'email'
                    when 'meeting' then 'meeting' when 'proposal' then 'email' else 'other' end,
      'outbound', new.sentiment_score, new.date, left(new.details, 20000))
    on conflict (contact_id, activity_id) do update
      set user_id = excluded.user_id, interaction_type = excluded.interaction_type,
          sentiment_score = excluded.sentiment_score, interaction_date = excluded.interaction_date,
          notes = excluded.notes;
  end if;
  return null;
end
$$;
alter function app.activities_maintain_links() owner to crm_helper;
comment on function app.activities_maintain_links() is 'AFTER INSERT/UPDATE on activities: rewrites its company_activities and contact_interactions links (a sentiment-only update just passes the sentiment on).';
revoke all on function app.activities_maintain_links() from public;

create or replace function app.deals_check_stakeholder_mapping() returns trigger
    language plpgsql
    set search_path to ''
    as $$
declare
  links jsonb := new.stakeholder_mapping -> 'reports_to';
  bad text;
begin
  if tg_op = 'UPDATE' and new.stakeholder_mapping is not distinct from old.stakeholder_mapping then
    return new;
  end if;
  if tg_op = 'INSERT' and new.stakeholder_mapping = '{}'::jsonb then
    return new;
  end if;
  if current_user = 'crm_app' and not app.is_admin() then
    raise exception 'only an admin can change a deal''s stakeholder map'
      using errcode = 'insufficient_privilege';
  end if;
  if jsonb_typeof(new.stakeholder_mapping) <> 'object' then
    return new;  -- check_deals_stakeholder_mapping_object refuses it
  end if;
  if exists (select 1 from jsonb_object_keys(new.stakeholder_mapping) k where k <> 'reports_to')
     or (links is not null and jsonb_typeof(links) <> 'object') then
    raise exception 'stakeholder_mapping holds only an object "reports_to"'
      using errcode = 'check_violation', constraint = 'check_deals_stakeholder_mapping_valid';
  end if;
  if links is null then
    return new;
  end if;

  -- every link joins two different stakeholders of this deal
  select l.key into bad
  from jsonb_each(links) l
  where jsonb_typeof(l.value) <> 'string'
     or l.key = l.value #>> '{}'
     or not exists (select 1 from crm.deal_stakeholders s
                    where s.deal_id = new.id and s.contact_id::text = l.key)
     or not exists (select 1 from crm.deal_stakeholders s
                    where s.deal_id = new.id and s.contact_id::text = l.value #>> '{}')
  limit 1;
  if bad is not null then
    raise exception 'stakeholder map: % must report to another stakeholder of the deal', bad
      using errcode = 'check_violation', constraint = 'check_deals_stakeholder_mapping_valid';
  end if;

  -- walking up from anyone never comes back to them (at most one step per link)
  if exists (
    with recursive walk (start, node, steps) as (
      select l.key, l.value #>> '{}', 1 from jsonb_each(links) l
      union all
      select w.start, links ->> w.node, w.steps + 1
      from walk w
      where links ? w.node and w.node <> w.start
        and w.steps <= (select count(*) from jsonb_object_keys(links))
    )
    select 1 from walk where node = start
  ) then
    raise exception 'stakeholder map: the "reports to" links form a cycle'
      using errcode = 'check_violation', constraint = 'check_deals_stakeholder_mapping_valid';
  end if;
  return new;
end
$$;
comment on function app.deals_check_stakeholder_mapping() is 'BEFORE INSERT/UPDATE OF stakeholder_mapping on deals: admins only; links between two stakeholders of the deal, no self-links, no cycles.';

create or replace function app.deals_record_stage_change() returns trigger
    language plpgsql
    set search_path to ''
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

create or replace function app.deals_sync_status_from_stage() returns trigger
    language plpgsql
    set search_path to ''
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
  -- a lost deal has a reason (check_deals_lost_has_reason), others none: leaving a lost stage drops
  -- it; a deal created lost (imports, demo data) or lost without an acting user gets "Not recorded";
  -- an acting user who loses a deal must give one (the check refuses the update otherwise)
  if new.status <> 'lost' then
    new.lost_reason_id := null;
  elsif new.lost_reason_id is null and (tg_op = 'INSERT' or app.current_user_id() is null) then
    new.lost_reason_id := '00000000-0000-4000-8000-000000000100';
  end if;
  return new;
end
$$;
comment on function app.deals_sync_status_from_stage() is 'BEFORE INSERT/UPDATE OF stage_id, status, closed_at, lost_reason_id trigger: status and closed_at follow the stage, whatever the writer sent; the lost reason is dropped outside lost stages and defaults to "Not recorded" for deals created lost or lost without an acting user.';

create or replace function app.relink_activities_on_company_change() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  source text := case tg_table_name when 'contacts' then 'contact' else 'deal' end;
begin
  delete from crm.company_activities ca
  using crm.activities a
  where ca.activity_id = a.id and ca.link_source = source and ca.company_id = old.company_id
    and ((source = 'contact' and a.contact_id = new.id) or (source = 'deal' and a.deal_id = new.id));
  if new.company_id is not null then
    insert into crm.company_activities (company_id, activity_id, relationship_strength, link_source)
    select new.company_id, a.id, case source when 'deal' then 0.90 else 0.80 end, source
    from crm.activities a
    where (source = 'contact' and a.contact_id = new.id) or (source = 'deal' and a.deal_id = new.id)
    on conflict (company_id, activity_id) do nothing;
  end if;
  return null;
end
$$;
alter function app.relink_activities_on_company_change() owner to crm_helper;
comment on function app.relink_activities_on_company_change() is 'AFTER UPDATE OF company_id on contacts/deals: moves the activities'' contact/deal company links.';
revoke all on function app.relink_activities_on_company_change() from public;

create or replace function app.set_updated_at() returns trigger
    language plpgsql
    set search_path to ''
    as $$
declare
  computed text[] := app.computed_columns(tg_table_name);
begin
  if computed <> '{}'
     and (pg_catalog.to_jsonb(new) - computed - 'updated_at') = (pg_catalog.to_jsonb(old) - computed - 'updated_at') then
    new.updated_at := old.updated_at;  -- only scores changed: not an update of the row
  else
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;
comment on function app.set_updated_at() is 'BEFORE UPDATE trigger: stamps updated_at (not when only computed score columns change).';
revoke all on function app.set_updated_at() from public;

create or replace function app.tasks_maintain_hierarchy() returns trigger
    language plpgsql security definer
    set search_path to ''
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
alter function app.tasks_maintain_hierarchy() owner to crm_helper;
comment on function app.tasks_maintain_hierarchy() is 'BEFORE INSERT/UPDATE OF parent_task_id: sets depth, refuses cycles and depth > 5.';
revoke all on function app.tasks_maintain_hierarchy() from public;

create or replace function app.tasks_redepth_subtree() returns trigger
    language plpgsql security definer
    set search_path to ''
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
alter function app.tasks_redepth_subtree() owner to crm_helper;
comment on function app.tasks_redepth_subtree() is 'AFTER UPDATE OF parent_task_id: re-depths the moved subtree.';
revoke all on function app.tasks_redepth_subtree() from public;

create or replace function app.tasks_sync_completed_at() returns trigger
    language plpgsql
    set search_path to ''
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

create or replace function app.users_guard_admin_columns() returns trigger
    language plpgsql
    set search_path to ''
    as $$
begin
  if current_user = 'crm_app' and not app.is_admin() and (
       new.role is distinct from old.role or new.team_id is distinct from old.team_id
    or new.manager_id is distinct from old.manager_id or new.is_active is distinct from old.is_active
    or new.ai_features is distinct from old.ai_features or new.email is distinct from old.email
    or new.id is distinct from old.id) then
    raise exception 'only an admin can change role, team, manager, email, activity or AI access'
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;
comment on function app.users_guard_admin_columns() is 'BEFORE UPDATE on users: non-admins may not change admin-controlled columns.';

revoke create on schema app from crm_helper;
