"""The app role owns nothing and has no way around row-level security."""

from __future__ import annotations

import psycopg

from dashboard import pg


def test_app_role_is_powerless(admin_conn):
    row = admin_conn.execute(
        "select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin from pg_roles where rolname = 'crm_app'"
    ).fetchone()
    # not superuser, cannot bypass RLS or create roles/databases; can log in
    assert row == (False, False, False, False, True)


def test_app_role_owns_nothing_and_is_in_no_other_role(admin_conn):
    owned = admin_conn.execute(
        """select count(*) from pg_class where relowner = 'crm_app'::regrole
           union all select count(*) from pg_proc where proowner = 'crm_app'::regrole
           union all select count(*) from pg_namespace where nspowner = 'crm_app'::regrole"""
    ).fetchall()
    assert owned == [(0,), (0,), (0,)]
    member_of = admin_conn.execute(
        """select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid
           where m.member = 'crm_app'::regrole"""
    ).fetchall()
    assert member_of == []


def test_app_role_has_no_truncate_references_trigger_or_create(admin_conn):
    granted = admin_conn.execute(
        """select c.relname, p.privilege from pg_class c
           cross join (values ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(privilege)
           where c.relnamespace in ('crm'::regnamespace, 'app'::regnamespace, 'crm_migrations'::regnamespace)
             and c.relkind in ('r', 'v', 'm', 'p')
             and has_table_privilege('crm_app', c.oid, p.privilege)"""
    ).fetchall()
    assert granted == []
    schemas = admin_conn.execute(
        """select nspname from pg_namespace
           where has_schema_privilege('crm_app', oid, 'CREATE')"""
    ).fetchall()
    assert schemas == []


def test_app_role_cannot_change_audit_log_or_read_migration_record(app_url):
    with psycopg.connect(pg.libpq_url(app_url)) as conn:
        for sql in ["update crm.audit_log set action = 'insert'", "delete from crm.audit_log",
                    "truncate crm.audit_log", "insert into crm.audit_log (table_name, action) values ('x', 'insert')",
                    "select * from crm_migrations.applied"]:  # fmt: skip
            try:
                conn.execute(sql)
            except psycopg.errors.InsufficientPrivilege:
                conn.rollback()
            else:
                raise AssertionError(f"crm_app was allowed: {sql}")


def test_app_connects_as_app_role(app, db_session):
    from tests.conftest import query

    assert query(app, "select current_user") == [("crm_app",)]


def test_app_role_sessions_have_the_bootstrap_limits(app_url):
    """What sql/bootstrap.sql sets for crm_app: time limits (SECURITY.md T28) and no JIT compilation,
    which would add tens of milliseconds to a query whose cost estimate overshoots."""
    with psycopg.connect(pg.libpq_url(app_url)) as conn:
        settings = dict(conn.execute(
            """select name, setting from pg_settings where name in
               ('statement_timeout', 'idle_in_transaction_session_timeout', 'lock_timeout', 'jit')"""
        ).fetchall())  # fmt: skip
    assert settings == {"statement_timeout": "5000", "idle_in_transaction_session_timeout": "30000",
                        "lock_timeout": "3000", "jit": "off"}  # fmt: skip
