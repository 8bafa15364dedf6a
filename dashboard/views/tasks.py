"""Tasks: "my tasks" and (managers) "team tasks" lists with filters and sort;
a task page with its subtask hierarchy (add, reorder, move, at most 5 levels,
no cycles: the database decides); create, edit (optimistic concurrency),
delete, and a quick complete/reopen toggle.

Due dates are days in UTC, stored at 00:00 UTC; a task is overdue from the
day after its due day while it is still open.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload
from wtforms import DateField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from dashboard import htmx
from dashboard.db import db
from dashboard.forms import (
    SelectField,
    commit_or_field_error,
    is_stale,
    no_nul,
    stale_response,
    text_field,
    version_field,
)
from dashboard.lists import Sorting, choice_arg, contains, list_args, search_text
from dashboard.models import Company, Contact, Deal, Task, TaskTotal, User
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, is_admin, is_manager, owned_by_readable
from dashboard.views.meetings import has_endpoint, prepare_records, record_field, when

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

STATUSES = ["pending", "in_progress", "completed", "cancelled"]
OPEN = ("pending", "in_progress")
PRIORITIES = ["urgent", "high", "medium", "low"]
TYPES = ["general", "call", "email", "meeting", "follow_up", "proposal", "demo"]
DUE_FILTERS = {"overdue": "Overdue", "today": "Due today", "week": "Next 7 days", "none": "No due date"}
# ascending priority means most urgent first
PRIORITY_RANK = case({p: rank for rank, p in enumerate(PRIORITIES)}, value=Task.priority)
SORTING = Sorting(columns={"due": Task.due_date, "priority": PRIORITY_RANK, "created": Task.created_at}, default="due")
LIST_ARGS = ("view", "q", "status", "priority", "due", "sort", "dir")
MAX_DEPTH = 5
PARENT_CHOICES = 300


def hierarchy_messages(field: str) -> dict[str, tuple[str, str]]:
    """The database's refusals of a task hierarchy, as errors on ``field``."""
    return {
        "check_tasks_depth_range": (field, "Subtasks go at most 5 levels deep."),
        "check_tasks_no_cycle": (field, "A task cannot be moved under its own subtask."),
        "check_tasks_not_own_parent": (field, "A task cannot be moved under its own subtask."),
        "check_tasks_title_not_blank": ("title", "Enter the task's title."),
    }


def today_start() -> datetime:
    return datetime.combine(datetime.now(UTC).date(), time(), UTC)


def due_state(task: Task) -> str | None:
    """The badge next to an open task's due date: "overdue", "today" or None."""
    if task.due_date is None or task.status not in OPEN:
        return None
    start = today_start()
    return "overdue" if task.due_date < start else "today" if task.due_date < start + timedelta(days=1) else None


def may_write(task: Task) -> bool:
    """The assignee, the creator and admins change a task (as row-level security allows)."""
    return current_user.id in (task.assigned_to, task.created_by) or is_admin()


def writable_or_404(task: Task) -> Task:
    """Writes by anyone else get the same 404 as a missing id."""
    if not may_write(task):
        abort(404)
    return task


@bp.context_processor
def template_helpers() -> dict:
    """Helpers for the task templates: UTC days, due badges, who may change a row."""
    return {"when": when, "has_endpoint": has_endpoint, "due_state": due_state, "may_write": may_write}


# --- forms ------------------------------------------------------------------------


class DueDateField(DateField):
    """A day for a timestamptz column: shown as the day in UTC, stored at 00:00 UTC."""

    def process_data(self, value):
        self.data = value.astimezone(UTC).date() if isinstance(value, datetime) else value


def as_due(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), UTC) if day else None


class ParentTask:
    """A parent the user may change (or the current one); the database checks depth and cycles."""

    def __call__(self, form, field):
        if not field.data:
            field.data = None
            return
        try:
            parent_id = uuid.UUID(str(field.data))
        except ValueError:
            raise ValidationError("Choose one of your tasks.") from None
        if parent_id != form.initial.get("parent_task_id"):
            parent = db.session.get(Task, parent_id)
            if parent is None or not may_write(parent):
                raise ValidationError("Choose one of your tasks.")
        field.data = parent_id


