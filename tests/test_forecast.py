"""The forecast: each deal's forecast category, quotas, /team's months and the monthly snapshot, against a
hand-made fixture of two reps' deals across three months (expected figures worked out below).

The test users have no time zone (UTC), so "this month" is the UTC month and a deal won now is won in it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from dashboard.services import forecast
from tests.conftest import add_user, fetch_as

STAGE = {name: f"00000000-0000-4000-8000-0000000000{n}0" for name, n in
         [("lead", 1), ("qualified", 2), ("opportunity", 3), ("verbal", 4), ("won", 5), ("lost", 6)]}  # fmt: skip
M0 = dt.datetime.now(dt.UTC).date().replace(day=1)  # this month
M1, M2, P1 = forecast.add_months(M0, 1), forecast.add_months(M0, 2), forecast.add_months(M0, -1)
START = dt.datetime.combine(M0, dt.time(0, 0, 1), dt.UTC)  # a moment of this month already past

# (key, owner, value, stage, expected close, category, stored win probability, closed at)
DEALS = [
    # rep, this month: A commit 10,000 at 0.70 -> weighted 7,000; B best case 4,000 with no stored probability
    # -> the stage's 80 % -> 3,200; D won this month 6,000 (closed won, not commit, though its stored category
    # is commit); E lost 9,000 (commit stored): counts nowhere; F commit with no close date: in no month;
    # G won last month: outside this range
    ("A", "rep", 10000, "opportunity", M0.replace(day=15), "commit", Decimal("0.70"), None),
    ("B", "rep", 4000, "verbal", M0.replace(day=20), "best_case", None, None),
    ("D", "rep", 6000, "won", M0.replace(day=2), "commit", None, START),
    ("E", "rep", 9000, "lost", M0.replace(day=10), "commit", None, START),
    ("F", "rep", 3000, "qualified", None, "commit", Decimal("0.50"), None),
    ("G", "rep", 5000, "won", P1.replace(day=20), "pipeline", None, dt.datetime.combine(P1, dt.time(12), dt.UTC)),
    # rep, next month: C pipeline 2,000 at 0.10 -> 200
    ("C", "rep", 2000, "lead", M1.replace(day=5), "pipeline", Decimal("0.10"), None),
    # rep2: H commit next month 8,000 at 0.90 -> 7,200; I pipeline in two months 1,000 at 0.05 -> 50;
    # J won this month 2,500
    ("H", "rep2", 8000, "verbal", M1.replace(day=10), "commit", Decimal("0.90"), None),
    ("I", "rep2", 1000, "lead", M2, "pipeline", Decimal("0.05"), None),
    ("J", "rep2", 2500, "won", M0.replace(day=3), "best_case", None, START),
]
# quotas: rep 20,000 this month and 15,000 next; rep2 10,000 this month, none next; nobody in two months
QUOTAS = [("rep", M0, 20000), ("rep", M1, 15000), ("rep2", M0, 10000)]

# this month: rep quota 20,000, won 6,000, commit 10,000, best case 4,000, weighted 10,200, coverage
# (6,000 + 10,000) / 20,000 = 80 %; rep2 quota 10,000, won 2,500, coverage 25 %; team: quota 30,000,
# won 8,500, commit 10,000, best case 4,000, pipeline 0, weighted 10,200, coverage 18,500 / 30,000 = 62 %
# next month: rep quota 15,000, pipeline 2,000, weighted 200, coverage 0 %; rep2 no quota, commit 8,000,
# weighted 7,200; team quota 15,000, commit 8,000, pipeline 2,000, weighted 7,400, coverage 8,000 / 15,000 = 53 %
# in two months: rep2 pipeline 1,000, weighted 50; no quota (—)
EXPECTED_TEAM = {
    M0: {"quota": 30000, "closed_won": 8500, "commit": 10000, "best_case": 4000, "pipeline": 0, "weighted": 10200,
         "deals": 2, "coverage": 62},
    M1: {"quota": 15000, "closed_won": 0, "commit": 8000, "best_case": 0, "pipeline": 2000, "weighted": 7400,
         "deals": 2, "coverage": 53},
    M2: {"quota": None, "closed_won": 0, "commit": 0, "best_case": 0, "pipeline": 1000, "weighted": 50,
         "deals": 1, "coverage": None},
}  # fmt: skip
INSERT = """insert into crm.deals (name, owner_id, value, stage_id, expected_close_date, forecast_category,
                                   win_probability_ai, closed_at)
            values (:name, :owner, :value, :stage, :close, :category, :p, :closed) returning id"""


def build(app, users) -> dict:
    """The fixture's deals and quotas, written as the admin through the app (rolled back after the test)."""
    admin = users["admin"]["id"]
    ids = {}
    for key, who, value, stage, close, category, p, closed in DEALS:
        params = {"name": f"Deal {key}", "owner": users[who]["id"], "value": value, "stage": STAGE[stage],
                  "close": close, "category": category, "p": p, "closed": closed}  # fmt: skip
        ids[key] = fetch_as(app, admin, INSERT, params)[0][0]
    for who, month, amount in QUOTAS:
        fetch_as(app, admin, "insert into crm.quotas (user_id, month, amount) values (:u, :m, :a) returning id",
                 {"u": users[who]["id"], "m": month, "a": amount})  # fmt: skip
    return ids


