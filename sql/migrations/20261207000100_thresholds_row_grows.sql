-- crm.intelligence_thresholds() returns five more columns (the dashboards',
-- the totals triggers' and the pages' thresholds). A function's result
-- columns cannot be replaced in place, so the old one goes here, before the
-- definition files (sql/functions/scores.sql) create the new one.
drop function if exists crm.intelligence_thresholds();
