-- Global search (crm.search_records: /search, the command palette) matches task titles too:
-- their trigram index (company and deal names, contact names and meeting titles have theirs
-- since the baseline).
create index index_tasks_on_title_trgm on crm.tasks using gin (lower(title) crm.gin_trgm_ops);
comment on index crm.index_tasks_on_title_trgm is 'Task titles by substring and trigram similarity: crm.search_records.';
