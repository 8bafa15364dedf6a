-- Table privileges on activities and their meeting links. Row-level security
-- (sql/policies) decides which rows; these decide which commands and columns.
grant select, insert, update, delete on table crm.activities, crm.activity_meetings to crm_app;

-- the rescoring helper reads activities and writes only the scores it computes
grant select, update (engagement_quality, outcome_prediction, urgency_score) on table crm.activities to crm_helper;