@pytest.fixture
def world(app, users, client):
    return build(app, users)


def team_forecast(app, users, who="manager", first=M0, last=M2) -> dict:
    return fetch_as(app, users[who]["id"], "select crm.get_team_forecast(:m, :f, :l)",
                    {"m": users["manager"]["id"] if who != "everyone" else None, "f": first, "l": last})[0][0]  # fmt: skip


def as_numbers(row: dict) -> dict:
    return {k: (None if row[k] is None else (int(row[k]) if k != "coverage" else row[k])) for k in EXPECTED_TEAM[M0]}


def test_team_months_per_category_quota_and_weighted(app, users, world):
    months = forecast.months_view(team_forecast(app, users))
    assert [m["month"] for m in months] == [M0, M1, M2]
    for month in months:
        assert as_numbers(month["total"]) == EXPECTED_TEAM[month["month"]], month["month"]
    reps = {r["full_name"]: r for r in months[0]["reps"]}
    # closed won is not counted in commit (D is stored as commit); the lost deal E counts nowhere
    assert as_numbers(reps["Test Rep"]) == {"quota": 20000, "closed_won": 6000, "commit": 10000, "best_case": 4000,
                                            "pipeline": 0, "weighted": 10200, "deals": 2, "coverage": 80}  # fmt: skip
    assert as_numbers(reps["Test Rep2"]) == {"quota": 10000, "closed_won": 2500, "commit": 0, "best_case": 0,
                                             "pipeline": 0, "weighted": 0, "deals": 0, "coverage": 25}  # fmt: skip


def test_a_range_with_last_month_counts_its_win(app, users, world):
    # last month: only G, won then (5,000); the manager themself is not one of the team's rows
    months = forecast.months_view(team_forecast(app, users, first=P1, last=P1))
    assert as_numbers(months[0]["total"])["closed_won"] == 5000
    assert {r["full_name"] for r in months[0]["reps"]} == {"Test Rep", "Test Rep2"}


def test_reps_and_other_managers_may_not_read_the_team_forecast(app, users, world):
    import sqlalchemy.exc

    for who in ("rep", "rep2"):
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="not allowed"):
            team_forecast(app, users, who)
    # everyone's forecast: admins only; an admin's equals the team's here plus the manager's empty rows
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="only an admin"):
        fetch_as(app, users["manager"]["id"], "select crm.get_team_forecast(null, :f, :f)", {"f": M0})
    everyone = fetch_as(app, users["admin"]["id"], "select crm.get_team_forecast(null, :f, :l)", {"f": M0, "l": M2})
    totals = {m["month"]: as_numbers(m["total"]) for m in forecast.months_view(everyone[0][0])}
    assert totals == EXPECTED_TEAM