class TaskForm(FlaskForm):
    title = text_field("Title", 300, required=True)
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000), no_nul])
    due_date = DueDateField("Due date", validators=[Optional()])
    priority = SelectField("Priority", choices=[(p, p) for p in PRIORITIES], default="medium")
    task_type = SelectField("Type", choices=[(t, t.replace("_", " ")) for t in TYPES], default="general")
    status = SelectField("Status", choices=[(s, s.replace("_", " ")) for s in STATUSES], default="pending")
    assigned_to = SelectField("Assignee", choices=[])
    parent_task_id = SelectField("Subtask of", choices=[], validate_choice=False, validators=[ParentTask()])
    deal_id = record_field("Deal", Deal)
    company_id = record_field("Company", Company)
    contact_id = record_field("Contact", Contact)


class EditTaskForm(TaskForm):
    version = version_field()


class SubtaskForm(FlaskForm):
    title = text_field("New subtask", 300, required=True)


FIELDS = ("title", "description", "priority", "task_type", "status", "deal_id", "company_id", "contact_id")


def assignable_users(current=None) -> list[tuple[str, str]]:
    """Yourself, and for managers the team (row-level security shows exactly those; admins see everyone)."""
    users = db.session.execute(
        select(User.id, User.full_name).where(or_(User.is_active, User.id == current)).order_by(User.full_name)
    ).all()
    mine = [(str(current_user.id), f"{current_user.full_name} (me)")]
    return mine + [(str(i), name) for i, name in users if i != current_user.id]


def parent_choices(task: Task | None, current=None) -> list[tuple[str, str]]:
    """Options: none, the open tasks the user may change (not the task itself), and the current parent."""
    mine = or_(Task.assigned_to == current_user.id, Task.created_by == current_user.id)
    wanted = or_(mine & Task.status.in_(OPEN), Task.id == current) if current else mine & Task.status.in_(OPEN)
    statement = select(Task.id, Task.title, Task.depth).where(wanted).order_by(func.lower(Task.title), Task.id)
    if task is not None:
        statement = statement.where(Task.id != task.id)
    rows = db.session.execute(statement.limit(PARENT_CHOICES)).all()
    return [("", "— none (a top-level task)")] + [(str(i), f"{title} (level {depth})") for i, title, depth in rows]


def prepare(form: TaskForm, task: Task | None = None, parent_id=None) -> TaskForm:
    """Fill the selects: assignees, possible parents, the user's own deals, companies, contacts."""
    prepare_records(form, current_user.id, task)
    form.initial["parent_task_id"] = task.parent_task_id if task else None  # a new task's parent is always checked
    current_parent = task.parent_task_id if task else parent_id
    form.assigned_to.choices = assignable_users(task.assigned_to if task else None)
    form.parent_task_id.choices = parent_choices(task, current_parent)
    if not form.is_submitted():
        form.assigned_to.data = str(task.assigned_to if task else current_user.id)
        form.parent_task_id.data = str(current_parent) if current_parent else ""
    return form


def next_position(parent_id) -> int:
    """The sequence_order after the last sibling (without flushing a pending move early)."""
    with db.session.no_autoflush:
        last = db.session.scalar(select(func.max(Task.sequence_order)).where(Task.parent_task_id == parent_id))
    return 0 if last is None else last + 1


def apply_form(form: TaskForm, task: Task) -> None:
    """Copy only the declared fields; a new parent puts the task at the end of its new siblings."""
    for name in FIELDS:
        value = form[name].data
        setattr(task, name, value if value != "" else None)
    task.due_date = as_due(form.due_date.data)
    task.assigned_to = uuid.UUID(form.assigned_to.data)
    if form.parent_task_id.data != task.parent_task_id:
        task.parent_task_id = form.parent_task_id.data
        task.sequence_order = next_position(task.parent_task_id) if task.parent_task_id else 0


