-- Table privileges on tasks: the helper reads them and re-depths moved subtrees.
grant select, insert, update, delete on table crm.tasks to crm_app;
grant select, update (depth) on table crm.tasks to crm_helper;
