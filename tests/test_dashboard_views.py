"""The rep dashboard page: panels, KPI cards, charts as data attributes, the
date range (presets, custom, bad ranges), htmx fragments and refresh events."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest

from dashboard.services.dashboard import parse_range
from tests.conftest import fetch_as

FIGURE = re.compile(r"data-figure='([^']*)'")


def figures(body: str) -> list[dict]:
    return [json.loads(html.unescape(raw)) for raw in FIGURE.findall(body)]


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


@pytest.fixture
def rep_data(app, users):
    rep = users["rep"]["id"]
    today = dt.date.today()
    company = fetch_as(app, rep, "insert into crm.companies (name, owner_id) values ('<b>Acme</b> & Co', :o) returning id", {"o": rep})[0][0]  # fmt: skip
    deal = fetch_as(
        app, rep,
        """insert into crm.deals (name, value, stage_id, owner_id, company_id)
           values ('Big <script>alert(1)</script> deal', 12000, '00000000-0000-4000-8000-000000000030', :o, :c) returning id""",
        {"o": rep, "c": company},
    )[0][0]  # fmt: skip
    for type_, qty, amount in [("outbound", 7, None), ("meeting", 1, None), ("sale", 1, 2500)]:
        fetch_as(
            app, rep,
            "insert into crm.activities (user_id, type, quantity, amount, company_id, date) values (:o, :t, :q, :a, :c, :d) returning id",
            {"o": rep, "t": type_, "q": qty, "a": amount, "c": company, "d": dt.datetime.combine(today, dt.time(9))},
        )  # fmt: skip
    return {"company": company, "deal": deal}


def test_dashboard_page_has_cards_charts_and_the_largest_deals(app, client, rep, users, rep_data):
    body = client.get("/").get_data(as_text=True)
    assert "Welcome, Test Rep" in body and "Your largest open deals" in body
    assert f'data-deal-id="{rep_data["deal"]}"' in body
    # the four KPI cards, with actuals from today's activities
    for key in ("new_business", "outbound", "meetings", "proposals"):
        assert f'id="kpi-{key}"' in body
    assert re.search(r'id="kpi-outbound">\s*<div class="kpi-label">Outbound</div>\s*<div class="kpi-value">7<', body)
    # scripts: vendored plotly and the one chart script, deferred, no inline code
    assert re.search(r'src="/static/vendor/plotly-basic\.min\.[0-9a-f]{12}\.js" defer', body)
    assert re.search(r'src="/static/charts\.[0-9a-f]{12}\.js" defer', body)
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    # three figures: engagement line, pipeline bars, stacked activity bars
    kinds = [[trace["type"] for trace in fig["data"]] for fig in figures(body)]
    assert kinds == [["scatter"], ["bar", "bar"], ["bar", "bar", "bar"]]
    # no refresh listeners: nothing on the dashboard sends dealsChanged & co (the range picker re-fetches)
    assert "from:body" not in body


def test_user_text_is_escaped_in_pages_and_figures(app, client, rep, users, rep_data):
    body = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "<b>Acme</b>" not in body
    # no raw angle brackets anywhere inside a data-figure attribute
    for raw in FIGURE.findall(body):
        assert "<" not in raw and ">" not in raw


def test_fragment_for_htmx_and_full_page_otherwise(client, rep, rep_data):
    fragment = client.get("/?range=30", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith("{#") is False
    assert 'id="dashboard-panels"' in fragment and "data-figure" in fragment
    assert '<option value="30" selected>' in fragment  # the picker comes along, keeping the chosen range
    page = client.get("/?range=30", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in page.get_data(as_text=True)


def test_empty_dashboard_shows_empty_states(client, auth, users):
    auth.login(users["rep2"]["email"])
    body = client.get("/").get_data(as_text=True)
    assert "data-figure" not in body
    assert "No activities in this period." in body and "No open deals." in body
    assert "No activity with your companies in this period." in body


def test_cut_offs_on_the_page_are_the_thresholds_row(client, auth, users, admin_conn):
    # the labels print crm.intelligence_thresholds(): high 80, medium 50, top opportunity 75, 0.70 win probability
    limits = admin_conn.execute(
        "select high_score, medium_score, top_opportunity_score, high_win_probability from crm.intelligence_thresholds()"
    ).fetchone()
    assert limits == (80, 50, 75, Decimal("0.70"))
    auth.login(users["rep2"]["email"])
    body = client.get("/").get_data(as_text=True)
    assert "Active (&gt; 50)" in body and "Highly engaged (&gt; 80)" in body
    assert "Likely to win (&gt; 70%)" in body
    assert "No open deal scores above 75 yet." in body


@pytest.mark.parametrize(
    "query, message",
    [
        ("range=custom&from=2026-10-31&to=2026-10-01", "The date range is reversed"),
        ("range=custom&from=2020-01-01&to=2026-10-01", "The date range is too long"),
        ("range=custom&from=yesterday&to=2026-10-01", "Enter both dates"),
    ],
)
def test_bad_ranges_show_a_clear_message_not_zeros(client, rep, query, message):
    page = client.get(f"/?{query}")
    body = page.get_data(as_text=True)
    assert page.status_code == 400 and message in body
    assert 'id="kpi-new_business"' not in body  # no cards of zeros
    # an htmx swap gets the message as a fragment it will swap in
    fragment = client.get(f"/?{query}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and message in fragment.get_data(as_text=True)


def test_custom_range(client, rep, rep_data):
    today = dt.date.today()
    body = client.get(f"/?range=custom&from={today}&to={today}").get_data(as_text=True)
    assert 'id="kpi-new_business"' in body and '<div class="kpi-value">2,500<' in body
    # a range with no activity: zeros, and the empty state
    body = client.get("/?range=custom&from=2001-01-01&to=2001-01-31").get_data(as_text=True)
    assert '<div class="kpi-value">0<' in body and "No activities in this period." in body


def test_parse_range_presets_and_edited_dates():
    today = dt.date(2026, 2, 14)
    assert parse_range({}, today).start == dt.date(2026, 2, 1)
    assert parse_range({}, today).end == dt.date(2026, 2, 28)
    r30 = parse_range({"range": "30"}, today)
    assert (r30.start, r30.end) == (dt.date(2026, 1, 16), today)
    assert (parse_range({"range": "90"}, today).start) == dt.date(2025, 11, 17)
    assert parse_range({"range": "nonsense"}, today).preset == "month"
    # the form always sends the dates; unchanged ones keep the preset, edited ones make it custom
    assert parse_range({"range": "30", "from": "2026-01-16", "to": "2026-02-14"}, today).preset == "30"
    edited = parse_range({"range": "30", "from": "2026-01-01", "to": "2026-01-10"}, today)
    assert (edited.preset, edited.start, edited.end) == ("custom", dt.date(2026, 1, 1), dt.date(2026, 1, 10))


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_asking_for_another_users_dashboard_by_url(client, auth, users):
    auth.login(users["rep"]["email"])
    assert client.get(f"/?user={users['rep2']['id']}").status_code == 404
    assert client.get("/?user=not-a-uuid").status_code == 404
    assert client.get(f"/?user={users['rep']['id']}").status_code == 200  # themself
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["manager"]["email"])
    response = client.get(f"/?user={users['rep']['id']}&range=30")
    assert response.status_code == 302 and response.headers["Location"] == f"/team/reps/{users['rep']['id']}?range=30"
