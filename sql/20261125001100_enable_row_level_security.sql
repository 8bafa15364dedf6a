-- Row-level security: the database is the wall.
--
-- Who sees what (DESIGN.md "Security model", SECURITY.md T3):
--   rep     own rows, plus rows reached through what they own (the company
--           and contacts of their deals, the relationship rows of their
--           activities, meetings and deals);
--   manager reads the rows of their team's members, writes their own;
--   admin   reads and writes everything;
--   nobody  (no, empty or junk app.user_id) sees and writes nothing.
--
-- Policies read the acting user through helpers wrapped as (select ...), so
-- each helper runs once per query (an InitPlan), not once per row. The
-- helpers that must read users/teams bypass RLS as SECURITY DEFINER functions
-- owned by crm_helper, with a pinned search_path, EXECUTE for crm_app only,
-- and they return ids and booleans, never rows.

grant usage on schema crm, app to crm_helper;
-- ALTER ... OWNER needs the new owner to have CREATE on the schema: granted
-- for this migration only, revoked at its end
grant create on schema app to crm_helper;
grant select on crm.users, crm.teams to crm_helper;
grant execute on function app.current_user_id() to crm_helper;

-- --- helpers -----------------------------------------------------------------

create or replace function app.current_user_role()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select u.role from crm.users u where u.id = app.current_user_id() and u.is_active
$$;
comment on function app.current_user_role() is 'Role of the acting user if active, else null.';

create or replace function app.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(app.current_user_role() = 'admin', false)
$$;
comment on function app.is_admin() is 'True when the acting user is an active admin.';

create or replace function app.readable_user_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  -- a rep reads their own rows; a manager also the rows of the people they
  -- manage (directly or as manager of their team); nobody else reads anything
  select case app.current_user_role()
    when 'manager' then array(
      select u.id from crm.users u
      where u.id = app.current_user_id()
         or u.manager_id = app.current_user_id()
         or u.team_id in (select t.id from crm.teams t where t.manager_id = app.current_user_id()))
    when 'rep' then array[app.current_user_id()]
    when 'admin' then array[app.current_user_id()]
    else '{}'::uuid[]
  end
$$;
comment on function app.readable_user_ids() is 'Users whose rows the acting user may read (self, plus team for managers); admins are handled by app.is_admin().';

create or replace function app.active_user_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.id from crm.users u where u.id = app.current_user_id() and u.is_active
$$;
comment on function app.active_user_id() is 'The acting user id if that user exists and is active, else null: what write policies compare owners with.';

create or replace function app.current_team_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.team_id from crm.users u where u.id = app.current_user_id() and u.is_active
$$;
comment on function app.current_team_id() is 'Team of the acting user, or null.';

do $$
declare
  f text;
begin
  foreach f in array array[
    'app.current_user_role()', 'app.is_admin()', 'app.readable_user_ids()',
    'app.active_user_id()', 'app.current_team_id()'
  ] loop
    execute format('alter function %s owner to crm_helper', f);
    execute format('revoke all on function %s from public', f);
    execute format('grant execute on function %s to crm_app', f);
  end loop;
end
$$;

-- The audit trigger writes as crm_helper (BYPASSRLS), so audit_log needs no
-- insert policy or grant for the app; reps read the rows they caused.
alter function app.audit_row_change() owner to crm_helper;
grant insert on crm.audit_log to crm_helper;
grant select on crm.audit_log to crm_app;

-- Users may change only some of their own columns; role, team, manager,
-- activity, email and the AI flag are for admins (a policy cannot compare old
-- and new values, a trigger can).
create or replace function app.users_guard_admin_columns()
returns trigger
language plpgsql
set search_path = ''
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
create trigger guard_admin_columns before update on crm.users
  for each row execute function app.users_guard_admin_columns();

-- --- enable and force on every table ----------------------------------------

do $$
declare
  t text;
