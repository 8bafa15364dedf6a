-- Load (issue 19): the deal list opens on active deals by expected close date. The plain
-- (expected_close_date, id) index starts with the closed deals' past dates, so a page of active deals walked
-- tens of thousands of closed ones first (30 ms at `large`). These two keep only active deals, in list order:
-- the team's (RLS keeps a manager's reps' deals) and one owner's ("mine", and a rep's own list).
create index index_deals_open_by_close_date on crm.deals (expected_close_date, id) where status = 'active';
comment on index crm.index_deals_open_by_close_date is 'Active deals in the deal list''s default order (expected close date, then id).';
create index index_deals_on_owner_id_open_by_close_date on crm.deals (owner_id, expected_close_date, id) where status = 'active';
comment on index crm.index_deals_on_owner_id_open_by_close_date is 'One owner''s active deals in the deal list''s default order.';
