grant select on table crm.company_score_history to crm_app;
grant select,insert,update on table crm.company_score_history to crm_helper;

grant select on table crm.deal_score_history to crm_app;
grant select,insert,update on table crm.deal_score_history to crm_helper;

grant select on table crm.win_models to crm_app;
grant select on table crm.win_models to crm_helper;


--
-- PostgreSQL database dump complete
--
