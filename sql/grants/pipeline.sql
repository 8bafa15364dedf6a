-- Table privileges on the lost reasons (the policies decide who does what).
grant select, insert, update, delete on table crm.lost_reasons to crm_app;
