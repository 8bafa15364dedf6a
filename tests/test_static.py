"""Static gates on our own source (SECURITY.md T5, T15, T17)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"


def sources(pattern: str = "*.py"):
    return [p for p in PACKAGE.rglob(pattern) if "vendor" not in p.parts]


def test_app_user_is_only_set_transaction_locally():
    calls = []
    for path in sources():
        for match in re.finditer(r"set_config\(\s*'app\.user_id'[^)]*\)", path.read_text()):
            calls.append((path.name, match.group(0)))
    # exactly one place sets the acting user, and it is transaction-local
    assert calls and all(call.endswith("true)") for _, call in calls), calls
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
