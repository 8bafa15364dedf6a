"""Static gates on our own source (SECURITY.md T5, T15, T17)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"


def sources(pattern: str = "*.py"):
    return [p for p in PACKAGE.rglob(pattern) if "vendor" not in p.parts]


def test_acting_user_is_only_set_transaction_locally():
    calls = {"app.user_id": [], "app.session": []}
    for path in sources():
        for match in re.finditer(r"set_config\(\s*'(app\.user_id|app\.session)'[^)]*\)", path.read_text()):
            calls[match.group(1)].append((path.name, match.group(0)))
    # app.user_id (believed from trusted logins only) is always transaction-local
    assert calls["app.user_id"] and all(call.endswith("true)") for _, call in calls["app.user_id"])
    # so is the session token, except in job_sessions.py: a job's or `crm import`'s own connections, which act as
    # one user for their whole life (many transactions) and are closed when the work ends
    session_level = [name for name, call in calls["app.session"] if not call.endswith("true)")]
    assert ("db.py", "set_config('app.session', :token, true)") in calls["app.session"]
    assert session_level == ["job_sessions.py"]
    assert not any(re.search(r"\bset\s+(local\s+)?app\.", p.read_text(), re.IGNORECASE) for p in sources())


def test_no_sql_built_with_string_formatting():
    offenders = []
    for path in sources():
        text = path.read_text()
        # sqlalchemy's text() (a module may have its own text() helper, e.g. COPY escaping)
        uses_sql_text = re.search(r"from sqlalchemy import [^\n]*\btext\b", text) is not None
        patterns = [r"execute\(\s*f[\"']", r"execute\([^)]*%\s*\("]
        if uses_sql_text:
            patterns += [r"\btext\(\s*f[\"']", r"\btext\([^)]*\.format\("]
        for pattern in patterns:
            offenders += [(path.name, m.group(0)) for m in re.finditer(pattern, text)]
    assert offenders == []


def test_templates_never_mark_user_data_safe():
    offenders = []
    for path in sources("*.html"):
        text = path.read_text()
        offenders += [(path.name, m.group(0)) for m in re.finditer(r"\|\s*safe\b|Markup\(|autoescape\s+false", text)]
    assert offenders == []