begin
  foreach t in array array[
    'teams', 'users', 'targets', 'deal_stages', 'companies', 'contacts', 'deals',
    'deal_stage_history', 'activities', 'meetings', 'meeting_attendees',
    'meeting_action_items', 'tasks', 'company_activities', 'deal_meetings',
    'contact_interactions', 'deal_stakeholders', 'activity_meetings', 'meeting_sequences',
    'audit_log', 'legacy_deals', 'legacy_activities'
  ] loop
    execute format('alter table crm.%I enable row level security', t);
    execute format('alter table crm.%I force row level security', t);
  end loop;
end
$$;

-- --- people ----------------------------------------------------------------------

create policy "users: read self, team (managers), all (admins)" on crm.users
  for select to crm_app
  using ((select app.is_admin()) or id = any ((select app.readable_user_ids())::uuid[]));
create policy "users: admins create" on crm.users
  for insert to crm_app with check ((select app.is_admin()));
create policy "users: update self or (admins) anyone" on crm.users
  for update to crm_app
  using ((select app.is_admin()) or id = (select app.active_user_id()))
  with check ((select app.is_admin()) or id = (select app.active_user_id()));
create policy "users: admins delete" on crm.users
  for delete to crm_app using ((select app.is_admin()));

create policy "teams: read own team, managed team, all (admins)" on crm.teams
  for select to crm_app
  using ((select app.is_admin()) or id = (select app.current_team_id())
         or manager_id = (select app.active_user_id()));
create policy "teams: admins create" on crm.teams
  for insert to crm_app with check ((select app.is_admin()));
create policy "teams: admins update" on crm.teams
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));
create policy "teams: admins delete" on crm.teams
  for delete to crm_app using ((select app.is_admin()));

create policy "targets: read own and team's" on crm.targets
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));
create policy "targets: admins create" on crm.targets
  for insert to crm_app with check ((select app.is_admin()));
create policy "targets: admins update" on crm.targets
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));
create policy "targets: admins delete" on crm.targets
  for delete to crm_app using ((select app.is_admin()));

create policy "deal_stages: every user reads the pipeline" on crm.deal_stages
  for select to crm_app using ((select app.active_user_id()) is not null);
create policy "deal_stages: admins create" on crm.deal_stages
  for insert to crm_app with check ((select app.is_admin()));
create policy "deal_stages: admins update" on crm.deal_stages
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));
create policy "deal_stages: admins delete" on crm.deal_stages
  for delete to crm_app using ((select app.is_admin()));

-- --- owned core rows: read own/team, write own ---------------------------------

create policy "deals: read own and team's" on crm.deals
  for select to crm_app
  using ((select app.is_admin()) or owner_id = any ((select app.readable_user_ids())::uuid[]));
create policy "deals: create own" on crm.deals
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "deals: update own" on crm.deals
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "deals: delete own" on crm.deals
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

-- a company is also readable through a deal the user may read
create policy "companies: read own, team's, and those of readable deals" on crm.companies
  for select to crm_app
  using ((select app.is_admin())
         or owner_id = any ((select app.readable_user_ids())::uuid[])
         or id in (select d.company_id from crm.deals d
                   where d.owner_id = any ((select app.readable_user_ids())::uuid[])));
create policy "companies: create own" on crm.companies
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "companies: update own" on crm.companies
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "companies: delete own" on crm.companies
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

-- a contact is also readable as primary contact or stakeholder of a readable deal
create policy "contacts: read own, team's, and those on readable deals" on crm.contacts
  for select to crm_app
  using ((select app.is_admin())
         or owner_id = any ((select app.readable_user_ids())::uuid[])
         or id in (select d.primary_contact_id from crm.deals d
                   where d.owner_id = any ((select app.readable_user_ids())::uuid[]))
         or id in (select s.contact_id from crm.deal_stakeholders s join crm.deals d on d.id = s.deal_id
                   where d.owner_id = any ((select app.readable_user_ids())::uuid[])));
