-- The triggers that keep the running totals: per statement for inserts and deletes
-- (transition tables), per row for updates of the summed columns.

create or replace trigger maintain_daily_totals_delete after delete on crm.activities referencing old table as old_rows for each statement execute function app.activities_maintain_daily_totals();

create or replace trigger maintain_daily_totals_insert after insert on crm.activities referencing new table as new_rows for each statement execute function app.activities_maintain_daily_totals();

create or replace trigger maintain_daily_totals_update after update of user_id, date, type, status, quantity, amount, company_id
  on crm.activities for each row
  when ((old.user_id, old.date, old.type, old.status, old.quantity, old.amount, old.company_id)
        is distinct from (new.user_id, new.date, new.type, new.status, new.quantity, new.amount, new.company_id))
  execute function app.activities_maintain_daily_totals();

create or replace trigger maintain_totals_delete after delete on crm.deals referencing old table as old_rows for each statement execute function app.deals_maintain_totals();

create or replace trigger maintain_totals_delete after delete on crm.tasks referencing old table as old_rows for each statement execute function app.tasks_maintain_totals();

create or replace trigger maintain_totals_insert after insert on crm.deals referencing new table as new_rows for each statement execute function app.deals_maintain_totals();

create or replace trigger maintain_totals_insert after insert on crm.tasks referencing new table as new_rows for each statement execute function app.tasks_maintain_totals();

create or replace trigger maintain_totals_update
  after update of owner_id, stage_id, status, value, win_probability_ai, deal_intelligence_score on crm.deals
  for each row
  when ((old.owner_id, old.stage_id, old.status, old.value, old.win_probability_ai > crm.threshold('high_win_probability'),
         old.deal_intelligence_score > crm.threshold('top_opportunity_score'))
        is distinct from (new.owner_id, new.stage_id, new.status, new.value, new.win_probability_ai > crm.threshold('high_win_probability'),
                          new.deal_intelligence_score > crm.threshold('top_opportunity_score')))
  execute function app.deals_maintain_totals();

create or replace trigger maintain_totals_update after update of assigned_to, status, priority on crm.tasks
  for each row
  when ((old.assigned_to, old.status, old.priority) is distinct from (new.assigned_to, new.status, new.priority))
  execute function app.tasks_maintain_totals();
