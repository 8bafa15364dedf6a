-- Row-level security of tasks: assignee, creator and their managers.
--
-- Policies admit admins first ((select app.is_admin())); reads compare the owner with
-- app.readable_user_ids(), writes with app.active_user_id(). Each helper call is wrapped
-- in (select ...) so that it runs once per statement (an InitPlan), not once per row.

drop policy if exists "tasks: create for self or (managers) team" on crm.tasks;
create policy "tasks: create for self or (managers) team" on crm.tasks
  for insert to crm_app
  with check ((select app.is_admin())
              or (created_by = (select app.active_user_id())
                  and assigned_to = any ((select app.readable_user_ids())::uuid[])));

drop policy if exists "tasks: delete assigned or created" on crm.tasks;
create policy "tasks: delete assigned or created" on crm.tasks
  for delete to crm_app
  using ((select app.is_admin()) or assigned_to = (select app.active_user_id())
         or created_by = (select app.active_user_id()));

drop policy if exists "tasks: read assigned, created, and team's" on crm.tasks;
create policy "tasks: read assigned, created, and team's" on crm.tasks
  for select to crm_app
  using ((select app.is_admin())
         or assigned_to = any ((select app.readable_user_ids())::uuid[])
         or created_by = (select app.active_user_id()));

drop policy if exists "tasks: update assigned or created" on crm.tasks;
create policy "tasks: update assigned or created" on crm.tasks
  for update to crm_app
  using ((select app.is_admin()) or assigned_to = (select app.active_user_id())
         or created_by = (select app.active_user_id()))
  with check ((select app.is_admin()) or assigned_to = any ((select app.readable_user_ids())::uuid[]));
