-- Sessions the database issues (issue 14): the acting user is no longer a
-- setting any SQL may write, but a random per-session token that
-- app.current_user_id() resolves through crm.sessions, which crm_app cannot read.

create table crm.sessions (
    token_hash bytea primary key,  -- sha256 of the token; the token itself is never stored
    -- no foreign key: tests act as users that exist only in their own open
    -- transaction; app.current_user_id() joins crm.users (active) anyway
    user_id uuid not null,
    purpose text not null default 'web',
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    constraint check_sessions_purpose check (purpose in ('web', 'job')),
    constraint check_sessions_token_hash_length check (length(token_hash) = 32),
    constraint check_sessions_expiry_after_creation check (expires_at > created_at)
);
comment on table crm.sessions is 'Login sessions issued by app.log_in / app.fork_session: sha256 of the token, the user, expiry and revocation. Read and written only by definer functions (crm_helper); crm_app has no privilege on it.';
comment on column crm.sessions.purpose is 'web: a browser login; job: a session forked from one for work that outlives the request (an import).';
create index index_sessions_on_user_id on crm.sessions (user_id) where revoked_at is null;
comment on index crm.index_sessions_on_user_id is 'A user''s live sessions (logout everywhere, password change, deactivation).';
alter table crm.sessions enable row level security;
alter table crm.sessions force row level security;

-- the unused lockout columns and the cookie version give way to login_attempts
-- (failures are counted there) and crm.sessions (revocation)
alter table crm.users drop constraint check_users_failed_login_count_non_negative;
alter table crm.users drop constraint check_users_session_version_positive;
alter table crm.users drop column failed_login_count;
alter table crm.users drop column locked_until;
alter table crm.users drop column session_version;
alter table crm.users add column failures_cleared_at timestamptz;
comment on column crm.users.failures_cleared_at is 'When an admin last unlocked the account: failed logins before it no longer count.';

-- password_hash becomes a verifier: the argon2id parameters and salt, then the
-- sha256 of the full argon2id encoding. The app computes that encoding from the
-- password (app.login_salt gives the salt), the database compares, and a stolen
-- copy of the column is neither the hash nor something to log in with.
update crm.users
   set password_hash = substring(password_hash from '^(\$argon2[a-z]+\$v=[0-9]+\$[^$]+\$[^$]+)\$[^$]+$')
                       || '$sha256:' || encode(sha256(convert_to(password_hash, 'UTF8')), 'hex')
 where password_hash ~ '^\$argon2[a-z]+\$v=[0-9]+\$[^$]+\$[^$]+\$[^$]+$';
comment on column crm.users.password_hash is 'Password verifier: $argon2id$v=..$m=..,t=..,p=..$<salt>$sha256:<hex of sha256(full argon2id encoding)>; null: no password login. Written only by definer functions.';

-- audit rows never keep a password value (old rows included)
update crm.audit_log
   set old_values = old_values - 'password_hash', new_values = new_values - 'password_hash'
 where table_name = 'users' and (old_values ? 'password_hash' or new_values ? 'password_hash');

comment on table crm.users is 'People who log in: reps, managers and admins. password_hash is a verifier (see its column comment); null means no password login.';

-- the login helpers these replace (app.log_in, app.login_salt, app.login_failures
-- and the session functions in sql/functions/login.sql)
drop function if exists app.login_user_id(text);
drop function if exists app.recent_login_attempts_from(inet, integer);
drop function if exists app.recent_login_failures(text, integer);
drop function if exists app.record_login_attempt(text, inet, uuid, boolean);
drop function if exists app.session_is_valid(uuid, integer);