create policy "contacts: create own" on crm.contacts
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "contacts: update own" on crm.contacts
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "contacts: delete own" on crm.contacts
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

create policy "activities: read own and team's" on crm.activities
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));
create policy "activities: create own" on crm.activities
  for insert to crm_app with check ((select app.is_admin()) or user_id = (select app.active_user_id()));
create policy "activities: update own" on crm.activities
  for update to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or user_id = (select app.active_user_id()));
create policy "activities: delete own" on crm.activities
  for delete to crm_app using ((select app.is_admin()) or user_id = (select app.active_user_id()));

create policy "meetings: read own and team's" on crm.meetings
  for select to crm_app
  using ((select app.is_admin()) or owner_id = any ((select app.readable_user_ids())::uuid[]));
create policy "meetings: create own" on crm.meetings
  for insert to crm_app with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "meetings: update own" on crm.meetings
  for update to crm_app
  using ((select app.is_admin()) or owner_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or owner_id = (select app.active_user_id()));
create policy "meetings: delete own" on crm.meetings
  for delete to crm_app using ((select app.is_admin()) or owner_id = (select app.active_user_id()));

-- tasks: the assignee and the creator; a manager may assign to their team
create policy "tasks: read assigned, created, and team's" on crm.tasks
  for select to crm_app
  using ((select app.is_admin())
         or assigned_to = any ((select app.readable_user_ids())::uuid[])
         or created_by = (select app.active_user_id()));
create policy "tasks: create for self or (managers) team" on crm.tasks
  for insert to crm_app
  with check ((select app.is_admin())
              or (created_by = (select app.active_user_id())
                  and assigned_to = any ((select app.readable_user_ids())::uuid[])));
create policy "tasks: update assigned or created" on crm.tasks
  for update to crm_app
  using ((select app.is_admin()) or assigned_to = (select app.active_user_id())
         or created_by = (select app.active_user_id()))
  with check ((select app.is_admin()) or assigned_to = any ((select app.readable_user_ids())::uuid[]));
create policy "tasks: delete assigned or created" on crm.tasks
  for delete to crm_app
  using ((select app.is_admin()) or assigned_to = (select app.active_user_id())
         or created_by = (select app.active_user_id()));

create policy "contact_interactions: read own and team's" on crm.contact_interactions
  for select to crm_app
  using ((select app.is_admin()) or user_id = any ((select app.readable_user_ids())::uuid[]));
create policy "contact_interactions: create own" on crm.contact_interactions
  for insert to crm_app with check ((select app.is_admin()) or user_id = (select app.active_user_id()));
create policy "contact_interactions: update own" on crm.contact_interactions
  for update to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()))
  with check ((select app.is_admin()) or user_id = (select app.active_user_id()));
create policy "contact_interactions: delete own" on crm.contact_interactions
  for delete to crm_app using ((select app.is_admin()) or user_id = (select app.active_user_id()));

-- --- rows that belong to a parent: visible with it, written by its owner -------
-- (the subqueries run under the parent's own policy as well)

create policy "deal_stage_history: read with the deal" on crm.deal_stage_history
  for select to crm_app
  using (exists (select 1 from crm.deals d where d.id = deal_id));
create policy "deal_stage_history: written for own deals" on crm.deal_stage_history
  for insert to crm_app
  with check (exists (select 1 from crm.deals d where d.id = deal_id
                      and ((select app.is_admin()) or d.owner_id = (select app.active_user_id()))));

create policy "meeting_attendees: read with the meeting" on crm.meeting_attendees
  for select to crm_app using (exists (select 1 from crm.meetings m where m.id = meeting_id));
create policy "meeting_action_items: read with the meeting" on crm.meeting_action_items
  for select to crm_app using (exists (select 1 from crm.meetings m where m.id = meeting_id));
create policy "deal_meetings: read with the deal" on crm.deal_meetings
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));
create policy "deal_stakeholders: read with the deal" on crm.deal_stakeholders
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));
create policy "meeting_sequences: read with the deal" on crm.meeting_sequences
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));
create policy "company_activities: read with the activity" on crm.company_activities
  for select to crm_app using (exists (select 1 from crm.activities a where a.id = activity_id));
