-- Both roles may look up objects in the two schemas; what they may do is granted per object.
grant usage on schema app, crm to crm_app, crm_helper;