def save(form: FlaskForm, field: str) -> bool:
    """Commit; the hierarchy checks (too deep, a cycle) become an error on ``field`` (False)."""
    return commit_or_field_error(form, hierarchy_messages(field))


# --- list -----------------------------------------------------------------------


def due_condition(key: str | None):
    start = today_start()
    return {
        "overdue": (Task.due_date < start) & Task.status.in_(OPEN),
        "today": (Task.due_date >= start) & (Task.due_date < start + timedelta(days=1)),
        "week": (Task.due_date >= start) & (Task.due_date < start + timedelta(days=7)),
        "none": Task.due_date.is_(None),
    }.get(key)


def list_view() -> str:
    """The list's view: "team" for managers and admins who ask for it, else "mine"."""
    return "team" if request.args.get("view") == "team" and is_manager() else "mine"


def in_view(view: str, assignee=Task.assigned_to):
    """Mine: assigned to me. Team: assigned to anyone whose tasks the user reads (a manager's team, the
    manager included; everyone for admins), the read policy's owners repeated so the planner uses the
    assignee index. A task the manager created for someone who has since left the team opens from its
    page but is not counted in the list: counting "assigned to the team, or created by me" read every
    row of both from the heap (a manager's 61,000 tasks at the large scale). ``assignee`` is the column
    to test: the tasks' or their totals' (TaskTotal.assigned_to)."""
    if view == "mine":
        return assignee == current_user.id
    return owned_by_readable(assignee)


def status_filter(status_column) -> list:
    """The ``status`` argument (a status, or "open" for pending and in progress) as a condition on
    ``status_column`` (the tasks' or their totals'); none without one."""
    status = choice_arg("status", STATUSES + ["open"])
    if not status:
        return []
    return [status_column.in_(OPEN) if status == "open" else status_column == status]


def row_filters() -> list:
    """The request's search, priority and due-date conditions: only the task rows can answer them."""
    conditions = []
    if q := search_text():
        conditions.append(contains(Task.title, q))
    if priority := choice_arg("priority", PRIORITIES):
        conditions.append(Task.priority == priority)
    if (condition := due_condition(choice_arg("due", DUE_FILTERS))) is not None:
        conditions.append(condition)
    return conditions


def filtered_tasks(view: str):
    """The list query for the view with the request's search and filters applied."""
    return select(Task).where(in_view(view), *status_filter(Task.status), *row_filters())


def summed_tasks(view: str, *conditions) -> int:
    """The view's tasks summed from the task totals (a row per assignee and status, kept by triggers)."""
    summed = select(func.coalesce(func.sum(TaskTotal.tasks), 0))
    return db.session.scalar(summed.where(in_view(view, TaskTotal.assigned_to), *conditions))


def total(view: str, statement) -> int:
    """How many tasks the list has: from the task totals when only the status filters it, else counted."""
    if row_filters():
        return db.session.scalar(select(func.count()).select_from(statement.subquery()))
    return summed_tasks(view, *status_filter(TaskTotal.status))


def counts(view: str) -> dict:
    """Open and overdue tasks in the view (the heading's counters): open from the task totals, overdue,
    which the clock decides, counted from the assignee index."""
    overdue = select(func.count()).select_from(Task).where(in_view(view), due_condition("overdue"))
    return {"open": summed_tasks(view, TaskTotal.status.in_(OPEN)), "overdue": db.session.scalar(overdue)}


@bp.get("")
@login_required
def index():
    """My tasks (or the team's), filterable and sortable; rows only for htmx, counters on tasksChanged."""
    view = list_view()
    if request.args.get("part") == "counts":
        return render_template("tasks/_counts.html", view=view, counts=counts(view))
    statement = filtered_tasks(view)
    count = total(view, statement)
    statement, sort, direction = SORTING.apply(statement, Task.id)
    page = page_number()
    tasks, has_next = paginate(statement.options(selectinload(Task.assignee), selectinload(Task.parent)), page)
    context = dict(tasks=tasks, total=count, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), view=view, layout=view, counts=counts(view),
                   statuses=STATUSES, priorities=PRIORITIES, due_filters=DUE_FILTERS)  # fmt: skip
    return htmx.render("tasks/index.html", "tasks/_rows.html", **context)


