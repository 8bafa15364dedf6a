-- Row-level security of personal access tokens: a user lists their own, an admin everyone's (to see
-- and revoke what an account can do). Nobody writes through the table: app.create_api_token and
-- app.revoke_api_token (sql/functions/tokens.sql) do, as crm_helper.

drop policy if exists "api_tokens: read own, admins all" on crm.api_tokens;
create policy "api_tokens: read own, admins all" on crm.api_tokens
  for select to crm_app
  using ((select app.is_admin()) or user_id = (select app.active_user_id()));