def test_the_snapshot_is_taken_once_a_month(app, users, world, admin_conn):
    """The fixture committed through the app is visible to a second connection only if committed: take the
    snapshot as the admin in the app's transaction instead, then once more (nothing written)."""
    admin = users["admin"]["id"]
    first = fetch_as(app, admin, "select crm.take_forecast_snapshot(:m)", {"m": M0})[0][0]
    again = fetch_as(app, admin, "select crm.take_forecast_snapshot(:m)", {"m": M0.replace(day=17)})[0][0]
    people = fetch_as(app, admin, "select count(*) from crm.users where is_active and role in ('rep', 'manager')")
    assert first == people[0][0] >= 3 and again == 0
    rows = fetch_as(app, admin, """select u.full_name, s.quota, s.closed_won, s.commit, s.best_case, s.pipeline,
                                          s.weighted, s.deals
                                   from crm.forecast_snapshots s join crm.users u on u.id = s.user_id
                                   where s.month = :m and u.id in (:r, :r2) order by 1""",
                    {"m": M0, "r": users["rep"]["id"], "r2": users["rep2"]["id"]})  # fmt: skip
    assert [tuple(int(v) if isinstance(v, Decimal) else v for v in r) for r in rows] == [
        ("Test Rep", 20000, 6000, 10000, 4000, 0, 10200, 2),
        ("Test Rep2", 10000, 2500, 0, 0, 0, 0, 0),
    ]


def test_take_forecast_snapshot_on_an_owner_connection_is_idempotent(admin_conn):
    """The plain function (crm score, crm forecast snapshot, a job): one row per active rep and manager."""
    people = admin_conn.execute("select count(*) from crm.users where is_active and role in ('rep', 'manager')")
    expected = people.fetchone()[0]
    month = dt.date(2031, 5, 1)
    assert forecast.take_forecast_snapshot(admin_conn, dt.date(2031, 5, 9)) == expected
    assert forecast.take_forecast_snapshot(admin_conn, month) == 0
    count = admin_conn.execute("select count(*), count(distinct user_id) from crm.forecast_snapshots where month = %s",
                               (month,)).fetchone()  # fmt: skip
    assert count == (expected, expected)


def test_rescore_all_takes_the_months_snapshot(admin_conn):
    from dashboard.intelligence import scores

    as_of = dt.datetime(2031, 7, 1, 3, 0, tzinfo=dt.UTC)
    admin_conn.execute("select 1")  # in the test's transaction: rescore_all's own is a savepoint, rolled back
    result = scores.rescore_all(admin_conn, as_of=as_of, train=False)
    assert result["counts"]["forecast"] > 0
    again = scores.rescore_all(admin_conn, as_of=as_of + dt.timedelta(days=1), train=False)
    assert again["counts"]["forecast"] == 0


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_team_page_shows_the_months_and_last_months_snapshot_against_what_closed(app, client, auth, users, world):
    admin = users["admin"]["id"]
    fetch_as(app, admin, "select crm.take_forecast_snapshot(:m)", {"m": M0})
    # after the snapshot: A (commit 10,000) is won, and rep2 wins a new 3,000 deal L. This month's snapshot
    # forecast for the team: closed won then 8,500 + commit 10,000 = 18,500; closed won now 8,500 + 10,000 +
    # 3,000 = 21,500: 116 % of the forecast
    fetch_as(app, admin, "update crm.deals set stage_id = :s where id = :id returning id",
             {"s": STAGE["won"], "id": world["A"]})  # fmt: skip
    fetch_as(app, admin, INSERT, {"name": "Deal L", "owner": users["rep2"]["id"], "value": 3000, "stage": STAGE["won"],
                                  "close": None, "category": "pipeline", "p": None, "closed": None})  # fmt: skip
    auth.login(users["manager"]["email"])
    body = client.get(f"/team?months_from={M0:%Y-%m}&months_to={M2:%Y-%m}").get_data(as_text=True)
    history = text_of(body[body.index('id="forecast-history-table"'):])
    assert f"{M0:%b %Y}" in history
    row = history[history.index(f"{M0:%b %Y}"):]
    # quota 30,000, forecast 18,500, best case 4,000, weighted 10,200, closed won 21,500, 116 %
    assert re.match(r"\S+ \d+ · taken [\d-]+ 30,000 18,500 4,000 10,200 21,500 116%", row), row[:120]
    # per rep: rep's forecast 6,000 + 10,000 = 16,000, closed 16,000 (100 %); rep2's 2,500, closed 5,500 (220 %)
    reps = text_of(body[body.index(f'id="forecast-history-reps-{M0:%Y-%m}"'):])
    assert "Test Rep 20,000 16,000 4,000 10,200 16,000 100%" in reps
    assert "Test Rep2 10,000 2,500 0 0 5,500 220%" in reps
    months = text_of(body[body.index('id="forecast-table"'):body.index("</table>", body.index('id="forecast-table"'))])
    # this month now: won 21,500 (A and L won), commit 0, best case 4,000, weighted 3,200 (B), coverage
    # 21,500 / 30,000 = 72 %
    assert f"{M0:%b %Y} 30,000 21,500 0 4,000 0 3,200 72%" in months
    assert f"{M1:%b %Y} 15,000 0 8,000 0 2,000 7,400 53%" in months
    assert f"{M2:%b %Y} — 0 0 0 1,000 50 —" in months


