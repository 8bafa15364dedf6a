-- Row-level security of the score history and win models.

drop policy if exists "company_score_history: read with the company" on crm.company_score_history;
create policy "company_score_history: read with the company" on crm.company_score_history
  for select to crm_app using (exists (select 1 from crm.companies c where c.id = company_id));

drop policy if exists "deal_score_history: read with the deal" on crm.deal_score_history;
create policy "deal_score_history: read with the deal" on crm.deal_score_history
  for select to crm_app using (exists (select 1 from crm.deals d where d.id = deal_id));

-- the model (features, scaler, coefficients, metrics: no row of anyone's data) is read by admins, and by
-- users with AI features for the "why this number" of a deal's win probability
drop policy if exists "win_models: admins read" on crm.win_models;
drop policy if exists "win_models: admins and AI users read" on crm.win_models;
create policy "win_models: admins and AI users read" on crm.win_models
  for select to crm_app
  using ((select app.is_admin())
         or (select coalesce(bool_or(u.ai_features and u.is_active), false) from crm.users u
             where u.id = (select app.active_user_id())));