# --- the hierarchy ------------------------------------------------------------------


def ancestors(task: Task) -> list[Task]:
    """The readable parents from the top level down to the task's parent."""
    chain, parent = [], task.parent
    while parent is not None and len(chain) < MAX_DEPTH:
        chain.insert(0, parent)
        parent = parent.parent
    return chain


def subtree(root: Task) -> list[tuple[Task, int]]:
    """The readable tasks below ``root`` in display order, each with its level below it (1 = child)."""
    children, frontier = defaultdict(list), [root.id]
    for _ in range(MAX_DEPTH):
        found = db.session.scalars(
            select(Task).where(Task.parent_task_id.in_(frontier))
            .options(selectinload(Task.assignee))
            .order_by(Task.sequence_order, Task.created_at, Task.id)
        ).all()  # fmt: skip
        for task in found:
            children[task.parent_task_id].append(task)
        if not (frontier := [task.id for task in found]):
            break

    def walk(parent_id, level):
        for child in children[parent_id]:
            yield child, level
            yield from walk(child.id, level + 1)

    return list(walk(root.id, 1))


def subtasks_context(root: Task, form: SubtaskForm | None = None) -> dict:
    return {"root": root, "tree": subtree(root), "subtask_form": form or SubtaskForm(formdata=None)}


def tree_root(task: Task) -> Task:
    """The task whose page the request came from (posted ``root``), else the task's parent."""
    try:
        root = db.session.get(Task, uuid.UUID(request.form.get("root", "")))
    except ValueError:
        root = None
    return root or task.parent or task


def subtasks_response(root: Task, message: str | None = None, form: SubtaskForm | None = None):
    """htmx gets the subtask panel again; other requests go back to the root task's page."""
    failed = form is not None and bool(form.errors)
    if htmx.wants_fragment():
        body = render_template("tasks/_subtasks.html", note=message, **subtasks_context(root, form))
        return body if failed else htmx.trigger(make_response(body), "tasksChanged")
    if failed:
        return render_template("tasks/show.html", task=root, trail=ancestors(root), **subtasks_context(root, form))
    if message:
        flash(message, "success")
    return redirect(url_for("tasks.show", id=root.id))


def swap_with_neighbour(task: Task, step: int) -> bool:
    """Number the siblings 0..n-1 in their order, with the task and its neighbour swapped.

    The siblings the user may change are locked (FOR UPDATE), so two moves at
    once cannot interleave. False when there is no neighbour that way.
    """
    siblings = list(db.session.scalars(
        select(Task).where(Task.parent_task_id == task.parent_task_id)
        .order_by(Task.sequence_order, Task.created_at, Task.id).with_for_update()
    ))  # fmt: skip
    index = siblings.index(task)
    if not 0 <= index + step < len(siblings):
        return False
    siblings[index], siblings[index + step] = siblings[index + step], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.sequence_order != position:
            sibling.sequence_order = position
    return True


# --- create, show, edit, delete ---------------------------------------------------