def test_weighted_column_is_hidden_without_ai_features(app, client, auth, users, world):
    admin = users["admin"]["id"]
    manager = add_user(app, admin, "noai-manager@test.example", "manager", full_name="No AI", ai_features=False)
    fetch_as(app, admin, "update crm.users set manager_id = :m where id = :r returning id",
             {"m": manager, "r": users["rep2"]["id"]})  # fmt: skip
    auth.login("noai-manager@test.example")
    body = client.get("/team").get_data(as_text=True)
    assert 'id="forecast-table"' in body and "AI-weighted" not in body


def test_admin_sees_everyone(app, client, auth, users, world):
    auth.login(users["admin"]["email"])
    body = client.get(f"/team?scope=all&months_from={M0:%Y-%m}&months_to={M0:%Y-%m}").get_data(as_text=True)
    assert "· everyone" in body
    assert f"{M0:%b %Y} 30,000 8,500 10,000 4,000 0 10,200 62%" in text_of(body)


@pytest.mark.parametrize(("args", "message"), [
    ("months_from=2026-13", "Enter months as YYYY-MM"),
    ("months_from=2027-05&months_to=2027-01", "The first month is after the last one."),
    ("months_from=2020-01&months_to=2025-01", "Choose at most 24 months."),
])  # fmt: skip
def test_bad_months_show_an_error_and_the_default_range(client, auth, users, args, message):
    auth.login(users["manager"]["email"])
    response = client.get(f"/team?{args}")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    first, _ = forecast.default_months(dt.datetime.now(dt.UTC).date())
    assert f'name="months_from" value="{first:%Y-%m}"' in response.get_data(as_text=True)


def test_default_months_are_this_quarter_and_the_next():
    assert forecast.default_months(dt.date(2026, 12, 7)) == (dt.date(2026, 10, 1), dt.date(2027, 3, 1))
    assert forecast.default_months(dt.date(2027, 1, 1)) == (dt.date(2027, 1, 1), dt.date(2027, 6, 1))


# --- quotas ----------------------------------------------------------------------------


def post_quota(client, auth, who_email, user_id, month, amount, login=True):
    if login:
        auth.login(who_email)
    token = auth.csrf_token("/team")
    return client.post("/team/quotas", data={"user_id": str(user_id), "month": month, "amount": amount,
                                             "csrf_token": token})  # fmt: skip


def quota_of(app, users, user_id, month):
    rows = fetch_as(app, users["admin"]["id"], "select amount from crm.quotas where user_id = :u and month = :m",
                    {"u": user_id, "m": month})  # fmt: skip
    return rows[0][0] if rows else None


