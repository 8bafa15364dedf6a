"""Risk factor thresholds live in one place (crm.intelligence_thresholds())
and every code the SQL can emit has a description."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from dashboard.intelligence import risk, thresholds

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
SQL = "\n".join(path.read_text() for folder in ("functions", "triggers", "views") for path in (SQL_DIR / folder).glob("*.sql"))


def test_thresholds_come_from_the_sql_function(admin_conn):
    limits = thresholds.read(admin_conn)
    assert limits["no_activity_days"] == 14 and limits["stalled_stage_days"] == 30
    assert limits["min_closed_deals"] == 30
    for code, sentence in risk.describe(list(risk.RISK_FACTORS), limits):
        assert "{" not in sentence, code


def test_every_described_code_is_emitted_by_the_sql():
    for code in risk.RISK_FACTORS:
        assert f"'{code}'" in SQL, code


def test_every_cut_off_is_one_row_of_the_sql_function(admin_conn):
    limits = thresholds.read(admin_conn)
    # the dashboards', totals triggers' and pages' cut-offs live beside the risk thresholds
    assert limits["high_win_probability"] == Decimal("0.70") and limits["top_opportunity_score"] == 75
    assert limits["high_score"] == 80 and limits["medium_score"] == 50
    assert limits["decision_maker_score"] == Decimal("0.70")
    # SQL reads a single one by name, and a misspelt name is an error rather than a silent null
    assert admin_conn.execute("select crm.threshold('top_opportunity_score')").fetchone()[0] == 75
    with pytest.raises(psycopg.errors.UndefinedObject, match="no threshold named top_oportunity"):
        admin_conn.execute("select crm.threshold('top_oportunity')")


def test_no_cut_off_is_written_out_in_the_sql_that_uses_it():
    # the totals, their trigger and the dashboards name the threshold instead of its value
    for number in ("> 0.7", "> 75", "> 80", "> 50"):
        assert number not in SQL, number
