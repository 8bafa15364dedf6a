"""The "why" of a score, for the company and deal pages (users with AI features).

Each score is rebuilt from its components as ``crm.company_score_breakdown``
and ``crm.deal_score_breakdown`` return them (the same functions the stored
scores come from), computed now, as the acting user (row-level security
applies: the components count what the user may see). A row per component:
what was measured, the component's value (0-1), its weight and the points it
adds; the points add up to the score. When the stored score (computed at the
last rescoring from every record) differs, the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import text

from dashboard.intelligence import risk, thresholds, win_factors

# lead score parts (crm.company_score_breakdown): account tier value, as in SQL
TIER_VALUE = {"enterprise": Decimal("1.0"), "mid-market": Decimal("0.75"), "smb": Decimal("0.5")}
OTHER_TIER_VALUE = Decimal("0.35")


@dataclass
class Part:
    key: str
    label: str
    measured: str
    value: Decimal  # 0-1
    weight: Decimal  # points per unit of value

    @property
    def points(self) -> Decimal:
        return self.value * self.weight

    @property
    def shown(self) -> str:
        return points(self.points)


@dataclass
class Why:
    parts: list[Part]
    score: Decimal  # what the components give now (as the SQL rounds it)
    stored: Decimal  # the score on the row

    @property
    def differs(self) -> bool:
        return self.score != self.stored


def points(value: Decimal) -> str:
    """Points shown with two decimals, half up (as PostgreSQL rounds)."""
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _mean(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


BREAKDOWNS = {
    "company": text("select * from crm.company_score_breakdown(cast(:ids as uuid[]))"),
    "deal": text("select * from crm.deal_score_breakdown(cast(:ids as uuid[]))"),
}


def _breakdown(session, kind: str, row_id) -> dict | None:
    return session.execute(BREAKDOWNS[kind], {"ids": [str(row_id)]}).mappings().one_or_none()


def company(session, company) -> dict | None:
    """Engagement (A, M, I, D) and lead score parts of ``company``; None if the user cannot see it."""
    b = _breakdown(session, "company", company.id)
    if b is None:
        return None
    engagement = _engagement(b, company)
    return {"engagement": engagement, "lead": _lead(session, b, company)}


def _engagement(b, company) -> Why:
    """The engagement score's parts: activities, meetings, interactions and active deals."""
    return Why(
        parts=[
            Part(
                "activities",
                "Activity quality",
                f"{b['activities_90d']} completed activities in 90 days, "
                f"strength-weighted quality {_mean(b['activity_quality'])} × min(1, n/10)",
                b["activity_component"],
                Decimal(30),
            ),
            Part(
                "meetings",
                "Meeting sentiment",
                f"{b['meetings_90d']} held meetings in 90 days, "
                f"mean (sentiment + 1) / 2 {_mean(b['meeting_sentiment'])} × min(1, n/4)",
                b["meeting_component"],
                Decimal(25),
            ),
            Part(
                "interactions",
                "Contact interactions",
                f"{b['interactions_90d']} interactions in 90 days, "
                f"mean engagement {_mean(b['interaction_engagement'])} × min(1, n/10)",
                b["interaction_component"],
                Decimal(25),
            ),
            Part(
                "deals",
                "Active deals",
                f"{b['active_deals']} active deals, mean deal intelligence / 100",
                b["deal_component"],
                Decimal(20),
            ),
        ],  # fmt: skip
        score=b["engagement_score"],
        stored=company.engagement_score,
    )


def _lead(session, b, company) -> Why:
    """The lead score's parts: engagement, account tier, target account and the best decision maker."""
    best = session.execute(
        text("select coalesce(max(decision_maker_score), 0) from crm.contacts where company_id = :id"),
        {"id": company.id},
    ).scalar_one()
    tier = TIER_VALUE.get(company.account_tier, OTHER_TIER_VALUE)
    return Why(
        parts=[
            Part(
                "engagement",
                "Engagement",
                f"engagement score {b['engagement_score']} / 100",
                b["engagement_score"] / 100,
                Decimal(45),
            ),
            Part("tier", "Account tier", company.account_tier, tier, Decimal(20)),
            Part(
                "target",
                "Target account",
                "yes" if company.is_target_account else "no",
                Decimal(int(bool(company.is_target_account))),
                Decimal(15),
            ),
            Part(
                "decision_maker",
                "Best decision maker",
                "highest decision-maker score among its contacts",
                best,
                Decimal(20),
            ),
        ],  # fmt: skip
        score=b["lead_score"],
        stored=company.lead_score,
    )


def deal(session, deal) -> dict | None:
    """Deal intelligence parts (25 points each) and the risk factors described; None if not visible."""
    b = _breakdown(session, "deal", deal.id)
    if b is None:
        return None
    flags = ", ".join(
        name for name, present in (("a champion", b["has_champion"]), ("a decision maker", b["has_decision_maker"]))
        if present
    ) or "no champion or decision maker"  # fmt: skip
    why = Why(
        parts=[
            Part(
                "stakeholders",
                "Stakeholders",
                f"{b['stakeholder_count']} stakeholders ({flags}): .4 × min(1, n/3) + .3 champion + .3 decision maker",
                b["stakeholder_component"],
                Decimal(25),
            ),
            Part(
                "meetings",
                "Meetings",
                f"{b['meetings_counted']} meetings with an outcome, "
                f"mean outcome {_mean(b['mean_meeting_outcome'])} × min(1, n/3)",
                b["meeting_component"],
                Decimal(25),
            ),
            Part(
                "activity",
                "Recent activity",
                f"{b['activities_30d']} completed activities in 30 days, "
                f"mean quality {_mean(b['mean_activity_quality'])} × min(1, n/8)",
                b["activity_component"],
                Decimal(25),
            ),
            Part(
                "contacts",
                "Stakeholder quality",
                "mean of .6 × decision-maker score + .4 × engagement / 100",
                b["contact_quality_component"],
                Decimal(25),
            ),
        ],  # fmt: skip
        score=b["deal_intelligence_score"],
        stored=deal.deal_intelligence_score,
    )
    return {
        "intelligence": why,
        "risks": risk.describe(deal.risk_factors or [], thresholds.current()),
        "win": win(session, deal),
    }


@dataclass
class WinWhy:
    """The factors behind an open deal's win probability (win_factors), computed now as the reader."""

    factors: list[win_factors.Factor]
    probability: Decimal | None  # what the features the reader can see give now, rounded as stored
    stored: Decimal | None
    note: str = ""

    @property
    def differs(self) -> bool:
        return self.probability is not None and self.stored is not None and self.probability != self.stored


# the newest model, the deal's features as the reader sees them now and the feature names, in one trip
_WIN_INPUTS = text("""select (select m.model from crm.win_models m order by m.trained_at desc, m.id desc limit 1),
                             (select f.x from crm.deal_win_features(cast(:ids as uuid[]), now()) f),
                             crm.win_feature_names()""")


def win(session, deal) -> WinWhy | None:
    """Why this win probability: the largest factors against the average deal; None for a closed deal."""
    if deal.status != "active":
        return None
    model, x, names = session.execute(_WIN_INPUTS, {"ids": [str(deal.id)]}).one()
    if model is None or x is None or model.get("features") != list(names):
        note = "No model is trained yet (too few closed deals): the probability is the stage's default."
        return WinWhy([], None, deal.win_probability_ai, note)
    x = list(x)
    probability = Decimal(str(round(win_factors.probability(model, x), 2)))
    return WinWhy(win_factors.factors(model, x), probability, deal.win_probability_ai)
