"""The pipeline board: column counts, totals and weighted values; filters;
moving a card (stage history, note activity, updated totals, dealsChanged);
who may move; stale and invalid moves."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Auth, execute_as, fetch_as
from tests.test_deals import add_deal, one

COLUMN = re.compile(
    r'data-stage-name="([^"]+)".*?class="stage-count"[^>]*>(\d+)<.*?class="stage-total">([\d,]+)<'
    r'.*?class="stage-weighted">([\d,]+)<',
    re.S,
)
EMPTY = (0, "0", "0")


def columns(body: str) -> dict[str, tuple[int, str, str]]:
    """Stage name -> (count, total, weighted) as the column headers show them."""
    return {name: (int(count), total, weighted) for name, count, total, weighted in COLUMN.findall(body)}


@pytest.fixture
def board(app, users):
    """Several deals per stage for the rep, one big deal for rep2.

    Default probabilities: Lead 10, Qualified 25, Opportunity 60, Verbal 80, Won 100, Lost 0.
      Lead         1,000 + 3,000         = 4,000   x 10%  =   400
      Qualified    2,000 + 6,000 + 500   = 8,500   x 25%  = 2,125
      Opportunity  10,000                = 10,000  x 60%  = 6,000
      Verbal       (none)                = 0                0
      Won          7,000                 = 7,000   x 100% = 7,000
      Lost         4,000                 = 4,000   x 0%   =     0
      rep2's Lead  50,000 (only the manager and admins see it)
    """
    made = {}
    for name, stage, value in [("Lead A", "Lead", 1000), ("Lead B", "Lead", 3000), ("Qual A", "Qualified", 2000),
                               ("Qual B", "Qualified", 6000), ("Qual C", "Qualified", 500),
                               ("Opp A", "Opportunity", 10000), ("Won A", "Won", 7000), ("Lost A", "Lost", 4000)]:  # fmt: skip
        made[name] = add_deal(app, users, name=name, stage=stage, value=value)
    made["Rep2 Lead"] = add_deal(app, users, who="rep2", name="Rep2 Lead", value=50000)
    return made


REP_BOARD = {
    "Lead": (2, "4,000", "400"),
    "Qualified": (3, "8,500", "2,125"),
    "Opportunity": (1, "10,000", "6,000"),
    "Verbal": EMPTY,
    "Won": (1, "7,000", "7,000"),
    "Lost": (1, "4,000", "0"),
}


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


def move(client, auth, deal_id, stage_id, version=1, query="", htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/pipeline/deals/{deal_id}/move{query}", headers=headers,
                       data={"csrf_token": auth.csrf_token("/"), "stage_id": str(stage_id), "version": str(version)})  # fmt: skip


def stage_id(app, users, name):
    return fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages where name = :n", {"n": name})[0][0]


def test_board_has_a_column_per_stage_with_count_total_and_weighted(app, client, rep, users, board):
    response = client.get("/pipeline")
    body = response.get_data(as_text=True)
    # columns in position order, the sums worked out in the fixture's docstring; rep2's deal is not counted
    assert list(columns(body)) == ["Lead", "Qualified", "Opportunity", "Verbal", "Won", "Lost"]
    assert columns(body) == REP_BOARD
    assert "Rep2 Lead" not in body and "Qual C" in body
    # the page loads the board script from our static folder; no inline script anywhere
    assert re.search(r'<script src="/static/pipeline\.[0-9a-f]{12}\.js" defer></script>', body)
    assert re.findall(r"<script(?![^>]*\bsrc=)", body) == [] and " onchange=" not in body and "style=" not in body
    # the rep's cards move: a labelled stage select and drag data
    assert f'id="move-{board["Lead A"]}"' in body and f'for="move-{board["Lead A"]}"' in body
    assert 'draggable="true"' in body and f'data-move-url="/pipeline/deals/{board["Lead A"]}/move"' in body
    # htmx gets the board alone
    fragment = client.get("/pipeline", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert (
        "<html" not in fragment and fragment.lstrip().startswith('<div id="board"') and columns(fragment) == REP_BOARD
    )


def test_manager_sees_the_team_read_only_and_filters_by_owner(app, client, auth, users, board):
    auth.login(users["manager"]["email"])
    body = client.get("/pipeline").get_data(as_text=True)
    # Lead: 1,000 + 3,000 + rep2's 50,000 = 54,000, x 10% = 5,400
    assert columns(body)["Lead"] == (3, "54,000", "5,400")
    assert columns(body)["Qualified"] == REP_BOARD["Qualified"]
    # read-only: no move forms, nothing draggable
    assert 'class="move"' not in body and 'draggable="true"' not in body
    only_rep2 = columns(client.get(f"/pipeline?owner={users['rep2']['id']}").get_data(as_text=True))
    assert only_rep2 == REP_BOARD | {s: EMPTY for s in REP_BOARD} | {"Lead": (1, "50,000", "5,000")}


def test_filters_min_value_closing_soon_and_stale(app, client, rep, users, board):
    rid = users["rep"]["id"]
    execute_as(app, rid, "update crm.deals set expected_close_date = current_date + 7 where id in (:a, :b)",
               {"a": board["Qual A"], "b": board["Won A"]})  # fmt: skip
    execute_as(
        app, rid, "update crm.deals set expected_close_date = current_date + 45 where id = :a", {"a": board["Opp A"]}
    )
    execute_as(app, rid, "update crm.deals set stage_changed_at = now() - interval '40 days' where id in (:a, :b)",
               {"a": board["Lead A"], "b": board["Lost A"]})  # fmt: skip
    # value >= 2,500: Lead B 3,000 (x10% = 300); Qual B 6,000 (x25% = 1,500); Opp, Won, Lost unchanged
    assert columns(client.get("/pipeline?min_value=2500").get_data(as_text=True)) == REP_BOARD | {
        "Lead": (1, "3,000", "300"), "Qualified": (1, "6,000", "1,500")}  # fmt: skip
    # closing in 30 days (open deals only): Qual A 2,000 (x25% = 500); Won A is closed, Opp A is 45 days out
    assert columns(client.get("/pipeline?closing=1").get_data(as_text=True)) == {s: EMPTY for s in REP_BOARD} | {
        "Qualified": (1, "2,000", "500")}  # fmt: skip
    # in stage > 30 days (open deals only): Lead A 1,000 (x10% = 100); Lost A is closed
    assert columns(client.get("/pipeline?stale=1").get_data(as_text=True)) == {s: EMPTY for s in REP_BOARD} | {
        "Lead": (1, "1,000", "100")}  # fmt: skip
    # junk filter values are ignored
    assert columns(client.get("/pipeline?min_value=lots&owner=x").get_data(as_text=True)) == REP_BOARD


def test_move_changes_stage_writes_history_and_note_and_returns_new_totals(app, client, rep, users, board):
    lead, opportunity = stage_id(app, users, "Lead"), stage_id(app, users, "Opportunity")
    response = move(client, rep, board["Lead B"], opportunity)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "dealsChanged" in response.headers["HX-Trigger"]
    # Lead keeps 1,000 (x10% = 100); Opportunity 10,000 + 3,000 = 13,000 (x60% = 7,800)
    assert columns(body) == REP_BOARD | {"Lead": (1, "1,000", "100"), "Opportunity": (2, "13,000", "7,800")}
    assert "Moved Lead B to Opportunity." in body
    deal = board["Lead B"]
    assert one(app, users, "select stage_id, version from crm.deals where id = :i", i=deal) == [(opportunity, 2)]
    # the trigger's history row (by the rep) and the view's note, in the same transaction
    assert one(
        app,
        users,
        "select from_stage_id, to_stage_id, changed_by from crm.deal_stage_history where deal_id = :i and from_stage_id is not null",
        i=deal,
    ) == [(lead, opportunity, users["rep"]["id"])]
    assert one(app, users, "select user_id, type, subject, details from crm.activities where deal_id = :i", i=deal) == [
        (users["rep"]["id"], "note", "Stage changed: Lead → Opportunity", "Moved by Test Rep.")
    ]


def test_move_keeps_the_board_filters(app, client, rep, users, board):
    response = move(client, rep, board["Lead B"], stage_id(app, users, "Verbal"), query="?min_value=2500")
    # the answer is the filtered board: Lead has nothing >= 2,500 left; Verbal 3,000 (x80% = 2,400)
    found = columns(response.get_data(as_text=True))
    assert (
        found["Lead"] == EMPTY
        and found["Verbal"] == (1, "3,000", "2,400")
        and found["Qualified"] == (1, "6,000", "1,500")
    )
    # and the next move posts with the same filters
    assert "/move?min_value=2500" in response.get_data(as_text=True)


def test_move_without_htmx_redirects_to_the_board(app, client, rep, users, board):
    response = move(client, rep, board["Lead A"], stage_id(app, users, "Won"), query="?closing=1", htmx=False)
    assert response.status_code == 302 and response.headers["Location"] == "/pipeline?closing=1"
    assert one(app, users, "select status from crm.deals where id = :i", i=board["Lead A"]) == [("won",)]


def test_admin_moves_a_reps_deal_and_the_note_says_who(app, client, auth, users, board):
    auth.login(users["admin"]["email"])
    assert move(client, auth, board["Qual A"], stage_id(app, users, "Verbal")).status_code == 200
    # the note goes on the owner's timeline; the history records the admin
    assert one(app, users, "select user_id, details from crm.activities where deal_id = :i", i=board["Qual A"]) == [
        (users["rep"]["id"], "Moved by Test Admin.")
    ]
    assert one(
        app,
        users,
        "select changed_by from crm.deal_stage_history where deal_id = :i and from_stage_id is not null",
        i=board["Qual A"],
    ) == [(users["admin"]["id"],)]


@pytest.mark.parametrize("who", ["rep2", "manager"])
def test_others_get_404_on_move(app, client, auth, users, board, who):
    auth.login(users[who]["email"])
    response = move(client, auth, board["Lead A"], stage_id(app, users, "Won"))
    # the same 404 as a deal that does not exist; nothing moved, no note
    assert response.status_code == 404
    assert one(app, users, "select status, version from crm.deals where id = :i", i=board["Lead A"]) == [("active", 1)]
    assert one(app, users, "select count(*) from crm.activities where deal_id = :i", i=board["Lead A"]) == [(0,)]


def test_stale_move_is_409_with_the_latest_board(app, client, rep, users, board):
    deal = board["Qual B"]
    # someone saved the deal after the board was drawn (version 1 -> 2)
    execute_as(
        app, users["rep"]["id"], "update crm.deals set value = 6500, version = version + 1 where id = :i", {"i": deal}
    )
    response = move(client, rep, deal, stage_id(app, users, "Won"), version=1)
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "<html" not in body
    assert "Qual B was changed by Test Rep" in body and "was not moved" in body
    # the board it carries is the latest: Qualified 2,000 + 6,500 + 500 = 9,000 (x25% = 2,250)
    assert columns(body)["Qualified"] == (3, "9,000", "2,250")
    assert one(app, users, "select value, status, version from crm.deals where id = :i", i=deal) == [
        (6500, "active", 2)
    ]
    assert one(app, users, "select count(*) from crm.activities where deal_id = :i", i=deal) == [(0,)]
    # without htmx, the 409 is the whole page
    page = move(client, rep, deal, stage_id(app, users, "Won"), version=1, htmx=False)
    assert page.status_code == 409 and "<html" in page.get_data(as_text=True)


@pytest.mark.parametrize("stage", ["not-a-stage", "00000000-0000-0000-0000-000000000000", ""])
def test_unknown_stage_changes_nothing(app, client, rep, users, board, stage):
    response = client.post(f"/pipeline/deals/{board['Lead A']}/move", headers={"HX-Request": "true"},
                           data={"csrf_token": rep.csrf_token("/"), "stage_id": stage, "version": "1"})  # fmt: skip
    # the board again, with a note; nothing moved
    assert response.status_code == 200 and "was not moved: choose one of the stages" in response.get_data(as_text=True)
    assert one(app, users, "select version from crm.deals where id = :i", i=board["Lead A"]) == [(1,)]


def test_move_to_the_same_stage_is_a_no_op(app, client, rep, users, board):
    response = move(client, rep, board["Lead A"], stage_id(app, users, "Lead"))
    assert response.status_code == 200 and "HX-Trigger" not in response.headers
    assert one(app, users, "select version from crm.deals where id = :i", i=board["Lead A"]) == [(1,)]
    assert one(app, users, "select count(*) from crm.activities where deal_id = :i", i=board["Lead A"]) == [(0,)]


def test_columns_cap_their_cards_but_count_them_all(app, client, users, monkeypatch):
    from dashboard.services import pipeline

    monkeypatch.setattr(pipeline, "CARD_LIMIT", 2)
    for n in range(3):
        add_deal(app, users, name=f"Many {n}", value=100 * (n + 1))
    rep_client = app.test_client()
    Auth(rep_client).login(users["rep"]["email"])
    body = rep_client.get("/pipeline").get_data(as_text=True)
    # the two biggest cards show; the header counts all three (100 + 200 + 300 = 600, x10% = 60)
    assert columns(body)["Lead"] == (3, "600", "60")
    assert "Many 2" in body and "Many 1" in body and "Many 0" not in body and "1 more in the deal list" in body
