"""No 500 from input (issue 14, finding 3; SECURITY.md T20).

Hostile query strings, headers, path ids and form values on every route of ``app.url_map``, as a rep and as
an admin, are answered with a page, a notice, a field error, a 400 or a 404: never a 5xx. Routes come from
the URL map, query argument names from the source (every ``args.get("...")``, ``*_arg("...")`` and
``*_ARGS`` tuple), forms and their fields from the pages themselves, so a new route, filter or field is
fuzzed without touching this file. The regressions the black-box probe found are pinned down first.
"""

from __future__ import annotations

import collections
import itertools
import logging
import os
import re
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

import dashboard
from dashboard.forms.auth import LoginForm
from tests.conftest import build_app, fetch_as
from tests.hostile import PageForms, header_safe, hostile_text
from tests.route_specs import merged

OBJECTS, OBJECT_ROUTES, _ = merged()
# per identity: the sweeps (every route with every name set to each value) plus Hypothesis's own draws
GET_SWEEP = ("9999-12-31", "0000-01-01", "-99999999999999999999")
FORM_SWEEP = ("9999-12-31", "-99999999999999999999", "sNaN", "x" * 10_000)
GET_EXAMPLES = 150
WRITE_EXAMPLES = 150
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# admins' writes (team.set_quota: managers' and admins'), on none of a rep's pages
ADMIN_WRITES = {"admin.create_team", "admin.create_user", "admin.revoke_sessions", "admin.targets", "admin.update_user",
                "backups.run",
                "duplicates.dismiss", "duplicates.merge", "duplicates.scan", "duplicates.undo",
                "legacy.dismiss", "legacy.index", "legacy.migrate_staging", "legacy.resolve",
                "stages.create", "stages.create_lost_reason", "stages.delete", "stages.delete_lost_reason",
                "stages.move", "stages.update", "stages.update_lost_reason",
                "team.set_quota",
                "webhooks.create", "webhooks.delete", "webhooks.replay", "webhooks.send_test", "webhooks.set_active"}  # fmt: skip
FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))  # fmt: skip
HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Current-URL", "HX-Boosted", "Referer", "User-Agent",
           "Accept-Language", "X-Forwarded-For", "If-Modified-Since", "If-None-Match", "Range")  # fmt: skip
MALFORMED_IDS = ("not-a-uuid", "%00", "0" * 40, "..%2F..%2Fetc", "00000000-0000-0000-0000-00000000000g")
ARG_CALL = re.compile(r'(?:args\.get|_arg)\(\s*(?:args,\s*)?"(\w+)"')
ARG_TUPLE = re.compile(r"_ARGS = \(([^)]*)\)")


@pytest.fixture(scope="module")
def app(app_url, users):
    """Legacy imports run inside the request, so a fuzzed "migrate staging" stays in the test's rollback."""
    return build_app(app_url, LEGACY_IMPORT_INLINE=True)


@pytest.fixture(autouse=True)
def parsers_checked_everything(caplog):
    """The 400 for a database data exception or an overflow is a last resort: none of this input may need it."""
    yield
    unchecked = [r.getMessage() for r in caplog.records if r.name == "dashboard.input" and r.levelno >= logging.WARNING]
    assert not unchecked, unchecked


def query_names() -> list[str]:
    """Every query argument a view or service reads, found in the source."""
    names = {"page", "sort", "dir", "next", "q"}
    for path in Path(dashboard.__file__).parent.rglob("*.py"):
        source = path.read_text()
        names |= set(ARG_CALL.findall(source))
        for group in ARG_TUPLE.findall(source):
            names |= set(re.findall(r'"(\w+)"', group))
    return sorted(names)


def rules(app, methods: set[str]):
    """The web app's routes (the REST API's JSON routes are fuzzed by tests/test_api_schemathesis.py)."""
    return [(rule, method) for rule in app.url_map.iter_rules() if not rule.rule.startswith("/api/")
            for method in sorted(rule.methods & methods)]  # fmt: skip


def fill(rule, value) -> str:
    return re.sub(r"<[^>]+>", str(value), rule.rule)


def real_path(rule, objects) -> str:
    kind = OBJECT_ROUTES.get(rule.endpoint, (None,))[0]
    return fill(rule, objects[kind] if kind else "app.css")


STATS = collections.Counter()  # status codes answered, for FUZZ_STATS=1


