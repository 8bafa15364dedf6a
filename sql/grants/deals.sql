grant select,insert,delete,update on table crm.deal_stages to crm_app;
grant select on table crm.deal_stages to crm_helper;

grant select,insert,delete,update on table crm.deals to crm_app;
grant select on table crm.deals to crm_helper;

grant update(deal_intelligence_score) on table crm.deals to crm_helper;

grant update(win_probability_ai) on table crm.deals to crm_helper;

grant update(risk_factors) on table crm.deals to crm_helper;

grant select,insert,delete,update on table crm.deal_meetings to crm_app;
grant select on table crm.deal_meetings to crm_helper;

grant select,insert,delete,update on table crm.deal_stage_history to crm_app;
grant select on table crm.deal_stage_history to crm_helper;

grant select,insert,delete,update on table crm.deal_stakeholders to crm_app;
grant select on table crm.deal_stakeholders to crm_helper;

grant select,insert,delete,update on table crm.meeting_sequences to crm_app;
