"""Why this win probability: the factors of a hand-made model, in words, and on the deal page."""

from __future__ import annotations

import json
import math

import psycopg
import pytest

from dashboard import pg
from dashboard.intelligence import win_factors
from tests.test_rescore_writes import explained  # noqa: F401  (the fixture)


def names(conn) -> list[str]:
    return list(conn.execute("select crm.win_feature_names()").fetchone()[0])


def hand_model(features: list[str], coef: dict[str, float]) -> dict:
    """Mean 0, scale 1, intercept 0: a feature's effect is coef × x."""
    return {"features": features, "mean": [0.0] * len(features), "scale": [1.0] * len(features),
            "coef": [coef.get(f, 0.0) for f in features], "intercept": 0.0}  # fmt: skip


def test_every_feature_has_a_factor_once(admin_conn):
    grouped = [f for kind in win_factors.FACTORS for f in kind.features]
    assert sorted(grouped) == sorted(names(admin_conn))


def test_factors_of_a_hand_made_model(admin_conn):
    features = names(admin_conn)
    model = hand_model(features, {"has_champion": 0.8, "stakeholders": 0.1, "log_days_since_activity": -0.3,
                                  "log_activities": 0.1, "log_meetings_held": 0.2, "log_value": -0.01})  # fmt: skip
    x = dict.fromkeys(features, 0.0)
    x.update(stakeholders=2, has_champion=1, log_activities=math.log(1 + 5), log_days_since_activity=math.log(1 + 40),
             log_meetings_held=math.log(1 + 3), mean_meeting_outcome=1.0, log_value=math.log(1 + 10000),
             stage_probability=0.25, furthest_stage_probability=0.25)  # fmt: skip
    found = win_factors.factors(model, [x[f] for f in features])
    # committee 0.8 × 1 + 0.1 × 2 = +1.0; activity 0.1 × ln 6 − 0.3 × ln 41 = 0.1792 − 1.1141 = −0.9349;
    # meetings 0.2 × ln 4 = +0.2773; value −0.01 × ln 10001 = −0.0921; stage, mood, age 0: left out
    assert [(f.key, round(f.effect, 4)) for f in found] == [
        ("committee", 1.0), ("activity", -0.9349), ("meetings", 0.2773), ("value", -0.0921)]
    assert [f.sentence for f in found] == [
        "2 stakeholders, a champion, no decision maker — raises the chance a lot",
        "5 activities, 0 in the last 30 days, the last 40 days ago — lowers it a lot",
        "3 meetings held, mostly positive outcomes — raises the chance",
        "a deal value of 10,000 — lowers it",
    ]
    # the probability: 1 / (1 + e^−(1.0 − 0.9349 + 0.2773 − 0.0921)) = 1 / (1 + e^−0.2503) = 0.5622
    assert win_factors.probability(model, [x[f] for f in features]) == pytest.approx(0.5622, abs=1e-4)


def test_deal_page_says_why_this_win_probability(client, auth, users, explained, admin_url):  # noqa: F811
    # deal D has one stakeholder, K1, decision maker and champion; the model weighs only has_champion (+0.8):
    # 1 / (1 + e^−0.8) = 0.69, against the stage default stored before the model existed
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        model = hand_model(names(conn), {"has_champion": 0.8})
        model_id = conn.execute(
            """insert into crm.win_models (algorithm, model, metrics, closed_deals, won_deals, lost_deals, as_of)
               values ('logistic_regression', %s, '{}', 40, 20, 20, now()) returning id""",
            (json.dumps(model),),
        ).fetchone()[0]
        conn.commit()
    try:
        auth.login(users["rep"]["email"])
        body = client.get(f"/deals/{explained['deal']}").get_data(as_text=True)
        assert ('<li data-factor="committee" data-effect="raises"><strong>Buying committee:</strong> '
                "1 stakeholder, a champion, a decision maker — raises the chance a lot</li>") in body
        assert body.count("data-factor=") == 1  # nothing else moves the odds
        assert "From the records you can see it gives 69%" in body
    finally:
        with psycopg.connect(pg.libpq_url(admin_url)) as conn:
            conn.execute("delete from crm.win_models where id = %s", (model_id,))


def test_a_pairwise_model_in_sql_numpy_and_its_factors(admin_conn):
    # two features x = (1, 3), mean (0, 1), scale (1, 2): z = (1, 1); terms z0, z1, z0², z0·z1, z1² = 1 each;
    # term means (0, 0, .5, .5, .5), scales (1, 1, .5, .5, .5): standardised terms 1 each;
    # coef (.2, −.1, .3, .4, −.2): log-odds −.1 + .6 = .5
    model = {"features": ["a", "b"], "mean": [0.0, 1.0], "scale": [1.0, 2.0], "terms": "pairwise",
             "term_mean": [0.0, 0.0, 0.5, 0.5, 0.5], "term_scale": [1.0, 1.0, 0.5, 0.5, 0.5],
             "coef": [0.2, -0.1, 0.3, 0.4, -0.2], "intercept": -0.1}  # fmt: skip
    logit = admin_conn.execute(
        "select crm.win_logit(%s, %s, %s, %s, %s, %s, %s)",
        ([1.0, 3.0], model["mean"], model["scale"], model["term_mean"], model["term_scale"], model["coef"],
         model["intercept"]),
    ).fetchone()[0]  # fmt: skip
    assert logit == pytest.approx(0.5)
    assert win_factors.probability(model, [1.0, 3.0]) == pytest.approx(1 / (1 + math.exp(-0.5)))
    # a: .2 + .3 (z0², all a's) + .4 / 2 (z0·z1, half) = .7; b: −.1 + .4 / 2 − .2 = −.1
    assert win_factors.contributions(model, [1.0, 3.0]) == pytest.approx({"a": 0.7, "b": -0.1})
    # a linear model (no term_mean): −.1 + .2 × 1 − .1 × 1 = 0
    linear = admin_conn.execute("select crm.win_logit(%s, %s, %s, null, null, %s, %s)",
                                ([1.0, 3.0], [0.0, 1.0], [1.0, 2.0], [0.2, -0.1], -0.1)).fetchone()[0]  # fmt: skip
    assert linear == pytest.approx(0.0)
