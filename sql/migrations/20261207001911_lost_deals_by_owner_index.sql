-- Load (issue 19): the team page's lost-reasons report (crm.get_lost_reasons_report) reads the team members'
-- deals lost in a date range. With only the status to go on it read every lost deal of the organisation and
-- kept those closed in the range (14 ms at `large`); by owner and close time it reads the team's (under 2 ms).
create index index_deals_lost_by_owner_and_closed_at on crm.deals (owner_id, closed_at) where status = 'lost';
comment on index crm.index_deals_lost_by_owner_and_closed_at is 'Lost deals by owner and close time: a team''s losses in a period (crm.get_lost_reasons_report).';