def test_a_manager_sets_and_replaces_a_quota_of_their_rep(app, client, auth, users):
    response = post_quota(client, auth, users["manager"]["email"], users["rep"]["id"], "2030-02", "12500")
    assert response.status_code == 302 and response.headers["Location"].endswith("/team#forecast")
    assert quota_of(app, users, users["rep"]["id"], dt.date(2030, 2, 1)) == Decimal("12500.00")
    post_quota(client, auth, users["manager"]["email"], users["rep"]["id"], "2030-02", "9000.50", login=False)
    assert quota_of(app, users, users["rep"]["id"], dt.date(2030, 2, 1)) == Decimal("9000.50")


@pytest.mark.parametrize(("who", "target", "month", "amount", "error"), [
    ("manager", "admin", "2030-02", "100", "Not a valid choice"),  # not someone they manage
    ("manager", "manager", "2030-02", "100", "Not a valid choice"),  # not themself
    ("manager", "rep", "2030-13", "100", "is not a month"),
    ("manager", "rep", "1999-12", "100", "between 2000 and 2100"),
    ("manager", "rep", "2030-02", "-1", "Enter a quota of 0 or more"),
    ("manager", "rep", "2030-02", "", "Enter the quota"),
])  # fmt: skip
def test_a_refused_quota_shows_why_and_writes_nothing(app, client, auth, users, who, target, month, amount, error):
    response = post_quota(client, auth, users[who]["email"], users[target]["id"], month, amount)
    assert response.status_code == 400 and error in response.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.quotas")[0][0] == 0


def test_a_manager_may_not_set_another_teams_quota_even_in_the_database(app, users):
    import sqlalchemy.exc

    admin = users["admin"]["id"]
    other = add_user(app, admin, "other-rep@test.example", "rep", full_name="Other Rep")
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="row-level security"):
        fetch_as(app, users["manager"]["id"], "insert into crm.quotas (user_id, month, amount) values (:u, :m, 1) returning id",
                 {"u": other, "m": M0})  # fmt: skip


def test_reps_get_404_from_the_quota_form(client, auth, users):
    assert post_quota(client, auth, users["rep"]["email"], users["rep"]["id"], "2030-02", "100").status_code == 404


def test_an_admin_sets_anyones_quota(app, client, auth, users):
    response = post_quota(client, auth, users["admin"]["email"], users["manager"]["id"], "2030-03", "70000")
    assert response.status_code == 302
    assert quota_of(app, users, users["manager"]["id"], dt.date(2030, 3, 1)) == Decimal("70000.00")


# --- a deal's forecast category ------------------------------------------------------------


def test_the_deal_form_sets_a_category_and_refuses_a_closed_one(app, client, auth, users, world):
    auth.login(users["rep"]["email"])
    page = client.get(f"/deals/{world['B']}/edit").get_data(as_text=True)
    assert '<option selected value="best_case">Best case</option>' in page
    assert 'value="closed_won"' not in page  # closed won / lost follow the stage
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    data = {"csrf_token": fields["csrf_token"], "version": fields["version"], "name": "Deal B", "value": "4000",
            "stage_id": STAGE["verbal"], "expected_close_date": f"{M0.replace(day=20)}", "lost_reason_id": ""}  # fmt: skip
    refused = client.post(f"/deals/{world['B']}/edit", data=data | {"forecast_category": "closed_won"})
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    saved = client.post(f"/deals/{world['B']}/edit", data=data | {"forecast_category": "commit"})
    assert saved.status_code == 302
    assert fetch_as(app, users["rep"]["id"], "select forecast_category from crm.deals where id = :d",
                    {"d": world["B"]})[0][0] == "commit"  # fmt: skip


