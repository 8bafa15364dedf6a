-- Score history and win models: written by the scoring job (crm_helper), read by the app.
grant select on table crm.company_score_history, crm.deal_score_history, crm.win_models to crm_app;
grant select, insert, update on table crm.company_score_history, crm.deal_score_history to crm_helper;
grant select on table crm.win_models to crm_helper;
