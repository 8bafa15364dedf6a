"""What ``/admin/health`` shows: the figures ``/metrics`` exposes (read back from the same exposition, so the
two never disagree), grouped for people, and the app's slowest statements from pg_stat_statements."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy.exc
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from dashboard import metrics
from dashboard.db import db


@dataclass
class EndpointFigures:
    endpoint: str
    method: str
    count: int
    mean_ms: float
    p95_ms: float | None  # the upper bound of the bucket holding the 95th percentile; None: above the last


def samples(app: Flask) -> dict[str, list]:
    """Every sample of the exposition, by metric family name: [(sample name, labels, value)]."""
    found: dict[str, list] = defaultdict(list)
    for family in text_string_to_metric_families(metrics.exposition(app).decode()):
        for sample in family.samples:
            found[family.name].append((sample.name, dict(sample.labels), sample.value))
    return found


def endpoint_figures(found: dict[str, list]) -> list[EndpointFigures]:
    """Requests per endpoint and method: count, mean and p95 (bucket bound), the busiest first."""
    buckets, sums, counts = defaultdict(list), {}, {}
    for name, labels, value in found.get("crm_http_request_duration_seconds", []):
        key = (labels.get("endpoint", ""), labels.get("method", ""))
        if name.endswith("_bucket"):
            buckets[key].append((float(labels["le"]), value))
        elif name.endswith("_sum"):
            sums[key] = value
        elif name.endswith("_count"):
            counts[key] = value
    rows = []
    for key, count in counts.items():
        if not count:
            continue
        rows.append(EndpointFigures(key[0], key[1], int(count), sums.get(key, 0) / count * 1000,
                                    _p95_ms(sorted(buckets[key]), count)))  # fmt: skip
    return sorted(rows, key=lambda row: (-row.count, row.endpoint))


def _p95_ms(cumulative: list[tuple[float, float]], count: float) -> float | None:
    for bound, seen in cumulative:
        if seen >= 0.95 * count:
            return None if math.isinf(bound) else bound * 1000
    return None


def plain_figures(found: dict[str, list]) -> list[tuple[str, str, float]]:
    """Every other figure (counters, gauges, the database's), as (name, labels, value)."""
    rows = []
    for family, entries in sorted(found.items()):
        if family == "crm_http_request_duration_seconds":
            continue
        for name, labels, value in entries:
            label_text = ", ".join(f"{k}={v}" for k, v in sorted(labels.items()))
            rows.append((name, label_text, value))
    return rows


def value_of(found: dict[str, list], sample_name: str) -> float:
    return sum(value for name, _labels, value in (entry for entries in found.values() for entry in entries)
               if name == sample_name)  # fmt: skip


def slowest_statements(how_many: int = 15) -> tuple[list, str | None]:
    """(rows, None), or ([], why they are not available)."""
    try:
        with db.session.begin_nested():
            rows = db.session.execute(
                text("select query, calls, total_ms, mean_ms, max_ms, rows_returned from app.slowest_statements(:n)"),
                {"n": how_many},
            ).all()
    except sqlalchemy.exc.ProgrammingError:
        return [], "pg_stat_statements is not installed in this database (the superuser creates it: crm db upgrade)."
    except sqlalchemy.exc.OperationalError as error:
        if "shared_preload_libraries" not in str(error.orig):
            raise
        return [], "pg_stat_statements is installed but not loaded: add it to shared_preload_libraries and restart."
    return rows, None
