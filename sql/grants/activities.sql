grant select,insert,delete,update on table crm.activities to crm_app;
grant select on table crm.activities to crm_helper;

grant update(engagement_quality) on table crm.activities to crm_helper;

grant update(outcome_prediction) on table crm.activities to crm_helper;

grant update(urgency_score) on table crm.activities to crm_helper;

grant select,insert,delete,update on table crm.activity_meetings to crm_app;
