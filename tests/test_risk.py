"""Risk factor thresholds live in one place (crm.intelligence_thresholds())
and every code the SQL can emit has a description."""

from __future__ import annotations

from pathlib import Path

from dashboard.intelligence import risk

SQL = "\n".join(path.read_text() for path in (Path(__file__).resolve().parent.parent / "sql" / "functions").glob("*.sql"))


def test_thresholds_come_from_the_sql_function(admin_conn):
    limits = risk.thresholds(admin_conn)
    assert limits["no_activity_days"] == 14 and limits["stalled_stage_days"] == 30
    assert limits["min_closed_deals"] == 30
    for code, sentence in risk.describe(list(risk.RISK_FACTORS), limits):
        assert "{" not in sentence, code


def test_every_described_code_is_emitted_by_the_sql():
    for code in risk.RISK_FACTORS:
        assert f"'{code}'" in SQL, code
