"""Plotly figures for the dashboards, as plain JSON-ready dicts.

Templates put a figure in a ``data-figure`` attribute with ``|tojson`` and
``static/charts.js`` draws every ``[data-figure]`` element with Plotly (no
inline scripts: the CSP forbids them). A builder returns ``None`` when there
is nothing to draw, and the template shows an empty-state message instead.

Figures are dicts, not ``plotly.graph_objects``: the same JSON, without the
validation cost on every dashboard request (measured: the dashboard's three
figures 0.05 ms as dicts, 13-17 ms median through ``go.Figure``; the team
page's two 0.1 ms against 8-10 ms), so the Python ``plotly`` package is not a
dependency: the browser's plotly.js is the only Plotly.

Any text that comes from users (stage, rep, company or deal names) is
HTML-escaped, because Plotly renders a subset of HTML in labels and hover text.
"""

from __future__ import annotations

import datetime as dt
from html import escape

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12, "color": "#1f2937"}

# readable on white, distinguishable for the common colour-vision deficiencies
ACTIVITY_COLORS = {
    "outbound": "#2563eb",
    "call": "#0891b2",
    "email": "#7c3aed",
    "meeting": "#059669",
    "proposal": "#d97706",
    "sale": "#dc2626",
    "note": "#64748b",
}
ACTIVITY_ORDER = ["outbound", "call", "email", "meeting", "proposal", "sale", "note"]
ACTIVITY_LABELS = {
    "outbound": "Outbound",
    "call": "Calls",
    "email": "Emails",
    "meeting": "Meetings",
    "proposal": "Proposals",
    "sale": "Sales",
    "note": "Notes",
}
VALUE_COLOR, WEIGHTED_COLOR = "#cbd5e1", "#2563eb"
SERIES_COLORS = ["#2563eb", "#059669", "#d97706", "#7c3aed", "#dc2626", "#0891b2", "#db2777", "#65a30d"]


def safe(text: object) -> str:
    """User text as Plotly label text: HTML-escaped (Plotly decodes the entities back for display)."""
    return escape(str(text), quote=True)


def _layout(**overrides) -> dict:
    layout = {
        "height": 300,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "font": FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "x unified",
        "legend": {"orientation": "h", "y": -0.22, "x": 0},
        "xaxis": {"gridcolor": "#eef0f3", "linecolor": "#cbd5e1", "automargin": True},
        "yaxis": {"gridcolor": "#eef0f3", "zerolinecolor": "#cbd5e1", "rangemode": "tozero", "automargin": True},
    }
    for key, value in overrides.items():
        # an axis override adds to the defaults: without automargin, long tick labels (1,000,000) run into
        # the axis title
        layout[key] = {**layout[key], **value} if key in ("xaxis", "yaxis") else value
    return layout


def _date_axis(bucket: str) -> dict:
    """A date x axis (added to the default one by _layout)."""
    return {
        "type": "date",
        "tickformat": "%d %b",
        "hoverformat": "%a %d %b %Y" if bucket == "day" else "week of %d %b %Y",
    }


def engagement_trend(points: list[dict], bucket: str = "day") -> dict | None:
    """Line: mean engagement of the companies touched per day/week, with the number touched on hover."""
    if not points:
        return None
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Mean engagement",
                "x": [p["bucket"] for p in points],
                "y": [p["mean_engagement"] for p in points],
                "customdata": [p["companies"] for p in points],
                "line": {"color": "#2563eb", "width": 2},
                "marker": {"size": 6},
                "hovertemplate": "Mean engagement %{y:.1f}<br>%{customdata} companies touched<extra></extra>",
            }
        ],
        "layout": _layout(
            xaxis=_date_axis(bucket),
            yaxis={"title": {"text": "Engagement (0–100)"}, "range": [0, 100]},
            showlegend=False,
        ),
    }


def pipeline_by_stage(stages: list[dict]) -> dict | None:
    """Grouped bars per open stage: total value and value weighted by the stage's probability."""
    if not stages or not any(s["count"] for s in stages):
        return None
    names = [safe(s["stage"]) for s in stages]
    counts = [s["count"] for s in stages]
    return {
        "data": [
            {
                "type": "bar",
                "name": "Value",
                "x": names,
                "y": [s["value"] for s in stages],
                "customdata": counts,
                "marker": {"color": VALUE_COLOR},
                "hovertemplate": "Value %{y:,.0f} (%{customdata} deals)<extra></extra>",
            },
            {
                "type": "bar",
                "name": "Weighted",
                "x": names,
                "y": [s["weighted"] for s in stages],
                "customdata": [s["probability"] for s in stages],
                # one colour: a legend swatch shows a single colour (with a colour per stage it showed the first
                # stage's grey beside coloured bars); the stage is on the x axis
                "marker": {"color": WEIGHTED_COLOR},
                "hovertemplate": "Weighted %{y:,.0f} (at %{customdata}%)<extra></extra>",
            },
        ],
        "layout": _layout(
            barmode="group", yaxis={"title": {"text": "Value"}, "tickformat": ",.0f"}
        ),
    }


def _by_type(series: list[dict]) -> tuple[list[str], dict[str, dict[str, int]]]:
    buckets = sorted({p["bucket"] for p in series})
    per_type: dict[str, dict[str, int]] = {}
    for p in series:
        per_type.setdefault(p["type"], {})[p["bucket"]] = p["count"]
    return buckets, per_type


def activity_series(series: list[dict], bucket: str = "day") -> dict | None:
    """Stacked bars: activities per day/week by type."""
    if not series:
        return None
    buckets, per_type = _by_type(series)
    order = [t for t in ACTIVITY_ORDER if t in per_type] + sorted(set(per_type) - set(ACTIVITY_ORDER))
    data = [
        {
            "type": "bar",
            "name": ACTIVITY_LABELS.get(kind, safe(kind)),
            "x": buckets,
            "y": [per_type[kind].get(b, 0) for b in buckets],
            "marker": {"color": ACTIVITY_COLORS.get(kind, "#64748b")},
            "hovertemplate": "%{y}<extra>%{fullData.name}</extra>",
        }
        for kind in order
    ]
    return {
        "data": data,
        "layout": _layout(
            barmode="stack",
            xaxis=_date_axis(bucket),
            yaxis={"title": {"text": "Activities"}},
        ),
    }


def forecast_by_month(forecast: list[dict], names: dict[str, str]) -> dict | None:
    """Stacked bars: weighted open pipeline by expected close month, one colour per rep."""
    if not forecast:
        return None
    months = sorted({f["month"] for f in forecast if f["month"]})
    has_unscheduled = any(f["month"] is None for f in forecast)
    labels = [dt.date.fromisoformat(m).strftime("%b %Y") for m in months] + (["No date"] if has_unscheduled else [])
    keys = months + ([None] if has_unscheduled else [])
    per_rep: dict[str, dict] = {}
    for f in forecast:
        per_rep.setdefault(f["user_id"], {})[f["month"]] = f["weighted"]
    data = [
        {
            "type": "bar",
            "name": safe(names.get(user_id, "Unknown")),
            "x": labels,
            "y": [values.get(k, 0) for k in keys],
            "marker": {"color": SERIES_COLORS[i % len(SERIES_COLORS)]},
            "hovertemplate": "%{y:,.0f}<extra>%{fullData.name}</extra>",
        }
        for i, (user_id, values) in enumerate(sorted(per_rep.items(), key=lambda item: names.get(item[0], "")))
    ]
    return {
        "data": data,
        "layout": _layout(
            barmode="stack", yaxis={"title": {"text": "Weighted value"}, "tickformat": ",.0f"}
        ),
    }