def parent_arg():
    try:
        return uuid.UUID(request.args.get("parent", ""))
    except ValueError:
        return None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a task (``?parent=<id>`` starts it as a subtask); created_by is the current user."""
    form = prepare(TaskForm(), parent_id=parent_arg())
    if form.validate_on_submit():
        task = Task()
        apply_form(form, task)
        db.session.add(task)
        if save(form, "parent_task_id"):
            flash(f"Created {task.title}.", "success")
            return redirect(url_for("tasks.show", id=task.id))
    return render_template("tasks/form.html", form=form, task=None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A task with its parents and its subtasks (ordered by sequence_order)."""
    task = get_or_404(Task, id)
    return render_template("tasks/show.html", task=task, trail=ancestors(task), **subtasks_context(task))


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
def update(id: uuid.UUID):
    """Edit a task or move it under another parent; a stale save is refused with 409."""
    task = writable_or_404(get_or_404(Task, id))
    form = prepare(EditTaskForm(obj=task), task)
    if form.validate_on_submit():
        if is_stale(task, form.version.data):
            return stale_response(task, "task", url_for("tasks.update", id=id))
        apply_form(form, task)
        if save(form, "parent_task_id"):
            flash(f"Saved {task.title}.", "success")
            return redirect(url_for("tasks.show", id=id))
    return render_template("tasks/form.html", form=form, task=task)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET), then delete the task and its subtasks."""
    task = writable_or_404(get_or_404(Task, id))
    title, parent_id = task.title, task.parent_task_id
    if request.method == "GET":
        below = len(subtree(task))
        consequence = f"Its {below} subtask{'s' if below != 1 else ''} go with it." if below else ""
        return render_template("confirm_delete.html", what="task", name=title, consequence=consequence,
                               cancel_url=url_for("tasks.show", id=id))  # fmt: skip
    db.session.delete(task)
    db.session.commit()
    flash(f"Deleted {title}.", "success")
    back = url_for("tasks.show", id=parent_id) if parent_id else url_for("tasks.index")
    return htmx.redirect_to(back, "tasksChanged") if htmx.wants_fragment() else redirect(back)


# --- quick actions ------------------------------------------------------------------


def form_choice(name: str, allowed) -> str | None:
    value = request.form.get(name)
    return value if value in allowed else None


@bp.post("/<uuid:id>/toggle")
@login_required
def toggle(id: uuid.UUID):
    """Complete (``done=1``) or reopen (``done=0``) a task; htmx gets its updated row."""
    task = writable_or_404(get_or_404(Task, id))
    done = request.form.get("done", "0" if task.status == "completed" else "1") == "1"
    if done != (task.status == "completed"):
        task.status = "completed" if done else "pending"  # completed_at follows in the database
    db.session.commit()
    layout = form_choice("layout", ("mine", "team", "tree")) or "mine"
    if htmx.wants_fragment():
        root = tree_root(task) if layout == "tree" else None
        level = task.depth - root.depth if root else 0
        body = render_template("tasks/_row.html", task=task, layout=layout, root=root, level=level)
        return htmx.trigger(make_response(body), "tasksChanged")
    flash(f"{'Completed' if done else 'Reopened'} {task.title}.", "success")
    return redirect(url_for("tasks.show", id=tree_root(task).id if layout == "tree" else id))


@bp.post("/<uuid:id>/move")
@login_required
def move(id: uuid.UUID):
    """Move a subtask up or down among its siblings (one transaction)."""
    task = writable_or_404(get_or_404(Task, id))
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    root = tree_root(task)
    if task.parent_task_id is None:
        return subtasks_response(root, "Top-level tasks follow their due dates; only subtasks can be reordered.")
    moved = swap_with_neighbour(task, step)
    db.session.commit()
    return subtasks_response(root, f"Moved {task.title} {'up' if step < 0 else 'down'}." if moved else None)


@bp.post("/<uuid:id>/subtasks")
@login_required
def add_subtask(id: uuid.UUID):
    """Add a subtask at the end; the database refuses a sixth level."""
    parent = writable_or_404(get_or_404(Task, id))
    form = SubtaskForm()
    if form.validate_on_submit():
        assignee = parent.assigned_to if parent.assigned_to in assignable_ids() else current_user.id
        db.session.add(Task(title=form.title.data, parent_task_id=parent.id, assigned_to=assignee,
                            sequence_order=next_position(parent.id), deal_id=parent.deal_id,
                            company_id=parent.company_id, contact_id=parent.contact_id))  # fmt: skip
        if save(form, "title"):
            return subtasks_response(parent, f"Added {form.title.data}.")
    return subtasks_response(parent, form=form)


def assignable_ids() -> set:
    return {uuid.UUID(user_id) for user_id, _ in assignable_users()}
