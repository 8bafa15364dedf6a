-- Row-level security of the audit log.

drop policy if exists "audit_log: admins read all, others what they did" on crm.audit_log;
create policy "audit_log: admins read all, others what they did" on crm.audit_log
  for select to crm_app
  using ((select app.is_admin()) or actor_id = (select app.active_user_id()));
