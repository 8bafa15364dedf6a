-- Triggers on tasks: depth and cycles of the hierarchy, completed_at.

create or replace trigger maintain_hierarchy before insert or update of parent_task_id on crm.tasks for each row execute function app.tasks_maintain_hierarchy();

create or replace trigger redepth_subtree after update of parent_task_id on crm.tasks
  for each row when (old.parent_task_id is distinct from new.parent_task_id)
  execute function app.tasks_redepth_subtree();

create or replace trigger sync_completed_at before insert or update of status, completed_at on crm.tasks for each row execute function app.tasks_sync_completed_at();
