"""Why this win probability: the factors behind it, in words a rep understands.

The stored model is a logistic regression over standardised features (and
their pairwise products), so its log-odds are the intercept plus one effect
per term, ``coef × (term − its mean) / its scale``: against the average deal
the model was trained on (the means are the weighted means of the training
snapshots). A product's effect is shared half and half by its two features. Features that a rep
reads as one thing (the notes' tone is five numbers, the buying committee
four) are summed into one factor, so a factor never says "positive notes lower
the chance" because of how correlated numbers share their weight. A factor's
sentence is built from the deal's own numbers; its effect is the sum's sign
and size. The labels of every feature are defined here, once
(:data:`FACTORS`); a test checks that they cover ``crm.win_feature_names()``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dashboard.intelligence import win_model

SHOWN = 4  # the factors shown: the largest effects
NEGLIGIBLE = 0.05  # in log-odds: smaller effects are not worth a line
STRONG = 0.5  # in log-odds (about ×1.65 on the odds): "a lot"


def _count(x: dict, name: str) -> int:
    """A count stored as ln(1 + n)."""
    return round(math.expm1(x[name]))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _stage(x: dict) -> str:
    days = _count(x, "log_days_in_stage")
    return (f"a stage worth {x['stage_probability'] * 100:.0f}% by default (furthest reached "
            f"{x['furthest_stage_probability'] * 100:.0f}%), {_plural(days, 'day')} in it")  # fmt: skip


def _activity(x: dict) -> str:
    n = _count(x, "log_activities")
    if not n:
        return "no completed activity yet"
    since = _count(x, "log_days_since_activity")
    return (f"{_plural(n, 'activity').replace('activitys', 'activities')}, "
            f"{_count(x, 'log_activities_30d')} in the last 30 days, the last {_plural(since, 'day')} ago")  # fmt: skip


def _tone(x: dict) -> str:
    n = _count(x, "log_activities")
    if not n:
        return "no notes to read the mood from"
    positive = round(x["positive_activity_share"] * (n + 2))
    negative = round(x["negative_activity_share"] * (n + 2))
    return f"the notes: {positive} positive, {negative} negative of {n}"


def _meetings(x: dict) -> str:
    held = _count(x, "log_meetings_held")
    booked = ", the next one booked" if x["meeting_booked"] >= 1 else ""
    if not held:
        return f"no meeting held yet{booked}"
    outcome = x["mean_meeting_outcome"]
    mood = "mostly positive" if outcome >= 0.7 else "mostly negative" if outcome <= 0.3 else "mixed"
    return f"{_plural(held, 'meeting')} held, {mood} outcomes{booked}"


def _committee(x: dict) -> str:
    n = int(x["stakeholders"])
    parts = [_plural(n, "stakeholder") if n < 6 else "6 or more stakeholders",
             "a champion" if x["has_champion"] else "no champion",
             "a decision maker" if x["has_decision_maker"] else "no decision maker"]  # fmt: skip
    return ", ".join(parts)


def _value(x: dict) -> str:
    return f"a deal value of {math.expm1(x['log_value']):,.0f}"


def _age(x: dict) -> str:
    return f"open for {_plural(_count(x, 'log_age_days'), 'day')}"


@dataclass(frozen=True)
class FactorKind:
    key: str
    label: str
    features: tuple[str, ...]
    describe: Callable[[dict], str]


FACTORS = (
    FactorKind("stage", "Stage", ("furthest_stage_probability", "stage_probability", "log_days_in_stage"), _stage),
    FactorKind("activity", "Activity",
               ("log_activities", "log_activities_30d", "log_activities_per_30d", "log_days_since_activity"),
               _activity),
    FactorKind("tone", "Mood of the notes",
               ("mean_activity_sentiment", "recent_activity_sentiment", "net_activity_sentiment",
                "positive_activity_share", "negative_activity_share"), _tone),
    FactorKind("meetings", "Meetings",
               ("log_meetings_held", "log_meetings_per_30d", "mean_meeting_outcome", "mean_meeting_sentiment",
                "meeting_booked"), _meetings),
    FactorKind("committee", "Buying committee",
               ("stakeholders", "has_champion", "has_decision_maker", "stakeholder_strength"), _committee),
    FactorKind("value", "Deal size", ("log_value",), _value),
    FactorKind("age", "Age", ("log_age_days",), _age),
)  # fmt: skip


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    measured: str  # the deal's own numbers
    effect: float  # log-odds against the average deal

    @property
    def direction(self) -> str:
        strength = " a lot" if abs(self.effect) >= STRONG else ""
        return f"raises the chance{strength}" if self.effect > 0 else f"lowers it{strength}"

    @property
    def sentence(self) -> str:
        return f"{self.measured} — {self.direction}"


def contributions(model: dict, x: list[float]) -> dict[str, float]:
    """Each feature's log-odds against the average deal: coef × (x − mean) / scale for a linear model; with
    pairwise terms, each product's effect is shared half and half by its two features."""
    names = model["features"]
    effects = win_model.term_effects(model, np.array(x, dtype=float))[0]
    total = dict.fromkeys(names, 0.0)
    for name, effect in zip(names, effects[: len(names)], strict=True):
        total[name] += float(effect)
    if model.get("terms") == "pairwise":
        for i, j, effect in zip(*np.triu_indices(len(names)), effects[len(names):], strict=True):
            total[names[i]] += float(effect) / 2
            total[names[j]] += float(effect) / 2
    return total


def probability(model: dict, x: list[float]) -> float:
    """The model's probability for ``x`` (what crm.predict_win_probability computes, unrounded)."""
    return float(win_model.predict(model, np.array(x, dtype=float))[0])


def factors(model: dict, x: list[float], shown: int = SHOWN) -> list[Factor]:
    """The largest factors behind the probability of a deal with features ``x``, largest first.

    Factors whose effect is below :data:`NEGLIGIBLE` (log-odds) are left out."""
    parts = contributions(model, x)
    values = dict(zip(model["features"], x, strict=True))
    found = [
        Factor(kind.key, kind.label, kind.describe(values), sum(parts[f] for f in kind.features if f in parts))
        for kind in FACTORS
        if any(f in parts for f in kind.features)
    ]
    found = [f for f in found if abs(f.effect) >= NEGLIGIBLE]
    return sorted(found, key=lambda f: -abs(f.effect))[:shown]