def test_inline_forecast_edit_on_open_deals_only(app, client, auth, users, world):
    auth.login(users["rep"]["email"])
    show = client.get(f"/deals/{world['A']}").get_data(as_text=True)
    assert "Commit: edit the forecast category" in show
    # a won deal shows "Closed won" and has no forecast form
    assert "Closed won" in client.get(f"/deals/{world['D']}").get_data(as_text=True)
    assert client.get(f"/deals/{world['D']}/inline?field=forecast").status_code == 404
    form = client.get(f"/deals/{world['A']}/inline?field=forecast", headers={"HX-Request": "true"}).get_data(as_text=True)
    token = auth.csrf_token("/deals/new")
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    response = client.post(f"/deals/{world['A']}/inline", headers={"HX-Request": "true"},
                           data={"field": "forecast", "forecast_category": "best_case", "version": version,
                                 "csrf_token": token})  # fmt: skip
    assert response.status_code == 200 and "Best case" in response.get_data(as_text=True)


def test_the_manager_reads_the_category_but_may_not_change_it(client, auth, users, world):
    auth.login(users["manager"]["email"])
    body = client.get(f"/deals/{world['A']}").get_data(as_text=True)
    assert re.search(r'id="forecast-category"><span class="inline"[^>]*>Commit</span>', body)
    assert "edit the forecast category" not in body
    assert client.get(f"/deals/{world['A']}/inline?field=forecast").status_code == 404


def test_deal_list_filters_and_exports_the_category(app, client, auth, users, world):
    auth.login(users["rep"]["email"])

    def names(query):
        body = client.get(f"/deals?all=1&{query}").get_data(as_text=True)
        return sorted(set(re.findall(r">Deal ([A-Z])</a>", body)))

    assert names("forecast=commit") == ["A", "F"]  # D (won) and E (lost) are stored as commit but closed
    assert names("forecast=closed_won") == ["D", "G"]
    assert names("forecast=closed_lost") == ["E"]
    assert names("forecast=nonsense") == ["A", "B", "C", "D", "E", "F", "G"]
    csv = client.get("/deals?all=1&format=csv&sort=name&dir=asc").get_data(as_text=True).splitlines()
    assert csv[0].endswith(",Forecast category") or "Forecast category" in csv[0]
    header = csv[0].split(",")
    column = header.index("Forecast category")
    by_name = {line.split(",")[0]: line.split(",")[column] for line in csv[1:]}
    assert by_name == {"Deal A": "commit", "Deal B": "best_case", "Deal C": "pipeline", "Deal D": "closed_won",
                       "Deal E": "closed_lost", "Deal F": "commit", "Deal G": "closed_won"}  # fmt: skip


def test_closed_won_counts_in_the_readers_month(app, users, client):
    """A deal won at 20:00 UTC on 31 March 2025 is won in March for a UTC reader and in April for a reader in
    Singapore (04:00 on 1 April); an open deal's month is its close date's, the same in every zone."""
    admin = users["admin"]["id"]
    for name, stage, close, closed in [("Late win", "won", None, dt.datetime(2025, 3, 31, 20, tzinfo=dt.UTC)),
                                       ("Open", "verbal", dt.date(2025, 3, 31), None)]:
        fetch_as(app, admin, INSERT, {"name": name, "owner": users["rep"]["id"], "value": 1000, "stage": STAGE[stage],
                                      "close": close, "category": "commit", "p": None, "closed": closed})  # fmt: skip

    def won_and_commit():
        data = team_forecast(app, users, first=dt.date(2025, 3, 1), last=dt.date(2025, 4, 1))
        return {m["month"]: (int(m["total"]["closed_won"]), int(m["total"]["commit"])) for m in forecast.months_view(data)}

    assert won_and_commit() == {dt.date(2025, 3, 1): (1000, 1000), dt.date(2025, 4, 1): (0, 0)}
    fetch_as(app, admin, "update crm.users set time_zone = 'Asia/Singapore' where id = :m returning id",
             {"m": users["manager"]["id"]})  # fmt: skip
    assert won_and_commit() == {dt.date(2025, 3, 1): (0, 1000), dt.date(2025, 4, 1): (1000, 0)}
