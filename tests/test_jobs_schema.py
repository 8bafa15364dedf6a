"""The job queue's schema (crm_jobs) is the installed Procrastinate's own, object for object.

The migration installs the package's ``schema.sql`` into crm_jobs (its ``-- install:`` line), and
sql/functions/jobs.sql pins the functions' search path. Here the package's own ``schema.sql`` is run into
a scratch schema, in a transaction that is rolled back, and both are read from the catalog: a
Procrastinate upgrade that changes its schema fails this test until a migration brings crm_jobs along.
"""

from __future__ import annotations

from procrastinate.schema import SchemaManager

REFERENCE = "procrastinate_reference"

CATALOG = {
    "columns": """select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                         pg_get_expr(d.adbin, d.adrelid)
                    from pg_attribute a join pg_class c on c.oid = a.attrelid
                    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                   where c.relnamespace = %(schema)s::regnamespace and c.relkind = 'r' and a.attnum > 0
                     and not a.attisdropped""",
    "constraints": """select c.relname, con.conname, pg_get_constraintdef(con.oid)
                        from pg_constraint con join pg_class c on c.oid = con.conrelid
                       where con.connamespace = %(schema)s::regnamespace""",
    "indexes": "select indexname, indexdef from pg_indexes where schemaname = %(schema)s",
    "functions": """select p.proname, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), p.prosrc,
                           p.provolatile, p.prosecdef
                      from pg_proc p where p.pronamespace = %(schema)s::regnamespace""",
    "triggers": """select t.tgname, pg_get_triggerdef(t.oid) from pg_trigger t join pg_class c on c.oid = t.tgrelid
                    where c.relnamespace = %(schema)s::regnamespace and not t.tgisinternal""",
    "enums": """select t.typname, array_agg(e.enumlabel order by e.enumsortorder)
                  from pg_type t join pg_enum e on e.enumtypid = t.oid
                 where t.typnamespace = %(schema)s::regnamespace group by t.typname""",
    "composites": """select t.typname, a.attname, format_type(a.atttypid, a.atttypmod)
                       from pg_type t join pg_attribute a on a.attrelid = t.typrelid
                      where t.typnamespace = %(schema)s::regnamespace and t.typtype = 'c'
                        and exists (select from pg_class c where c.oid = t.typrelid and c.relkind = 'c')""",
}


def catalog(conn, schema: str) -> dict[str, set]:
    """Every object of ``schema`` as the catalog prints it, read with the schema on the search path (so
    names print unqualified) and any remaining qualification removed."""
    conn.execute("select set_config('search_path', %s, true)", (f"{schema}, pg_catalog",))
    found = {}
    for kind, sql in CATALOG.items():
        rows = conn.execute(sql, {"schema": schema}).fetchall()
        found[kind] = {tuple(str(v).replace(f"{schema}.", "") for v in row) for row in rows}
    return found


def test_the_queue_schema_is_the_installed_procrastinates(admin_conn):
    admin_conn.execute(f"create schema {REFERENCE}")
    admin_conn.execute(f"set local search_path = {REFERENCE}")
    admin_conn.execute(SchemaManager.get_schema())
    expected = catalog(admin_conn, REFERENCE)
    actual = catalog(admin_conn, "crm_jobs")
    assert len(expected["functions"]) >= 18 and len(expected["columns"]) >= 20  # the reference was really built
    for kind in CATALOG:
        assert actual[kind] == expected[kind], kind


def test_the_queue_functions_pin_their_search_path_and_only_enqueueing_is_granted(admin_conn):
    rows = admin_conn.execute(
        """select p.proname, p.proconfig, has_function_privilege('crm_app', p.oid, 'execute'),
                  has_function_privilege('public', p.oid, 'execute'), obj_description(p.oid, 'pg_proc') is not null
             from pg_proc p where p.pronamespace = 'crm_jobs'::regnamespace"""
    ).fetchall()
    assert len(rows) == 18
    for name, config, app_may, public_may, documented in rows:
        assert config == ["search_path=pg_catalog, crm_jobs"], name
        assert (app_may, public_may) == (name == "procrastinate_defer_jobs_v1", False), name
        assert documented, name
    tables = admin_conn.execute(
        """select c.relname, obj_description(c.oid, 'pg_class') is not null, pg_get_userbyid(c.relowner)
             from pg_class c where c.relnamespace = 'crm_jobs'::regnamespace and c.relkind = 'r'"""
    ).fetchall()
    assert sorted(tables) == [(name, True, "crm_owner") for name in
                              ("procrastinate_events", "procrastinate_jobs", "procrastinate_periodic_defers",
                               "procrastinate_workers")]  # fmt: skip
