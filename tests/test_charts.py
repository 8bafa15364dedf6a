"""Plotly figures built in dashboard/charts.py, checked against hand-made inputs."""

from __future__ import annotations

from dashboard import charts


def test_pipeline_bars_have_one_colour_per_series_so_the_legend_matches():
    # two open stages: Lead 10,000 at 10% -> weighted 1,000; Verbal 4,000 at 80% -> weighted 3,200
    stages = [
        {"stage": "Lead", "count": 2, "value": 10000, "weighted": 1000, "probability": 10, "color": "#94a3b8"},
        {"stage": "Verbal", "count": 1, "value": 4000, "weighted": 3200, "probability": 80, "color": "#16a34a"},
    ]
    value, weighted = charts.pipeline_by_stage(stages)["data"]
    assert (value["name"], value["y"], value["marker"]) == ("Value", [10000, 4000], {"color": "#cbd5e1"})
    # the legend swatch takes the trace's colour: a single one, not the stages' (Lead's grey was the swatch)
    assert (weighted["name"], weighted["y"], weighted["marker"]) == ("Weighted", [1000, 3200], {"color": "#2563eb"})
    assert weighted["customdata"] == [10, 80]