create policy "activity_meetings: read with the activity" on crm.activity_meetings
  for select to crm_app using (exists (select 1 from crm.activities a where a.id = activity_id));

do $$
declare
  spec text[];
begin
  -- table, parent table, parent key column, parent owner column
  foreach spec slice 1 in array array[
    array['meeting_attendees', 'meetings', 'meeting_id', 'owner_id'],
    array['meeting_action_items', 'meetings', 'meeting_id', 'owner_id'],
    array['deal_meetings', 'deals', 'deal_id', 'owner_id'],
    array['meeting_sequences', 'deals', 'deal_id', 'owner_id'],
    array['company_activities', 'activities', 'activity_id', 'user_id'],
    array['activity_meetings', 'activities', 'activity_id', 'user_id']
  ] loop
    execute format($f$
      create policy %1$I on crm.%2$I for insert to crm_app
        with check (exists (select 1 from crm.%3$I p where p.id = %4$I
                            and ((select app.is_admin()) or p.%5$I = (select app.active_user_id()))))$f$,
      spec[1] || ': create for own ' || spec[2], spec[1], spec[2], spec[3], spec[4]);
    execute format($f$
      create policy %1$I on crm.%2$I for update to crm_app
        using (exists (select 1 from crm.%3$I p where p.id = %4$I
                       and ((select app.is_admin()) or p.%5$I = (select app.active_user_id()))))
        with check (exists (select 1 from crm.%3$I p where p.id = %4$I
                            and ((select app.is_admin()) or p.%5$I = (select app.active_user_id()))))$f$,
      spec[1] || ': update for own ' || spec[2], spec[1], spec[2], spec[3], spec[4]);
    execute format($f$
      create policy %1$I on crm.%2$I for delete to crm_app
        using (exists (select 1 from crm.%3$I p where p.id = %4$I
                       and ((select app.is_admin()) or p.%5$I = (select app.active_user_id()))))$f$,
      spec[1] || ': delete for own ' || spec[2], spec[1], spec[2], spec[3], spec[4]);
  end loop;
end
$$;

-- stakeholder maps are edited by admins only (DESIGN.md: admins edit stakeholder maps)
create policy "deal_stakeholders: admins create" on crm.deal_stakeholders
  for insert to crm_app with check ((select app.is_admin()));
create policy "deal_stakeholders: admins update" on crm.deal_stakeholders
  for update to crm_app using ((select app.is_admin())) with check ((select app.is_admin()));
create policy "deal_stakeholders: admins delete" on crm.deal_stakeholders
  for delete to crm_app using ((select app.is_admin()));

-- --- admin-only and read-only tables -------------------------------------------

create policy "audit_log: admins read all, others what they did" on crm.audit_log
  for select to crm_app
  using ((select app.is_admin()) or actor_id = (select app.active_user_id()));

do $$
declare
  t text;
begin
  foreach t in array array['legacy_deals', 'legacy_activities'] loop
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

-- The task-hierarchy triggers must see and re-depth the whole subtree, also
-- subtasks assigned to other people, so they run as crm_helper. They touch
-- only tasks.depth and read only ids and depths.
grant select, update (depth) on crm.tasks to crm_helper;
alter function app.tasks_maintain_hierarchy() security definer;
alter function app.tasks_maintain_hierarchy() owner to crm_helper;
alter function app.tasks_redepth_subtree() security definer;
alter function app.tasks_redepth_subtree() owner to crm_helper;
revoke all on function app.tasks_maintain_hierarchy(), app.tasks_redepth_subtree() from public;

revoke create on schema app from crm_helper;
