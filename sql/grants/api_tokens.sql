-- Table privileges on personal access tokens: crm_app reads everything but the hash (row-level
-- security decides whose); only the definer functions (crm_helper) write.
revoke all on table crm.api_tokens from crm_app;
grant select (id, user_id, name, scope, prefix, created_at, expires_at, last_used_at, revoked_at)
  on table crm.api_tokens to crm_app;
grant select, insert, update (revoked_at, last_used_at) on table crm.api_tokens to crm_helper;
