"""Tasks: my/team lists (page and htmx rows), filters incl. due dates, sort,
pagination, create, edit, stale edit, delete, mass assignment, escaping;
the subtask hierarchy (depth 5, cycles, reorder) and the quick toggle."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from tests.conftest import fetch_as

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
TITLES = re.compile(r'class="task-title">([^<]+)</a>')
XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def today() -> datetime:
    """Midnight (UTC) of the day the test runs, not of the day the module was imported: a run may cross midnight."""
    return datetime.combine(datetime.now(UTC).date(), time(), UTC)


def add_task(app, users, who="rep", assignee=None, **values):
    """A task created by ``who`` (created_by defaults to the acting user) and assigned to ``assignee`` or them."""
    columns = {"title": "Call back", "assigned_to": users[assignee or who]["id"]} | values
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    sql = f"insert into crm.tasks ({names}) values ({params}) returning id"
    return fetch_as(app, users[who]["id"], sql, columns)[0][0]


def row(app, users, task_id, columns):
    return fetch_as(app, users["admin"]["id"], f"select {columns} from crm.tasks where id = :i", {"i": task_id})[0]


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


def titles(client, url):
    return TITLES.findall(client.get(url).get_data(as_text=True))


def htmx_post(client, auth, url, data):
    return client.post(url, data=data, headers={"HX-Request": "true", "X-CSRFToken": auth.csrf_token("/")})


# --- lists ------------------------------------------------------------------------


def test_my_tasks_full_page_and_htmx_rows(app, client, rep, users):
    add_task(app, users, title="Send proposal")
    add_task(app, users, title="Book demo")
    add_task(app, users, who="rep2", title="Hidden rep2 task")
    page = client.get("/tasks")
    body = page.get_data(as_text=True)
    # the full page lists the rep's own tasks only, with the open counter
    assert "<html" in body and "My tasks" in body and 'id="task-counts"' in body and "2 open" in body
    assert "Send proposal" in body and "Book demo" in body and "Hidden rep2 task" not in body
    rows = client.get("/tasks?q=PROPOSAL", headers={"HX-Request": "true"})
    # htmx gets only the rows, searched case-insensitively
    assert "<html" not in rows.get_data(as_text=True) and TITLES.findall(rows.get_data(as_text=True)) == [
        "Send proposal"
    ]
    assert rows.headers["Vary"].count("HX-Request") == 1
    # a rep asking for the team view still gets their own tasks (no team tab for reps)
    team = client.get("/tasks?view=team").get_data(as_text=True)
    assert "Hidden rep2 task" not in team and 'id="view-team"' not in team


def test_manager_team_view_shows_the_team_with_assignees(app, client, auth, users):
    add_task(app, users, title="Rep task")
    add_task(app, users, who="rep2", title="Rep2 task")
    add_task(app, users, who="manager", title="Manager task")
    add_task(app, users, who="rep2", title="Rep2 done", status="completed")
    auth.login(users["manager"]["email"])
    # "My tasks" is the manager's own; "Team tasks" adds the reps' with an assignee column
    assert titles(client, "/tasks") == ["Manager task"]
    assert "1 open" in client.get("/tasks").get_data(as_text=True)
    team = client.get("/tasks?view=team").get_data(as_text=True)
    # the team's open tasks by default (the completed one is not today's work) ...
    assert sorted(TITLES.findall(team)) == ["Manager task", "Rep task", "Rep2 task"]
    assert "<th>Assignee</th>" in team and "Test Rep2" in team
    # ... and every one of them with all=1
    everything = client.get("/tasks?view=team&all=1").get_data(as_text=True)
    assert sorted(TITLES.findall(everything)) == ["Manager task", "Rep task", "Rep2 done", "Rep2 task"]
    # the counter: the team's open tasks, the completed one not among them
    assert "3 open" in team


def test_filters_status_priority_and_due_dates(app, client, rep, users):
    day = today()  # once: the test's dates agree even across midnight
    add_task(app, users, title="Overdue", due_date=day - timedelta(days=2), priority="urgent")
    add_task(app, users, title="Done late", due_date=day - timedelta(days=2), status="completed")
    add_task(app, users, title="Today", due_date=day + timedelta(hours=15))
    add_task(app, users, title="In five days", due_date=day + timedelta(days=5), status="in_progress")
    add_task(app, users, title="Next month", due_date=day + timedelta(days=30))
    add_task(app, users, title="Someday")
    # overdue means open and due before today; completed tasks are never overdue
    assert titles(client, "/tasks?due=overdue") == ["Overdue"]
    assert titles(client, "/tasks?due=today") == ["Today"]
    assert titles(client, "/tasks?due=week") == ["Today", "In five days"]
    assert titles(client, "/tasks?due=none") == ["Someday"]
    assert titles(client, "/tasks?status=completed") == ["Done late"]
    assert titles(client, "/tasks?status=open&priority=urgent") == ["Overdue"]
    body = client.get("/tasks").get_data(as_text=True)
    # badges: one overdue, one due today; the counter says 1 overdue
    assert body.count('class="badge badge-overdue">overdue<') == 1 and body.count(">due today<") == 1
    assert "1 overdue" in body
    # junk filter values are ignored
    assert len(titles(client, "/tasks?due=yesterday&status=nope&priority=max")) == 6


def test_sort_by_due_priority_created_and_unknown_falls_back(app, client, rep, users):
    day = today()  # once: the test's dates agree even across midnight
    # (created_at is given: inside one test transaction now() is the same for every row)
    add_task(
        app,
        users,
        title="Later",
        due_date=day + timedelta(days=9),
        priority="low",
        created_at=day - timedelta(days=3),
    )
    add_task(app, users, title="No date", priority="urgent", created_at=day - timedelta(days=2))
    add_task(
        app,
        users,
        title="Sooner",
        due_date=day + timedelta(days=1),
        priority="high",
        created_at=day - timedelta(days=1),
    )
    # the default: due date ascending, tasks without a date last
    assert titles(client, "/tasks") == ["Sooner", "Later", "No date"]
    assert titles(client, "/tasks?sort=priority&dir=asc") == ["No date", "Sooner", "Later"]
    assert titles(client, "/tasks?sort=due&dir=desc") == ["Later", "Sooner", "No date"]
    assert titles(client, "/tasks?sort=created&dir=desc") == ["Sooner", "No date", "Later"]
    # a made-up key or direction gives the default order, not an error
    assert titles(client, "/tasks?sort=1;drop&dir=up") == ["Sooner", "Later", "No date"]


def test_pagination_loads_more_rows(app, client, rep, users):
    for n in range(30):
        add_task(app, users, title=f"Task {n:02d}")
    first = client.get("/tasks").get_data(as_text=True)
    # 25 rows and a row that loads page 2 when it scrolls into view
    assert first.count('data-id="') == 25 and 'hx-trigger="revealed"' in first
    second = client.get("/tasks?page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert second.count('data-id="') == 5 and "Load more" not in second


# --- create, edit, delete -----------------------------------------------------------


def test_create_with_field_errors_keeps_input_then_success(app, client, rep, users):
    theirs = fetch_as(
        app,
        users["rep2"]["id"],
        "insert into crm.companies (name, owner_id) values ('Rep2 Co', :o) returning id",
        {"o": users["rep2"]["id"]},
    )[0][0]
    token = rep.csrf_token("/tasks/new")
    bad = client.post("/tasks/new", data={
        "csrf_token": token, "title": " ", "description": "Keep me", "due_date": "soon", "priority": "medium",
        "task_type": "call", "status": "pending", "assigned_to": str(users["rep2"]["id"]), "company_id": str(theirs),
    })  # fmt: skip
    body = bad.get_data(as_text=True)
    # each field says what is wrong and the typed text is kept
    assert bad.status_code == 200 and "This field is required." in body and "Not a valid date value." in body
    assert "Not a valid choice." in body and "Choose one from the list." in body and "Keep me" in body
    good = client.post("/tasks/new", data={
        "csrf_token": token, "title": "Call Ann", "due_date": "2026-12-01", "priority": "high", "task_type": "call",
        "status": "completed", "assigned_to": str(users["rep"]["id"]), "created_by": str(users["rep2"]["id"]),
        "completed_at": "2001-01-01", "depth": "4", "auto_generated": "y", "sequence_order": "9", "version": "5",
    })  # fmt: skip
    assert good.status_code == 302
    created = fetch_as(app, users["admin"]["id"], "select created_by, assigned_to, due_date, depth, auto_generated, "
                       "sequence_order, version, completed_at is not null from crm.tasks where title = 'Call Ann'")  # fmt: skip
    # creator is the acting user, due at 00:00 UTC; depth, flags and version are not the user's to post
    assert created == [
        (users["rep"]["id"], users["rep"]["id"], datetime(2026, 12, 1, tzinfo=UTC), 1, False, 0, 1, True)
    ]


def test_manager_assigns_to_a_team_member_but_a_rep_cannot(app, client, auth, users):
    auth.login(users["manager"]["email"])
    page = client.get("/tasks/new").get_data(as_text=True)
    # the manager may pick the team's reps as assignees
    assert f'value="{users["rep"]["id"]}"' in page and f'value="{users["rep2"]["id"]}"' in page
    response = client.post("/tasks/new", data={"csrf_token": auth.csrf_token("/"), "title": "For rep2", "priority": "low",
                                               "task_type": "general", "status": "pending", "assigned_to": str(users["rep2"]["id"])})  # fmt: skip
    assert response.status_code == 302
    assert fetch_as(
        app, users["admin"]["id"], "select assigned_to, created_by from crm.tasks where title = 'For rep2'"
    ) == [(users["rep2"]["id"], users["manager"]["id"])]


def edit_form(client, auth, task_id, **changes):
    page = client.get(f"/tasks/{task_id}/edit").get_data(as_text=True)
    return {"csrf_token": auth.csrf_token("/"), "version": VERSION.search(page).group(1), "title": "Call back",
            "priority": "medium", "task_type": "general", "status": "pending"} | changes  # fmt: skip


def test_edit_then_stale_edit_is_409(app, client, rep, users, auth):
    day = today()  # once: the test's dates agree even across midnight
    task = add_task(app, users, due_date=day + timedelta(days=3, hours=14))
    page = client.get(f"/tasks/{task}/edit").get_data(as_text=True)
    # the due date shows as its day in UTC
    assert f'value="{(day + timedelta(days=3)).date().isoformat()}"' in page
    stale = edit_form(client, rep, task)
    first = edit_form(client, rep, task, title="Call back First", priority="urgent")
    assert client.post(f"/tasks/{task}/edit", data=first).status_code == 302
    response = client.post(f"/tasks/{task}/edit", data=stale | {"title": "Call back Second"})
    # the stale save is refused with who saved first; the first save survives
    assert response.status_code == 409 and "Someone else saved first" in response.get_data(as_text=True)
    assert row(app, users, task, "title, priority, version") == ("Call back First", "urgent", 2)


def test_manager_reads_but_cannot_edit_a_reps_task(app, client, auth, users):
    task = add_task(app, users, title="Rep's own")
    auth.login(users["manager"]["email"])
    body = client.get(f"/tasks/{task}").get_data(as_text=True)
    # the manager sees it without edit, delete or toggle controls
    assert "Rep&#39;s own" in body and 'id="edit-task"' not in body and 'id="toggle-task"' not in body
    assert client.get(f"/tasks/{task}/edit").status_code == 404
    assert client.post(f"/tasks/{task}/toggle", data={"csrf_token": auth.csrf_token("/")}).status_code == 404
    assert row(app, users, task, "status") == ("pending",)


def test_delete_asks_then_deletes_with_subtasks(app, client, rep, users):
    parent = add_task(app, users, title="Doomed")
    add_task(app, users, title="Child", parent_task_id=parent)
    confirm = client.get(f"/tasks/{parent}/delete").get_data(as_text=True)
    # the confirmation says the subtask goes too
    assert "Delete this task?" in confirm and "Deleted with it: 1 subtask." in confirm
    response = client.post(f"/tasks/{parent}/delete", data={"csrf_token": rep.csrf_token("/")})
    assert response.status_code == 302
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.tasks where title in ('Doomed', 'Child')") == [
        (0,)
    ]


def test_htmx_delete_answers_with_client_redirect(app, client, rep, users):
    task = add_task(app, users, title="Doomed")
    response = client.delete(f"/tasks/{task}", headers={"HX-Request": "true", "X-CSRFToken": rep.csrf_token("/")})
    # htmx is sent to the list and widgets hear tasksChanged
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/tasks"
    assert "tasksChanged" in response.headers["HX-Trigger"]


@pytest.mark.parametrize("payload", XSS)
def test_user_text_renders_escaped(app, client, rep, users, payload):
    parent = add_task(app, users, title=f"P {payload}", description=payload)
    child = add_task(app, users, title=f"C {payload}", parent_task_id=parent)
    for url in ("/tasks", f"/tasks/{parent}", f"/tasks/{child}", f"/tasks/{parent}/edit", f"/tasks/{child}/delete"):
        body = client.get(url).get_data(as_text=True)
        # the payload is shown as text, never as markup
        assert payload not in body and "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;" in body, url


# --- hierarchy ----------------------------------------------------------------------


def test_subtasks_go_five_levels_deep_and_the_sixth_is_refused(app, client, rep, users):
    task = add_task(app, users, title="Level 1")
    for level in range(2, 6):
        response = htmx_post(client, rep, f"/tasks/{task}/subtasks", {"title": f"Level {level}"})
        # each new subtask appears in the parent's subtask panel
        assert response.status_code == 200 and f"Added Level {level}." in response.get_data(as_text=True)
        task = fetch_as(app, users["rep"]["id"], "select id from crm.tasks where title = :t", {"t": f"Level {level}"})[
            0
        ][0]
    assert row(app, users, task, "depth") == (5,)
    refused = htmx_post(client, rep, f"/tasks/{task}/subtasks", {"title": "Level 6"})
    # the sixth level is refused next to the field, with the typed title kept
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Subtasks go at most 5 levels deep." in body and 'value="Level 6"' in body
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.tasks where title = 'Level 6'") == [(0,)]
    top = fetch_as(app, users["rep"]["id"], "select id from crm.tasks where title = 'Level 1'")[0][0]
    page = client.get(f"/tasks/{top}").get_data(as_text=True)
    # the top task's page shows the whole chain below it, indented by level
    assert TITLES.findall(page) == ["Level 2", "Level 3", "Level 4", "Level 5"] and "level-4" in page
    # without htmx, the same refusal re-renders the task page with the message
    plain = client.post(f"/tasks/{task}/subtasks", data={"csrf_token": rep.csrf_token("/"), "title": "Level 6"})
    assert plain.status_code == 200 and "Subtasks go at most 5 levels deep." in plain.get_data(as_text=True)


def test_moving_under_own_subtask_is_refused_and_deep_moves_too(app, client, rep, users):
    top = add_task(app, users, title="Top")
    child = add_task(app, users, title="Child", parent_task_id=top)
    grandchild = add_task(app, users, title="Grandchild", parent_task_id=child)
    response = client.post(
        f"/tasks/{top}/edit", data=edit_form(client, rep, top, title="Top", parent_task_id=str(grandchild))
    )
    # the form explains the refusal next to the parent select; nothing moved
    assert response.status_code == 200 and "A task cannot be moved under its own subtask." in response.get_data(
        as_text=True
    )
    assert row(app, users, top, "parent_task_id, version") == (None, 1)
    # a chain of 4 under the 3-deep Grandchild would end at level 7: refused too
    other = add_task(app, users, title="Other")
    below = other
    for n in range(3):
        below = add_task(app, users, title=f"Other {n}", parent_task_id=below)
    deep = client.post(
        f"/tasks/{other}/edit", data=edit_form(client, rep, other, title="Other", parent_task_id=str(grandchild))
    )
    assert "Subtasks go at most 5 levels deep." in deep.get_data(as_text=True)
    # a legal move works and re-depths the moved task
    moved = client.post(
        f"/tasks/{grandchild}/edit",
        data=edit_form(client, rep, grandchild, title="Grandchild", parent_task_id=str(top)),
    )
    assert moved.status_code == 302 and row(app, users, grandchild, "parent_task_id, depth") == (top, 2)


def test_a_parent_must_be_a_task_the_user_may_change(app, client, rep, users):
    theirs = add_task(app, users, who="rep2", title="Rep2's")
    data = {"csrf_token": rep.csrf_token("/"), "title": "Sneaky", "priority": "low", "task_type": "general",
            "status": "pending", "assigned_to": str(users["rep"]["id"]), "parent_task_id": str(theirs)}  # fmt: skip
    response = client.post(f"/tasks/new?parent={theirs}", data=data)
    # another rep's task cannot become the parent, even through ?parent=
    assert response.status_code == 200 and "Choose one of your tasks." in response.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.tasks where title = 'Sneaky'") == [(0,)]


def test_reorder_subtasks_up_and_down(app, client, rep, users):
    top = add_task(app, users, title="Top")
    day = today()  # once: the test's dates agree even across midnight
    ids = {name: add_task(app, users, title=name, parent_task_id=top, sequence_order=0, created_at=day + timedelta(minutes=n))
           for n, name in enumerate("ABC")}  # fmt: skip
    order = lambda: [t for t in TITLES.findall(client.get(f"/tasks/{top}").get_data(as_text=True))]  # noqa: E731
    # equal sequence numbers fall back to creation order
    assert order() == ["A", "B", "C"]
    response = htmx_post(client, rep, f"/tasks/{ids['C']}/move", {"direction": "up", "root": str(top)})
    # htmx gets the subtask panel in the new order and lists hear tasksChanged
    assert (
        TITLES.findall(response.get_data(as_text=True)) == ["A", "C", "B"]
        and "tasksChanged" in response.headers["HX-Trigger"]
    )
    client.post(f"/tasks/{ids['A']}/move", data={"csrf_token": rep.csrf_token("/"), "direction": "down"})
    assert order() == ["C", "A", "B"]
    # moving the first one up changes nothing
    client.post(f"/tasks/{ids['C']}/move", data={"csrf_token": rep.csrf_token("/"), "direction": "up"})
    assert order() == ["C", "A", "B"]
    assert fetch_as(app, users["admin"]["id"], "select title, sequence_order from crm.tasks where parent_task_id = :p order by 2",
                    {"p": top}) == [("C", 0), ("A", 1), ("B", 2)]  # fmt: skip
    assert htmx_post(client, rep, f"/tasks/{ids['A']}/move", {"direction": "sideways"}).status_code == 400


# --- toggle -------------------------------------------------------------------------


def test_toggle_completes_and_reopens_with_completed_at_from_the_database(app, client, rep, users):
    task = add_task(app, users, title="Tick me", due_date=today() - timedelta(days=1))
    response = htmx_post(client, rep, f"/tasks/{task}/toggle", {"done": "1", "layout": "mine"})
    body = response.get_data(as_text=True)
    # the row comes back done (ticked, with today's completion date, no overdue badge); counters refresh
    assert response.status_code == 200 and body.lstrip().startswith("<tr")
    assert 'class="task-row done"' in body and 'aria-pressed="true"' in body and "overdue" not in body
    assert f"completed {datetime.now(UTC).date().isoformat()}" in body
    assert response.headers["HX-Trigger"] == '{"tasksChanged": true}'
    status, completed_at = row(app, users, task, "status, completed_at")
    assert status == "completed" and completed_at is not None
    # posting "done" again (a double click) keeps it done with the same timestamp
    htmx_post(client, rep, f"/tasks/{task}/toggle", {"done": "1"})
    assert row(app, users, task, "completed_at") == (completed_at,)
    reopened = htmx_post(client, rep, f"/tasks/{task}/toggle", {"done": "0", "layout": "mine"})
    # reopened: unticked, overdue again, completed_at cleared by the database
    assert 'aria-pressed="false"' in reopened.get_data(as_text=True) and "badge-overdue" in reopened.get_data(
        as_text=True
    )
    assert row(app, users, task, "status, completed_at") == ("pending", None)


def test_counts_fragment_for_the_tasks_changed_listener(app, client, rep, users):
    add_task(app, users, title="Late", due_date=today() - timedelta(days=3))
    body = client.get("/tasks?part=counts", headers={"HX-Request": "true"}).get_data(as_text=True)
    # the heading's counter re-renders alone when tasksChanged fires
    assert 'hx-trigger="tasksChanged from:body"' in body and "1 open" in body and "1 overdue" in body
    assert "<html" not in body
