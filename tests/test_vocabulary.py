"""The vocabularies in dashboard/vocabulary.py are exactly what the database's CHECK constraints allow."""

from __future__ import annotations

import re

from dashboard import vocabulary

LISTED = re.compile(r"'([^']*)'::text")


def allowed_values(admin_conn) -> dict[str, set[str]]:
    """Every CHECK constraint in schema crm that is just `column = ANY (ARRAY[...])`, with its values."""
    rows = admin_conn.execute(
        """select conname, pg_get_constraintdef(oid) from pg_constraint
           where contype = 'c' and connamespace = 'crm'::regnamespace
             and pg_get_constraintdef(oid) ~ '^CHECK \\(\\(\\w+ = ANY \\(ARRAY\\[[^]]*\\]\\)\\)\\)$'"""
    ).fetchall()
    return {name: set(LISTED.findall(definition)) for name, definition in rows}


def test_every_vocabulary_matches_its_check_constraint(admin_conn):
    in_database = allowed_values(admin_conn)
    for constraint, values in vocabulary.CONSTRAINTS.items():
        assert constraint in in_database, f"{constraint} is not in the database"
        assert set(values) == in_database[constraint], constraint
        assert len(set(values)) == len(values), f"{constraint}: a value is listed twice"


def test_every_check_constraint_with_a_value_list_has_a_vocabulary(admin_conn):
    assert set(allowed_values(admin_conn)) == set(vocabulary.CONSTRAINTS)


def test_task_depth_limit_matches_the_database(admin_conn):
    # the range constraint and the hierarchy trigger both stop at MAX_TASK_DEPTH
    definition = admin_conn.execute(
        "select pg_get_constraintdef(oid) from pg_constraint where conname = 'check_tasks_depth_range'"
    ).fetchone()[0]
    assert f"depth <= {vocabulary.MAX_TASK_DEPTH}" in definition
    source = admin_conn.execute("select prosrc from pg_proc where oid = 'app.tasks_maintain_hierarchy'::regproc")
    assert f"at most {vocabulary.MAX_TASK_DEPTH}" in source.fetchone()[0]


def test_open_task_statuses_are_task_statuses():
    assert set(vocabulary.OPEN_TASK_STATUSES) < set(vocabulary.TASK_STATUSES)