def assert_no_server_error(response, *context):
    STATS[response.status_code] += 1
    if os.environ.get("FUZZ_STATS"):
        print(response.status_code, *context)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (response.status_code, *context)
    assert "Traceback" not in body and "psycopg" not in body, context


CHILDREN = """with attendee as (insert into crm.meeting_attendees (meeting_id, contact_id, name, email)
                                 values (:meeting, :contact, 'Ann Lee', 'ann@example.com') returning id),
                   item as (insert into crm.meeting_action_items (meeting_id, description)
                            values (:meeting, 'Send the offer') returning id),
                   link as (insert into crm.deal_meetings (deal_id, meeting_id) values (:deal, :meeting) returning deal_id),
                   subtask as (insert into crm.tasks (title, assigned_to, parent_task_id)
                               values ('Subtask', :owner, :task) returning id)
              select (select count(*) from attendee) + (select count(*) from item) + (select count(*) from link)
                     + (select count(*) from subtask)"""


def make_objects(app, users) -> dict:
    """The route specs' objects of the rep, the meeting with an attendee, an action item and a linked deal, and
    the task with a subtask: so that their pages show every form."""
    objects = {kind: make(app, users) for kind, make in OBJECTS.items()}
    owner = users["rep"]["id"]
    children = {"meeting": objects["meeting"], "contact": objects["contact"], "deal": objects["deal"],
                "task": objects["task"], "owner": owner}  # fmt: skip
    assert fetch_as(app, owner, CHILDREN, children) == [(4,)]
    return objects


def log_in(auth, users, who) -> str:
    response = auth.login(users[who]["email"])
    assert response.status_code == 302, response.status_code
    return auth.csrf_token("/")


headers_strategy = st.dictionaries(st.sampled_from(HEADERS), hostile_text.map(header_safe), max_size=3)


# --- the findings of the probe --------------------------------------------------------------------


def test_a_nul_byte_in_the_query_string_is_a_400_on_every_page(app, client, auth, users):
    """Finding 3a: ``?q=<NUL>`` was a psycopg.DataError (500) on every list."""
    log_in(auth, users, "admin")
    pages = [rule.rule for rule, _ in rules(app, {"GET"}) if "<" not in rule.rule]
    assert "/companies" in pages and "/deals" in pages
    for page in pages:
        for args in ({"q": "a\x00b"}, {"sort": "\x00"}, {"x\x00": "1"}):
            assert client.get(page, query_string=args).status_code == 400, (page, args)
        assert client.get(page, headers={"HX-Target": "a\x00b"}).status_code == 400, page


