-- app.is_admin() and app.readable_user_ids() look up the acting user once,
-- themselves, instead of through app.current_user_role(): the same answers,
-- one SECURITY DEFINER call each instead of two. Every read policy asks both
-- once per query (InitPlans), a dashboard call about thirty times.
--
-- readable_user_ids() also compared each of the 60 users with
-- app.current_user_id() twice and scanned the teams with it again: a plpgsql
-- function with its own search_path, never inlined, so called per row. For a
-- manager at the large scale that was 0.7 ms per call, several ms per page;
-- now 0.15 ms. The pair of calls costs a rep 30 us instead of 40
-- (bench/dashboard.py, bench/pages.py).

create or replace function app.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select u.role = 'admin' from crm.users u where u.id = app.current_user_id() and u.is_active), false)
$$;

create or replace function app.readable_user_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  -- a rep reads their own rows; a manager also the rows of the people they
  -- manage (directly or as manager of their team); nobody else (no, an
  -- inactive or an unknown user) reads anything
  select coalesce((
    select case me.role
      when 'manager' then array(
        select u.id from crm.users u
        where u.id = me.id
           or u.manager_id = me.id
           or u.team_id in (select t.id from crm.teams t where t.manager_id = me.id))
      when 'rep' then array[me.id]
      when 'admin' then array[me.id]
    end
    from crm.users me
    where me.id = app.current_user_id() and me.is_active), '{}'::uuid[])
$$;
