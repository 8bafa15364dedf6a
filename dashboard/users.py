"""Creating users from the CLI (and, later, the admin pages)."""

from __future__ import annotations

import re

import psycopg

from dashboard import timezones
from dashboard.passwords import hash_password, password_problem

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserError(Exception):
    """Input that cannot make a user; the message says why."""


def create_user(
    conn: psycopg.Connection,
    email: str,
    role: str,
    password: str,
    full_name: str | None = None,
    team: str | None = None,
    manager_email: str | None = None,
    time_zone: str | None = None,
) -> str:
    """Insert a user (and the team, if new) in one transaction; return the new id. Without a ``time_zone``
    the browser's is adopted at the first login."""
    email = email.strip().lower()
    if time_zone is not None and (zone_problem := timezones.problem(time_zone)):
        raise UserError(zone_problem)
    if not EMAIL.match(email) or len(email) > 254:
        raise UserError(f"not a valid email address: {email!r}")
    problem = password_problem(password)
    if problem:
        raise UserError(f"password not accepted: {problem}")
    full_name = (full_name or email.split("@")[0]).strip()
    with conn.transaction():
        if conn.execute("select 1 from crm.users where lower(email) = %s", (email,)).fetchone():
            raise UserError(f"a user with email {email} already exists")
        manager_id = None
        if manager_email:
            row = conn.execute(
                "select id from crm.users where lower(email) = %s", (manager_email.strip().lower(),)
            ).fetchone()
            if row is None:
                raise UserError(f"no user with email {manager_email}")
            manager_id = row[0]
        team_id = None
        if team:
            row = conn.execute("select id from crm.teams where lower(name) = lower(%s)", (team.strip(),)).fetchone()
            team_id = (
                row[0]
                if row
                else conn.execute("insert into crm.teams (name) values (%s) returning id", (team.strip(),)).fetchone()[
                    0
                ]
            )
        user_id = conn.execute(
            """insert into crm.users (email, full_name, password_hash, role, team_id, manager_id, time_zone)
               values (%s, %s, %s, %s, %s, %s, %s) returning id""",
            (email, full_name, hash_password(password), role, team_id, manager_id, time_zone),
        ).fetchone()[0]
        if role == "manager" and team_id:
            conn.execute(
                "update crm.teams set manager_id = %s where id = %s and manager_id is null",
                (user_id, team_id),
            )
    return str(user_id)
