-- Triggers on deals: stakeholder-mapping checks, the stage history, status from stage, owner changes.

create or replace trigger check_stakeholder_mapping before insert or update of stakeholder_mapping on crm.deals for each row execute function app.deals_check_stakeholder_mapping();

create or replace trigger record_stage_change after insert or update of stage_id on crm.deals for each row execute function app.deals_record_stage_change();

create or replace trigger sync_status_from_stage before insert or update of stage_id, status, closed_at, lost_reason_id on crm.deals for each row execute function app.deals_sync_status_from_stage();

create or replace trigger check_owner_change before update of owner_id on crm.deals for each row when (old.owner_id is distinct from new.owner_id) execute function app.deals_check_owner_change();

create or replace trigger refuse_removing_a_used_stage before delete on crm.deal_stages for each row execute function app.deal_stages_refuse_removing_used();
