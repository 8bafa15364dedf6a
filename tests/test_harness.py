"""The harness itself: a view's commit must not outlive its test."""

from __future__ import annotations

from tests.conftest import execute_as, query

CANARY = "canary-team-from-a-committed-view"
COUNT = "select count(*) from crm.teams where name = :n"


def test_commit_inside_test_is_visible_in_the_test(app, db_session, users):
    # an admin creates a team and commits, as a view would
    assert execute_as(app, users["admin"]["id"], "insert into crm.teams (name) values (:n)", {"n": CANARY}) == 1
    assert execute_as(app, users["admin"]["id"], COUNT.replace("count(*)", "1"), {"n": CANARY}) == 1


def test_commit_did_not_leak_into_the_next_test(app, db_session, users):
    # runs after the test above (file order): its committed row is gone
    assert execute_as(app, users["admin"]["id"], COUNT.replace("count(*)", "1"), {"n": CANARY}) == 0


def test_requests_do_not_share_the_acting_user(app, client, auth, users):
    auth.login(users["rep"]["email"])
    assert client.get("/").status_code == 200
    # a second client (no cookie) is anonymous: redirected, and the database saw no user
    other = app.test_client()
    assert other.get("/").status_code == 302
    assert query(app, "select coalesce(current_setting('app.user_id', true), '')") == [("",)]
