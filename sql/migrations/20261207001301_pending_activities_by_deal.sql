-- A deal's next step (services/deal_health.py) is its earliest pending activity or open task with a
-- due date; cards and deal lists ask it for up to 150 deals at once. Pending activities are few: this
-- partial index answers for them without reading the deals' other activities.
create index index_activities_pending_on_deal_id_and_date on crm.activities (deal_id, date)
  where status = 'pending' and deal_id is not null;
