"""Each table's row count and content checksum: what a backup's manifest records and a restore is
checked against.

A table's checksum does not depend on the order rows are stored in: each row's text (``t::text``,
with the output settings below pinned, so times read the same in any session) is hashed with md5, the
first 64 bits of each hash are summed as an exact number, and the checksum is the md5 of the count and
that sum. Two tables with the same rows have the same checksum; one changed, missing or extra row
changes it. Read with row-level security off: the connection must be a superuser's or BYPASSRLS (else
PostgreSQL refuses, rather than counting only the rows a policy shows).
"""

from __future__ import annotations

import psycopg
from psycopg import sql

# the settings a row's text depends on, the same on both sides of a comparison
PINNED_SETTINGS = {
    "timezone": "UTC",
    "datestyle": "ISO, YMD",
    "intervalstyle": "postgres",
    "extra_float_digits": "1",
    "bytea_output": "hex",
    "row_security": "off",
}

TABLES = """
select n.nspname, c.relname
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where c.relkind = 'r'
   and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
   and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
   and not exists (select from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
 order by 1, 2
"""

ROW_HASH = "('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric"


def tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Every ordinary table of the database (no system or extension tables), as (schema, name)."""
    return [tuple(row) for row in conn.execute(TABLES).fetchall()]


def pin_settings(conn: psycopg.Connection) -> None:
    """Pin the output settings for the current transaction (``set_config(..., true)``)."""
    for name, value in PINNED_SETTINGS.items():
        conn.execute("select pg_catalog.set_config(%s, %s, true)", (name, value))


def table_fingerprint(conn: psycopg.Connection, schema: str, name: str) -> dict:
    query = sql.SQL(
        "select count(*), md5(count(*)::text || ':' || coalesce(sum({}), 0)::text) from {}.{} as t"
    ).format(sql.SQL(ROW_HASH), sql.Identifier(schema), sql.Identifier(name))
    rows, checksum = conn.execute(query).fetchone()
    return {"rows": rows, "checksum": checksum}


def fingerprints(conn: psycopg.Connection) -> dict[str, dict]:
    """``{"schema.table": {"rows": n, "checksum": hex}}`` for every table, in the connection's open
    transaction (a repeatable-read one sees the same snapshot as a dump taken in it)."""
    pin_settings(conn)
    return {f"{schema}.{name}": table_fingerprint(conn, schema, name) for schema, name in tables(conn)}


def differences(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    """One line per table whose rows or checksum differ, or that is on one side only."""
    lines = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if want is None or got is None:
            lines.append(f"{table}: only in the {'restored database' if want is None else 'backup'}")
        elif want != got:
            lines.append(f"{table}: {want['rows']} row(s) backed up, {got['rows']} restored"
                         + ("" if want["rows"] != got["rows"] else " (contents differ)"))
    return lines