def test_a_nul_byte_in_the_login_email_is_refused(app, client, auth):
    """Finding 3b: a NUL in the email reached the throttle's SQL (500). It is a 400 now, and the form itself
    refuses it with a field error (should the request ever get past the guard)."""
    token = auth.csrf_token()
    response = client.post(
        "/login", data={"email": "rep@test.example\x00", "password": "whatever-1", "csrf_token": token}
    )
    assert response.status_code == 400
    with app.test_request_context(method="POST", data={"email": "a\x00@b.c", "password": "p\x00"}):
        form = LoginForm(meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {
            "email": ["This field contains a character that cannot be stored."],
            "password": ["This field contains a character that cannot be stored."],
        }


@pytest.mark.parametrize(
    "path",
    [
        "/meetings?to=9999-12-31",  # finding 3c: OverflowError
        "/meetings?from=0000-01-01&to=9999-12-31",
        "/meetings?from=9999-12-31",
        "/activities?from=0001-01-01&to=9999-12-31",
        "/?range=custom&from=0001-01-01&to=9999-12-31",
        "/?range=custom&from=9999-12-31&to=9999-12-31",
        "/team?range=custom&from=0001-01-01&to=0001-01-01",
        "/deals?min_value=1e309&max_value=-1e309",
        "/deals?min_value=NaN&max_value=Infinity",
        "/companies?min_engagement=NaN",
        "/tasks?page=99999999999999999999",
        "/tasks?page=-1",
        "/contacts?company=not-a-uuid",
        "/activities?company=%7B00000000-0000-0000-0000-000000000000%7D",
        "/team?manager=" + "f" * 10_000,
        "/?user=" + "0" * 10_000,
    ],
)
def test_out_of_range_and_malformed_filters_are_answered(client, auth, users, path):
    """Dates past 9999 or before year 1, numbers that overflow, malformed ids and page numbers: a page (with a
    notice where a filter was ignored) or a 400/404, never a 500."""
    log_in(auth, users, "admin")
    response = client.get(path)
    assert_no_server_error(response, path)
    assert response.status_code in (200, 302, 400, 404), (path, response.status_code)


def test_out_of_range_dates_are_named_in_a_notice(client, auth, users):
    log_in(auth, users, "rep")
    meetings = client.get("/meetings?to=9999-12-31").get_data(as_text=True)
    assert "date range was not applied" in meetings
    activities = client.get("/activities?from=0001-01-01").get_data(as_text=True)
    assert "the date filter is not applied" in activities
    dashboard_page = client.get("/?range=custom&from=0001-01-01&to=2026-01-01")
    assert dashboard_page.status_code == 400
    assert "YYYY-MM-DD" in dashboard_page.get_data(as_text=True)


# --- every GET route: hostile query strings, headers and ids --------------------------------------


def page_forms(client, app, objects) -> dict:
    """(endpoint, method) -> the fields (and the values the page filled in) of the forms that send there, read
    from every GET page: search forms name a list's filters, the others a write's fields."""
    adapter, forms = app.url_map.bind("localhost"), {}
    for rule, _ in rules(app, {"GET"}):
        if rule.endpoint == "static":
            continue
        path = real_path(rule, objects)
        for method, target, fields in PageForms.of(client.get(path).get_data(as_text=True)):
            try:
                endpoint, _ = adapter.match((target or path).split("?")[0], method=method)
            except HTTPException:
                continue
            forms[endpoint, method] = {**forms.get((endpoint, method), {}), **fields}
    return forms


def cases(targets, values, max_size: int):
    """(target, {name: value}) for a target drawn from ``targets`` (target, names) and some of its names."""
    return st.sampled_from(targets).flatmap(
        lambda target: st.tuples(
            st.just(target[0]), st.dictionaries(st.sampled_from(target[1]), values, max_size=max_size)
        )
    )


def with_sweep(test, targets, sweep, **other_arguments):
    """``test`` with explicit examples first: each target with every one of its names set to each ``sweep`` value
    (Hypothesis then adds its own draws), so every route meets every sweep value whatever the draws."""
    for target, names in targets:
        for value in sweep:
            test = example(case=(target, dict.fromkeys(names, value)), **other_arguments)(test)
    return test


@pytest.mark.parametrize("who", ["rep", "admin"])
def test_every_get_route_survives_hostile_query_strings(app, client, auth, users, who):
    objects = make_objects(app, users)
    log_in(auth, users, who)
    forms, source_names = page_forms(client, app, objects), query_names()
    assert {"q", "from", "to", "min_value", "company", "manager", "page"} <= set(source_names)
    pages, missing, malformed = [], [], itertools.cycle(MALFORMED_IDS)
    for rule, _ in rules(app, {"GET"}):
        own = sorted(forms.get((rule.endpoint, "GET"), {}))  # the filters of the page's own search form
        pages.append((real_path(rule, objects), own or source_names))
        if "<" in rule.rule:
            missing += [(fill(rule, uuid.UUID(int=0)), source_names), (fill(rule, next(malformed)), source_names)]

    @settings(FUZZ, max_examples=GET_EXAMPLES)
    @given(case=st.one_of(cases(pages, hostile_text, 8), cases(missing, hostile_text, 3)), headers=headers_strategy)
    def probe(case, headers):
        path, args = case
        assert_no_server_error(client.get(path, query_string=args, headers=headers), path, args, headers)

    with_sweep(probe, pages, GET_SWEEP, headers={})()


# --- every form: hostile values in every field, with a valid CSRF token --------------------------------


@pytest.mark.parametrize("who", ["rep", "admin"])
def test_every_form_survives_hostile_values(app, client, auth, users, who):
    """Each write route gets its form's fields as the page filled them in, some replaced by hostile values (a
    write without a form on any page gets every field name seen). Deleted objects are made again."""
    objects = make_objects(app, users)
    session = {"token": log_in(auth, users, who)}
    forms = page_forms(client, app, objects)
    every_field = sorted({name for (_, method), fields in forms.items() if method != "GET" for name in fields})
    writes, baselines, by_key = [], {}, {}
    for rule, method in rules(app, WRITES):
        if rule.endpoint == "auth.login":
            continue  # logged-in users are sent away from it; fuzzed anonymously below
        key = (rule.rule, method)
        by_key[key] = rule
        baselines[key] = {n: v for n, v in forms.get((rule.endpoint, method), {}).items() if n != "csrf_token"}
        writes.append((key, sorted(baselines[key]) or every_field))

    @settings(FUZZ, max_examples=WRITE_EXAMPLES)
    @given(case=cases(writes, hostile_text, 12))
    def post(case):
        (key, values), method = case, case[0][1]
        rule = by_key[key]
        path, token = real_path(rule, objects), session["token"]
        response = client.open(path, method=method, data={**baselines[key], **values, "csrf_token": token},
                               headers={"X-CSRFToken": token})  # fmt: skip
        assert_no_server_error(response, method, path, values)
        if rule.endpoint.endswith(("delete", "dismiss")) and rule.endpoint in OBJECT_ROUTES:
            objects.update(make_objects(app, users))  # gone or not: the next writes get fresh ones
        if client.get("/account/password").status_code != 200:  # the write ended the session (logout)
            session["token"] = log_in(auth, users, who)

    with_sweep(post, writes, FORM_SWEEP)()
    # the forms were found on the pages: every write the user may make from a page got its own form's fields
    found = {rule.endpoint for (_, method), rule in by_key.items() if (rule.endpoint, method) in forms}
    posted = {rule.endpoint for (_, method), rule in by_key.items() if method == "POST"}
    # none for these objects; "unlock login" shows only on a user with recent failed logins; a record import
    # runs again from a finished run's page (the object is a draft), which only its starter (the rep) maps
    hidden = {"legacy.rerun", "admin.unlock_login", "imports.again"}
    hidden |= {f"bulk.apply_{entity}" for entity in ("deals", "tasks", "companies", "contacts")}  # on a confirmation
    hidden |= {"deals.save_stakeholders"} if who == "rep" else {"imports.mapping", "saved_views.make_default", "saved_views.delete"}
    hidden |= {"account.detected_time_zone"}  # posted by static/timezone.js, not by a form
    # shown once the user has a calendar feed, a connected calendar
    hidden |= {"calendar.revoke_feed", "calendar.sync_now", "calendar.disconnect"}
    hidden |= {"webhooks.replay"}  # on an endpoint's page beside its deliveries (the route spec's has none)
    hidden |= {"account_tokens.revoke"} if who != "rep" else set()  # the rep's own token: a 404 to anyone else
    # the notification list's forms show only with notices: the route spec's notice is the rep's
    hidden |= {"notifications.read", "notifications.read_all"} if who == "admin" else set()
    # a scanned pair of two real records (the route spec's pair names none) and the merge form of two records
    hidden |= {"duplicates.dismiss", "duplicates.merge"} if who == "admin" else set()
    # the mailbox, its never-log entries and suggestions are the rep's: an admin's page offers none of their forms
    hidden |= {"mail.sync_now", "mail.disconnect", "mail.remove_never_log", "mail.accept_suggestion",
               "mail.dismiss_suggestion"} if who == "admin" else set()  # fmt: skip
    assert posted - found == (hidden | ADMIN_WRITES if who == "rep" else hidden), sorted(posted - found)


def test_the_login_form_survives_hostile_values(app, client, auth):
    token = auth.csrf_token()
    addresses = itertools.count(1)

    @settings(FUZZ, max_examples=20)
    @given(email=hostile_text, password=hostile_text, headers=headers_strategy)
    def attempt(email, password, headers):
        data = {"email": email, "password": password, "csrf_token": token}
        environ = {"REMOTE_ADDR": f"192.0.2.{next(addresses) % 250 + 1}"}  # not throttled as one address
        response = client.post("/login", data=data, headers=headers, environ_base=environ)
        assert_no_server_error(response, email, password, headers)

    attempt()


def test_deleting_a_contact_who_attended_a_meeting_without_an_email(app, client, auth, users):
    """Found by the form fuzz: a contact without an email, added as an attendee (the meeting page copies the
    contact's email, none here), could not be deleted (a 500). The attendee now stays, by name."""
    objects = make_objects(app, users)
    fetch_as(app, users["rep"]["id"], "update crm.meeting_attendees set email = null where contact_id = :c returning id",
             {"c": objects["contact"]})  # fmt: skip
    token = log_in(auth, users, "rep")
    response = client.post(f"/contacts/{objects['contact']}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    kept = fetch_as(app, users["rep"]["id"], "select contact_id, name from crm.meeting_attendees where meeting_id = :m",
                    {"m": objects["meeting"]})  # fmt: skip
    assert kept and all(contact is None and name for contact, name in kept)
