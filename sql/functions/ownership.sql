-- Who may hand a deal to another owner: the one rule (app.may_reassign_owner, built from
-- app.reassign_scope and app.may_reassign_within) that the deals
-- update policy's manager clause, the owner-change trigger (sql/triggers/deals.sql), the writes
-- guard and services/deals.reassign_owner all follow.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.managed_user_ids() returns uuid[]
    language sql stable security definer
    set search_path to ''
    as $$
  -- the people an active manager manages: their direct reports and the members of the teams
  -- they manage, active or not (a departed rep's deals are the ones to hand on); never themself
  select coalesce((
    select array(
      select u.id from crm.users u
      where u.id <> me.id
        and (u.manager_id = me.id or u.team_id in (select t.id from crm.teams t where t.manager_id = me.id)))
    from crm.users me
    where me.id = app.current_user_id() and me.is_active and me.role = 'manager'), '{}'::uuid[])
$$;
alter function app.managed_user_ids() owner to crm_helper;
comment on function app.managed_user_ids() is 'Users the acting manager manages (direct reports and members of the teams they manage, active or not, never themself); empty for everyone else.';
revoke all on function app.managed_user_ids() from public;
grant execute on function app.managed_user_ids() to crm_app;

create or replace function app.reassign_scope() returns uuid[]
    language sql stable security definer
    set search_path to ''
    as $$
  -- null: any owner (an admin); a manager: themself and the people they manage; nobody else: none
  select case
    when app.is_admin() then null
    when app.current_user_role() = 'manager' then app.managed_user_ids() || app.active_user_id()
    else '{}'::uuid[]
  end
$$;
alter function app.reassign_scope() owner to crm_helper;
comment on function app.reassign_scope() is 'The owners between whom the acting user may move deals: null for any (admins), a manager''s people and themself, else none. Half of the reassignment rule (app.may_reassign_owner).';
revoke all on function app.reassign_scope() from public;
grant execute on function app.reassign_scope() to crm_app;

create or replace function app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) returns boolean
    language sql immutable
    set search_path to ''
    as $$
  select scope is null or (from_owner = any (scope) and to_owner = any (scope))
$$;
comment on function app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) is 'Whether a deal may move from from_owner to to_owner within app.reassign_scope() (null: anyone). A list asks the scope once: app.may_reassign_within((select app.reassign_scope()), ...).';
revoke all on function app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) from public;
grant execute on function app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) to crm_app;
grant execute on function app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) to crm_helper;

create or replace function app.may_reassign_owner(from_owner uuid, to_owner uuid) returns boolean
    language sql stable security definer
    set search_path to ''
    as $$
  -- the new owner is an active user; an admin hands any deal to them, a manager a deal of
  -- their own or of someone they manage to themself or someone they manage; nobody else
  select exists (select 1 from crm.users n where n.id = to_owner and n.is_active)
     and app.may_reassign_within(app.reassign_scope(), from_owner, to_owner)
$$;
alter function app.may_reassign_owner(from_owner uuid, to_owner uuid) owner to crm_helper;
comment on function app.may_reassign_owner(from_owner uuid, to_owner uuid) is 'The reassignment rule: whether the acting user may move a deal owned by from_owner to to_owner (an active user): admins always, managers between themself and the people they manage (app.reassign_scope, app.may_reassign_within).';
revoke all on function app.may_reassign_owner(from_owner uuid, to_owner uuid) from public;
grant execute on function app.may_reassign_owner(from_owner uuid, to_owner uuid) to crm_app;

create or replace function app.deals_check_owner_change() returns trigger
    language plpgsql
    set search_path to ''
    as $$
begin
  -- connections without an acting user (the scoring job, the CLI as owner) are not judged
  if app.current_user_id() is not null and not app.may_reassign_owner(old.owner_id, new.owner_id) then
    raise exception 'you may not hand this deal to that owner'
      using errcode = 'insufficient_privilege', table = 'deals', constraint = 'deal_owner_reassignment',
            hint = 'Admins reassign any deal; managers reassign between themselves and the people they manage, to an active user.';
  end if;
  return new;
end
$$;
comment on function app.deals_check_owner_change() is 'BEFORE UPDATE OF owner_id trigger on deals: a change of owner by an acting user must pass app.may_reassign_owner (42501, constraint deal_owner_reassignment).';
revoke all on function app.deals_check_owner_change() from public;

revoke create on schema app from crm_helper;
