"""Risk factors on deals (``deals.risk_factors``), computed in SQL by
``crm.deal_score_breakdown``; every threshold lives in
``crm.intelligence_thresholds()`` (read with :func:`dashboard.intelligence.thresholds.read`).
"""

from __future__ import annotations

RISK_FACTORS = {
    "no_activity_14d": "No completed activity on the deal in the last {no_activity_days} days",
    "close_date_passed": "The expected close date has passed",
    "single_threaded": "At most {single_threaded_max_contacts} stakeholder engaged",
    "no_champion": "No champion among the stakeholders",
    "negative_sentiment_trend": (
        "Recent activity sentiment is negative (mean <= {negative_sentiment_level}) "
        "or fell by {negative_sentiment_drop} or more"
    ),
    "no_decision_maker": "No decision maker or budget holder among the stakeholders",
    "stalled_in_stage": "In the same stage for more than {stalled_stage_days} days",
}


def describe(factors, limits: dict) -> list[tuple[str, str]]:
    """(code, sentence) for each factor, for the deal page."""
    return [(f, RISK_FACTORS.get(f, f).format(**limits)) for f in factors]
