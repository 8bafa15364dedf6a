"""The pipeline admins manage (/admin/stages, /admin/lost-reasons) and lost reasons on deals: who may
see the pages, adding, editing and reordering stages, refusing to remove a stage with deals (the page and
the database), removing one that has only history, the reason a lost deal needs (form, board, database)
and the lost reasons report on /team."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from tests.conftest import execute_as, fetch_as
from tests.test_deals import add_deal

NOT_RECORDED = uuid.UUID("00000000-0000-4000-8000-000000000100")
PRICE = uuid.UUID("00000000-0000-4000-8000-000000000101")
COMPETITOR = uuid.UUID("00000000-0000-4000-8000-000000000102")
LOST = "00000000-0000-4000-8000-000000000060"
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


def as_admin(app, users, sql: str, **params):
    return fetch_as(app, users["admin"]["id"], sql, params)


def csrf(auth, path="/"):
    return auth.csrf_token(path)


@pytest.mark.parametrize("who", ["rep", "manager"])
@pytest.mark.parametrize("path", ["/admin/stages", "/admin/stages/new", "/admin/lost-reasons", "/admin/lost-reasons/new"])
def test_admin_pages_are_404_for_others(client, auth, users, who, path):
    auth.login(users[who]["email"])
    assert client.get(path).status_code == 404


def test_stages_page_lists_the_board_with_rotting_days(client, auth, users):
    auth.login(users["admin"]["email"])
    body = client.get("/admin/stages").get_data(as_text=True)
    # the migration's rotting days: Lead 14, Qualified 21, Opportunity 30, Verbal 14; won and lost never rot
    rows = re.findall(r'<td data-label="Stage">.*?</svg> ([^<]+)</td>.*?<td data-label="Rotting days">([^<]+)</td>',
                      body, re.S)  # fmt: skip
    assert rows == [("Lead", "14"), ("Qualified", "21"), ("Opportunity", "30"), ("Verbal", "14"), ("Won", "—"),
                    ("Lost", "—")]  # fmt: skip
    assert 'id="nav-stages-index"' in body


def test_add_edit_and_reorder_a_stage(app, client, auth, users):
    auth.login(users["admin"]["email"])
    token = csrf(auth, "/admin/stages/new")
    form = {"csrf_token": token, "name": "Proposal", "color": "#123ABC", "default_probability": "70",
            "rotting_days": "10", "kind": "open"}  # fmt: skip
    assert client.post("/admin/stages/new", data=form).status_code == 302
    [(stage_id, position, color, rotting)] = as_admin(
        app, users, "select id, position, color, rotting_days from crm.deal_stages where name = 'Proposal'")
    assert (position, color, rotting) == (70, "#123abc", 10)  # after Lost (60), in steps of 10
    # the same name again (any case) is a field error
    again = client.post("/admin/stages/new", data=form | {"name": "proposal"})
    assert again.status_code == 200 and "A stage with this name already exists." in again.get_data(as_text=True)
    # edit: rename, recolour, probability, no rotting
    page = client.get(f"/admin/stages/{stage_id}/edit").get_data(as_text=True)
    edited = form | {"name": "Proposal sent", "color": "#00ff00", "default_probability": "75", "rotting_days": "",
                     "version": VERSION.search(page).group(1)}  # fmt: skip
    assert client.post(f"/admin/stages/{stage_id}/edit", data=edited).status_code == 302
    assert as_admin(app, users, "select name, color, default_probability, rotting_days from crm.deal_stages "
                    "where id = :id", id=stage_id) == [("Proposal sent", "#00ff00", 75, None)]  # fmt: skip
    # move it up twice: before Won and Lost; the board's order follows
    for _ in range(2):
        assert client.post(f"/admin/stages/{stage_id}/move", data={"csrf_token": token, "direction": "up"}).status_code == 302
    names = [n for (n,) in as_admin(app, users, "select name from crm.deal_stages order by position")]
    assert names == ["Lead", "Qualified", "Opportunity", "Verbal", "Proposal sent", "Won", "Lost"]
    board = client.get("/pipeline").get_data(as_text=True)
    assert re.findall(r'data-stage-name="([^"]+)"', board) == names


def test_a_stage_with_deals_is_not_removed(app, client, auth, users):
    add_deal(app, users, name="One", stage="Verbal")
    add_deal(app, users, who="rep2", name="Two", stage="Verbal")
    verbal = as_admin(app, users, "select id from crm.deal_stages where name = 'Verbal'")[0][0]
    auth.login(users["admin"]["email"])
    page = client.get(f"/admin/stages/{verbal}/delete").get_data(as_text=True)
    assert "Verbal has 2 deals; move them to another stage first" in page and "confirm-delete-button" not in page
    refused = client.post(f"/admin/stages/{verbal}/delete", data={"csrf_token": csrf(auth)})
    assert refused.status_code == 409 and "Verbal has 2 deals" in refused.get_data(as_text=True)
    # the database refuses as well, naming how many
    with pytest.raises(IntegrityError, match="stage Verbal has 2 deal"):
        execute_as(app, users["admin"]["id"], "delete from crm.deal_stages where id = :id", {"id": verbal})
    assert as_admin(app, users, "select count(*) from crm.deal_stages where id = :id", id=verbal) == [(1,)]


def test_removing_a_stage_keeps_the_history_of_deals_that_passed(app, client, auth, users):
    stage = as_admin(app, users, "insert into crm.deal_stages (name, position, default_probability) "
                     "values ('Demo', 45, 50) returning id")[0][0]  # fmt: skip
    deal = add_deal(app, users, name="Passed through")
    execute_as(app, users["rep"]["id"], "update crm.deals set stage_id = :s where id = :d", {"s": stage, "d": deal})
    execute_as(app, users["rep"]["id"], "update crm.deals set stage_id = (select id from crm.deal_stages "
               "where name = 'Verbal') where id = :d", {"d": deal})  # fmt: skip
    auth.login(users["admin"]["email"])
    page = client.get(f"/admin/stages/{stage}/delete").get_data(as_text=True)
    # the confirmation says what the database keeps: Lead -> Demo and Demo -> Verbal lose the link
    assert "Kept, without the link to this stage: 2 stage history entries." in page
    assert client.post(f"/admin/stages/{stage}/delete", data={"csrf_token": csrf(auth)}).status_code == 302
    history = as_admin(app, users, "select s1.name, s2.name from crm.deal_stage_history h "
                       "left join crm.deal_stages s1 on s1.id = h.from_stage_id "
                       "left join crm.deal_stages s2 on s2.id = h.to_stage_id "
                       "where h.deal_id = :d order by h.changed_at, h.id", d=deal)  # fmt: skip
    assert sorted(history, key=str) == sorted([(None, "Lead"), ("Lead", None), (None, "Verbal")], key=str)
    assert "a removed stage" in client.get(f"/deals/{deal}").get_data(as_text=True)


def test_a_stage_with_deals_keeps_its_kind(app, client, auth, users):
    add_deal(app, users, name="Open one", stage="Verbal")
    verbal = as_admin(app, users, "select id, version from crm.deal_stages where name = 'Verbal'")[0]
    auth.login(users["admin"]["email"])
    form = {"csrf_token": csrf(auth), "name": "Verbal", "color": "#f59e0b", "default_probability": "80",
            "rotting_days": "14", "kind": "lost", "version": str(verbal[1])}  # fmt: skip
    response = client.post(f"/admin/stages/{verbal[0]}/edit", data=form)
    assert response.status_code == 200 and "Verbal has 1 deal; move them" in response.get_data(as_text=True)


# --- lost reasons ---------------------------------------------------------------------------


def test_lost_reasons_admin(app, client, auth, users):
    auth.login(users["admin"]["email"])
    token = csrf(auth, "/admin/lost-reasons/new")
    assert client.post("/admin/lost-reasons/new", data={"csrf_token": token, "name": "Went dark",
                                                        "is_active": "y"}).status_code == 302  # fmt: skip
    [(new_id, position)] = as_admin(app, users, "select id, position from crm.lost_reasons where name = 'Went dark'")
    assert position == 1010  # after "Not recorded" (1000)
    # the built-in reason and a reason lost deals have stay; an unused one goes
    deal = add_deal(app, users, name="Lost on price")
    execute_as(app, users["rep"]["id"], "update crm.deals set stage_id = :l, lost_reason_id = :r where id = :d",
               {"l": LOST, "r": PRICE, "d": deal})  # fmt: skip
    assert "is built in" in client.get(f"/admin/lost-reasons/{NOT_RECORDED}/delete").get_data(as_text=True)
    refused = client.post(f"/admin/lost-reasons/{PRICE}/delete", data={"csrf_token": token})
    assert refused.status_code == 409 and "1 deal lost for Price" in refused.get_data(as_text=True)
    assert client.post(f"/admin/lost-reasons/{new_id}/delete", data={"csrf_token": token}).status_code == 302
    assert as_admin(app, users, "select count(*) from crm.lost_reasons where id = :id", id=new_id) == [(0,)]
    # the database keeps "Not recorded" even from an admin
    assert execute_as(app, users["admin"]["id"], "delete from crm.lost_reasons where id = :id",
                      {"id": NOT_RECORDED}) == 0  # fmt: skip


def test_the_database_requires_a_reason_from_a_user(app, db_session, users):
    deal = add_deal(app, users, name="Slipping")
    # an acting user who loses a deal gives a reason: the check refuses the update without one
    with pytest.raises(IntegrityError, match="check_deals_lost_has_reason"):
        execute_as(app, users["rep"]["id"], "update crm.deals set stage_id = :l where id = :d", {"l": LOST, "d": deal})
    execute_as(app, users["rep"]["id"], "update crm.deals set stage_id = :l, lost_reason_id = :r where id = :d",
               {"l": LOST, "r": COMPETITOR, "d": deal})  # fmt: skip
    assert as_admin(app, users, "select status, lost_reason_id from crm.deals where id = :d", d=deal) == [
        ("lost", COMPETITOR)]
    # reopened: the reason goes with the lost stage
    execute_as(app, users["rep"]["id"], "update crm.deals set stage_id = (select id from crm.deal_stages "
               "where name = 'Lead') where id = :d", {"d": deal})  # fmt: skip
    assert as_admin(app, users, "select status, lost_reason_id from crm.deals where id = :d", d=deal) == [
        ("active", None)]
    # a deal created lost (an import) without a reason gets "Not recorded"
    created = add_deal(app, users, name="Imported lost", stage="Lost")
    assert as_admin(app, users, "select lost_reason_id from crm.deals where id = :d", d=created) == [(NOT_RECORDED,)]


def test_no_lost_deal_is_without_a_reason(admin_conn):
    """check_deals_lost_has_reason holds for every row (the migration gave the lost deals before it
    "Not recorded"); a reason given to an open deal is dropped (only lost deals have one)."""
    assert admin_conn.execute("select count(*) from crm.deals where (status = 'lost') <> (lost_reason_id is not null)"
                              ).fetchone() == (0,)  # fmt: skip
    row = admin_conn.execute("""insert into crm.deals (name, stage_id, owner_id, lost_reason_id)
                                values ('x', '00000000-0000-4000-8000-000000000010',
                                        (select id from crm.users limit 1), %s)
                                returning status, lost_reason_id""", (PRICE,)).fetchone()  # fmt: skip
    assert row == ("active", None)


def deal_form(deal_page: str, **values) -> dict:
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', deal_page))
    base = {k: fields.get(k, "") for k in ("csrf_token", "version", "name", "value", "expected_close_date")}
    return base | values


def test_the_deal_form_asks_why_a_deal_was_lost(app, client, auth, users):
    deal = add_deal(app, users, name="Form deal", value=500)
    auth.login(users["rep"]["email"])
    page = client.get(f"/deals/{deal}/edit").get_data(as_text=True)
    assert 'name="lost_reason_id"' in page and ">Price</option>" in page and "Not recorded</option>" in page
    refused = client.post(f"/deals/{deal}/edit", data=deal_form(page, stage_id=LOST, lost_reason_id=""))
    assert refused.status_code == 200 and "Choose why the deal was lost." in refused.get_data(as_text=True)
    saved = client.post(f"/deals/{deal}/edit", data=deal_form(page, stage_id=LOST, lost_reason_id=str(PRICE)))
    assert saved.status_code == 302
    assert as_admin(app, users, "select status, lost_reason_id from crm.deals where id = :d", d=deal) == [
        ("lost", PRICE)]
    assert 'id="lost-reason">Price<' in client.get(f"/deals/{deal}").get_data(as_text=True)


def test_the_board_asks_why_a_deal_was_lost(app, client, auth, users):
    deal = add_deal(app, users, name="Board deal", value=700)
    auth.login(users["rep"]["email"])
    board = client.get("/pipeline").get_data(as_text=True)
    version = re.search(rf'id="deal-{deal}".*?data-version="(\d+)"', board, re.S).group(1)
    data = {"csrf_token": csrf(auth), "version": version, "stage_id": LOST}
    asked = client.post(f"/pipeline/deals/{deal}/move", data=data, headers={"HX-Request": "true"})
    body = asked.get_data(as_text=True)
    # nothing moved; the card asks for the reason
    assert "Choose why Board deal was lost" in body and f'id="lost-reason-{deal}"' in body
    assert as_admin(app, users, "select status from crm.deals where id = :d", d=deal) == [("active",)]
    moved = client.post(f"/pipeline/deals/{deal}/move", data=data | {"lost_reason_id": str(COMPETITOR)},
                        headers={"HX-Request": "true"})  # fmt: skip
    assert "Moved Board deal to Lost." in moved.get_data(as_text=True)
    assert as_admin(app, users, "select status, lost_reason_id from crm.deals where id = :d", d=deal) == [
        ("lost", COMPETITOR)]


# --- the report on /team ------------------------------------------------------------------------


def lose(app, users, who, name, value, reason):
    """A deal of ``who`` lost for ``reason`` (now; the caller moves closed_at)."""
    deal = add_deal(app, users, who=who, name=name, value=value)
    execute_as(app, users[who]["id"], "update crm.deals set stage_id = :l, lost_reason_id = :r where id = :d",
               {"l": LOST, "r": reason, "d": deal})  # fmt: skip
    return deal


def test_team_report_counts_and_values_per_reason(app, client, auth, users):
    """The manager's team is rep and rep2. Lost in March 2026 (the period 2026-03-01..2026-03-31):
      Price:      rep 1,000 (Mar 3) + rep2 2,500 (Mar 31)   = 2 deals, 3,500
      Competitor: rep 4,000 (Mar 15)                         = 1 deal,  4,000
    Left out: rep's Price deal of 9,000 lost on Apr 1 (after the period), the manager's own Timing deal
    of 800 (Mar 10: the team page shows the members) and the admin's 5,000 (not in the team).
    Largest value first: Competitor 4,000, then Price 3,500; all reasons 3 deals, 7,500."""
    TIMING = uuid.UUID("00000000-0000-4000-8000-000000000105")
    lost = [("rep", "A", 1000, PRICE, "2026-03-03 10:00+00"), ("rep2", "B", 2500, PRICE, "2026-03-31 23:00+00"),
            ("rep", "C", 4000, COMPETITOR, "2026-03-15 12:00+00"), ("rep", "D", 9000, PRICE, "2026-04-01 00:30+00"),
            ("manager", "E", 800, TIMING, "2026-03-10 09:00+00"), ("admin", "F", 5000, PRICE, "2026-03-12 09:00+00")]
    for who, name, value, reason, closed in lost:
        deal = lose(app, users, who, name, value, reason)
        execute_as(app, users["admin"]["id"], "update crm.deals set closed_at = :c where id = :d",
                   {"c": closed, "d": deal})  # fmt: skip
    auth.login(users["manager"]["email"])
    body = client.get("/team?range=custom&from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    panel = body[body.index('id="panel-lost-reasons"'):]
    rows = re.findall(r'<tr class="lost-reason-row"><td data-label="Reason">([^<]+)</td><td class="num" '
                      r'data-label="Deals">(\d+)</td><td class="num" data-label="Value lost">([^<]+)</td>', panel)
    assert rows == [("Competitor", "1", "4,000"), ("Price", "2", "3,500")]
    assert re.search(r"<th>All reasons</th><td class=\"num\">3</td><td class=\"num\">7,500</td>", panel)


def test_the_board_weighs_with_the_edited_probability(app, client, auth, users):
    """One deal of 1,000 in Verbal: weighted 1,000 x 80% = 800; the admin sets Verbal to 35%: 1,000 x 35% = 350."""
    add_deal(app, users, name="Weighed", stage="Verbal", value=1000)
    verbal = as_admin(app, users, "select id, position, version from crm.deal_stages where name = 'Verbal'")[0]
    auth.login(users["admin"]["email"])

    def weighted() -> str:
        board = client.get("/pipeline?mine=1").get_data(as_text=True)
        column = board[board.index(f'id="stage-{verbal[1]}"'):]
        return re.search(r'class="stage-weighted">([^<]+)<', column).group(1)

    execute_as(app, users["admin"]["id"], "update crm.deals set owner_id = :a where name = 'Weighed'",
               {"a": users["admin"]["id"]})  # (the admin's own deal: ?mine=1 shows it alone)
    assert weighted() == "800"
    form = {"csrf_token": csrf(auth), "name": "Verbal", "color": "#f59e0b", "default_probability": "35",
            "rotting_days": "14", "kind": "open", "version": str(verbal[2])}  # fmt: skip
    assert client.post(f"/admin/stages/{verbal[0]}/edit", data=form).status_code == 302
    assert weighted() == "350"


def test_team_report_days_are_the_readers(admin_conn, users):
    """A rep's deal lost at 2026-04-01 03:30 UTC was lost on March 31 at 23:30 in New York (EDT, UTC-4):
    in March for a manager whose zone is New York (1 deal, 600), in April for one on UTC (none in March)."""
    from tests.test_dashboard_sql import as_user

    deal = admin_conn.execute(
        "insert into crm.deals (name, stage_id, owner_id, value, lost_reason_id) values ('Late loss', %s, %s, 600, %s) returning id",
        (LOST, users["rep"]["id"], PRICE),
    ).fetchone()[0]
    admin_conn.execute("update crm.deals set closed_at = '2026-04-01 03:30+00' where id = %s", (deal,))
    report = "select reason, deals, value from crm.get_lost_reasons_report(%s, '2026-03-01', '2026-03-31') where value = 600"
    manager = users["manager"]["id"]
    for zone, expected in [("America/New_York", [("Price", 1, 600)]), ("UTC", [])]:
        admin_conn.execute("update crm.users set time_zone = %s where id = %s", (zone, manager))
        assert as_user(admin_conn, manager, report, (manager,)) == expected, zone
