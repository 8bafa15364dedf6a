"""The SQL of a record import, on the import's psycopg connection (acting as the importing user, so
row-level security decides what exists and what may change).

An insert that meets a unique key (a company domain, a contact email) held by a row the user cannot see
writes nothing (``on conflict do nothing``) and returns no id: the importer reports that row.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

TABLES = {"companies": "companies", "contacts": "contacts", "deals": "deals"}
# the fields each table stores as they are (the others are resolved first: company, contact_email, stage...)
COLUMNS = {
    "companies": ("name", "domain", "website", "industry", "phone", "address", "description", "employee_count",
                  "annual_revenue", "account_tier", "size"),
    "contacts": ("first_name", "last_name", "email", "phone", "title", "job_seniority", "company_id"),
    "deals": ("name", "value", "stage_id", "lost_reason_id", "expected_close_date", "company_id",
              "primary_contact_id", "forecast_category"),
}  # fmt: skip
RESCORE_CHUNK = 1000  # app.rescore_after_write takes at most 1000 ids per kind


def insert(conn: psycopg.Connection, entity: str, values: dict, owner_id) -> object | None:
    """Insert a row owned by ``owner_id``; its id, or None when a unique key is held by a hidden row."""
    columns = [c for c in COLUMNS[entity] if values.get(c) is not None]
    statement = sql.SQL("insert into crm.{} ({}) values ({}) on conflict do nothing returning id").format(
        sql.Identifier(TABLES[entity]),
        sql.SQL(", ").join(sql.Identifier(c) for c in ["owner_id", *columns]),
        sql.SQL(", ").join(sql.Placeholder() for _ in range(len(columns) + 1)),
    )
    row = conn.execute(statement, [owner_id, *(values[c] for c in columns)]).fetchone()
    return row[0] if row else None


def update(conn: psycopg.Connection, entity: str, row_id, values: dict) -> bool:
    """Set the row's columns the file gives a value for (an empty cell changes nothing); False when row-level
    security refused it."""
    columns = [c for c in COLUMNS[entity] if values.get(c) is not None]
    if not columns:
        return True
    statement = sql.SQL("update crm.{} set {} where id = %s").format(
        sql.Identifier(TABLES[entity]),
        sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns),
    )
    return conn.execute(statement, [*(values[c] for c in columns), row_id]).rowcount == 1


def create_company(conn: psycopg.Connection, name: str, owner_id):
    """A company of only a name (a contact's or deal's company that does not exist yet)."""
    return conn.execute(
        "insert into crm.companies (name, owner_id) values (%s, %s) returning id", (name, owner_id)
    ).fetchone()[0]


def existing(conn: psycopg.Connection, entity: str) -> list[tuple]:
    """What a file's rows may duplicate, among the rows the user sees (``imports.duplicates`` makes the keys):
    companies as (id, owner_id, name, domain), contacts as (id, owner_id, email, first name, last name, company
    name), deals as (id, owner_id, name, company name)."""
    if entity == "companies":
        return conn.execute("select id, owner_id, name, domain from crm.companies order by created_at, id").fetchall()
    if entity == "contacts":
        return conn.execute(
            """select p.id, p.owner_id, p.email, p.first_name, p.last_name, c.name
               from crm.contacts p left join crm.companies c on c.id = p.company_id order by p.created_at, p.id"""
        ).fetchall()
    return conn.execute(
        """select d.id, d.owner_id, d.name, c.name from crm.deals d left join crm.companies c on c.id = d.company_id
           order by d.created_at, d.id"""
    ).fetchall()


def companies_for_links(conn: psycopg.Connection, owner_id) -> list[tuple]:
    """(id, name, domain) of the companies the user sees, the user's own and the newest last."""
    return conn.execute(
        "select id, name, domain from crm.companies order by (owner_id = %s), created_at, id", (owner_id,)
    ).fetchall()


def contacts_with_email(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute("select email, id from crm.contacts where email is not null order by created_at, id").fetchall()


def rescore(conn: psycopg.Connection, entity: str, ids: list) -> None:
    """Recompute the written rows' scores in this transaction, RESCORE_CHUNK ids at a time."""
    argument = {"companies": "company_ids", "contacts": "contact_ids", "deals": "deal_ids"}[entity]
    statement = sql.SQL("select app.rescore_after_write({} => %s::uuid[])").format(sql.Identifier(argument))
    for start in range(0, len(ids), RESCORE_CHUNK):
        conn.execute(statement, (ids[start : start + RESCORE_CHUNK],))
