"""Tasks: "my tasks" and (managers) "team tasks" lists with filters and sort;
a task page with its subtask hierarchy (add, reorder, move, at most 5 levels,
no cycles: the database decides); create, edit (optimistic concurrency),
delete, and a quick complete/reopen toggle."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from dashboard import csv_export, htmx, inline_edit
from dashboard.db import db
from dashboard.forms.tasks import EditTaskForm, SubtaskForm, TaskForm, apply_form, assignable_users, prepare
from dashboard.lists import choice_arg, list_args, opens_with_default, search_text, uuid_arg
from dashboard.models import Task
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, is_manager, owned_by_readable, writable_or_404
from dashboard.responses import Deletion, answers_stale, back_to
from dashboard.services import exports
from dashboard.services import tasks as service
from dashboard.services.saving import save

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

SORTING = service.SORTING
LIST_ARGS = ("view", "q", "status", "priority", "due", "sort", "dir")


def list_view() -> str:
    """The list's view: "team" for managers and admins who ask for it, else "mine"."""
    return "team" if request.args.get("view") == "team" and is_manager() else "mine"


def in_view(view: str):
    """Whose tasks the view lists, as a condition on an assignee column (the tasks' or their totals').

    Mine: assigned to me. Team: assigned to anyone whose tasks the user reads (a manager's team, the
    manager included; everyone for admins), the read policy's owners repeated so the planner uses the
    assignee index. A task the manager created for someone who has since left the team opens from its
    page but is not counted in the list: counting "assigned to the team, or created by me" read every
    row of both from the heap (a manager's 61,000 tasks at the large scale)."""
    if view == "mine":
        return lambda assignee: assignee == current_user.id
    return owned_by_readable


DELETION = Deletion("task", "tasks.show", "tasks.index", "tasksChanged")


@bp.get("")
@login_required
@opens_with_default("tasks")
def index():
    """My tasks (or the team's), filterable and sortable; rows only for htmx, counters on tasksChanged."""
    view = list_view()
    whose = in_view(view)
    if request.args.get("part") == "counts":
        return render_template("tasks/_counts.html", view=view, counts=service.counts(whose))
    statement = service.filtered_tasks(request.args, whose)
    if csv_export.requested():
        return csv_export.download(exports.tasks(), SORTING.apply(statement, Task.id)[0])
    count = service.total(request.args, whose, statement)
    statement, sort, direction = SORTING.apply(statement, Task.id)
    page = page_number()
    tasks, has_next = paginate(statement.options(selectinload(Task.assignee), selectinload(Task.parent)), page)
    context = dict(tasks=tasks, total=count, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), view=view, layout=view, counts=service.counts(whose),
                   statuses=service.STATUSES, priorities=service.PRIORITIES,
                   due_filters=service.DUE_FILTERS)  # fmt: skip
    return htmx.render("tasks/index.html", "tasks/_rows.html", **context)


# --- the hierarchy ------------------------------------------------------------------


def subtasks_context(root: Task, form: SubtaskForm | None = None) -> dict:
    return {"root": root, "tree": service.subtree(root), "subtask_form": form or SubtaskForm(formdata=None)}


def tree_root(task: Task) -> Task:
    """The task whose page the request came from (posted ``root``), else the task's parent."""
    root_id = uuid_arg("root", request.form)
    root = db.session.get(Task, root_id) if root_id else None
    return root or task.parent or task


def subtasks_response(root: Task, message: str | None = None, form: SubtaskForm | None = None):
    """htmx gets the subtask panel again; other requests go back to the root task's page."""
    failed = form is not None and bool(form.errors)
    if htmx.wants_fragment():
        body = render_template("tasks/_subtasks.html", note=message, **subtasks_context(root, form))
        return body if failed else htmx.trigger(make_response(body), "tasksChanged")
    if failed:
        return render_template("tasks/show.html", task=root, trail=service.ancestors(root),
                               **subtasks_context(root, form))  # fmt: skip
    if message:
        flash(message, "success")
    return redirect(url_for("tasks.show", id=root.id))


# --- create, show, edit, delete ---------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a task (``?parent=<id>`` starts it as a subtask; ``?deal=``, ``?company=``, ``?contact=`` preselect
    links; ``?next=`` is where to go after saving); created_by is the current user."""
    form = prepare(TaskForm(company_id=request.args.get("company"), contact_id=request.args.get("contact"),
                            deal_id=request.args.get("deal")), parent_id=uuid_arg("parent"))  # fmt: skip
    if form.validate_on_submit():
        task = Task()
        apply_form(form, task)
        db.session.add(task)
        if save(form, service.hierarchy_messages("parent_task_id")):
            flash(f"Created {task.title}.", "success")
            return redirect(back_to(url_for("tasks.show", id=task.id)))
    return render_template("tasks/form.html", form=form, task=None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A task with its parents and its subtasks (ordered by sequence_order)."""
    task = get_or_404(Task, id)
    return render_template("tasks/show.html", task=task, trail=service.ancestors(task), **subtasks_context(task))


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
@answers_stale("task", "tasks.update")
def update(id: uuid.UUID):
    """Edit a task or move it under another parent; a stale save is refused with 409."""
    task = writable_or_404(get_or_404(Task, id))
    form = prepare(EditTaskForm(obj=task), task)
    if form.validate_on_submit():
        apply_form(form, task)
        if save(form, service.hierarchy_messages("parent_task_id"), task, form.version.data):
            flash(f"Saved {task.title}.", "success")
            return redirect(url_for("tasks.show", id=id))
    return render_template("tasks/form.html", form=form, task=task)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET: what the database would delete and unlink, its subtasks included), then
    delete; refused (409) when a subtask or action item belongs to someone the user cannot edit for."""
    task = writable_or_404(get_or_404(Task, id))
    title, parent_id = task.title, task.parent_task_id
    back = url_for("tasks.show", id=parent_id) if parent_id else url_for("tasks.index")
    return DELETION.answer(task, title, lambda: service.delete(task), back)


# --- quick actions ------------------------------------------------------------------


@bp.route("/<uuid:id>/inline", methods=["GET", "POST"])
@login_required
def inline(id: uuid.UUID):
    """Edit one field in place: ``field=due|status`` (dashboard/inline_edit.py)."""
    return inline_edit.answer(get_or_404(Task, id))


@bp.post("/<uuid:id>/toggle")
@login_required
def toggle(id: uuid.UUID):
    """Complete (``done=1``) or reopen (``done=0``) a task; htmx gets its updated row."""
    task = writable_or_404(get_or_404(Task, id))
    complete = request.form.get("done", "0" if task.status == "completed" else "1") == "1"
    if complete != (task.status == "completed"):
        task.status = "completed" if complete else "pending"  # completed_at follows in the database
    db.session.commit()
    layout = choice_arg("layout", ("mine", "team", "tree"), request.form) or "mine"
    if htmx.wants_fragment():
        root = tree_root(task) if layout == "tree" else None
        level = task.depth - root.depth if root else 0
        body = render_template("tasks/_row.html", task=task, layout=layout, root=root, level=level)
        return htmx.trigger(make_response(body), "tasksChanged")
    flash(f"{'Completed' if complete else 'Reopened'} {task.title}.", "success")
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
    moved = service.swap_with_neighbour(task, step)
    db.session.commit()
    return subtasks_response(root, f"Moved {task.title} {'up' if step < 0 else 'down'}." if moved else None)


@bp.post("/<uuid:id>/subtasks")
@login_required
def add_subtask(id: uuid.UUID):
    """Add a subtask at the end; the database refuses a sixth level."""
    parent = writable_or_404(get_or_404(Task, id))
    form = SubtaskForm()
    if form.validate_on_submit():
        assignable = {uuid.UUID(user_id) for user_id, _ in assignable_users()}
        assignee = parent.assigned_to if parent.assigned_to in assignable else current_user.id
        db.session.add(Task(title=form.title.data, parent_task_id=parent.id, assigned_to=assignee,
                            sequence_order=service.next_position(parent.id), deal_id=parent.deal_id,
                            company_id=parent.company_id, contact_id=parent.contact_id))  # fmt: skip
        if save(form, service.hierarchy_messages("title")):
            return subtasks_response(parent, f"Added {form.title.data}.")
    return subtasks_response(parent, form=form)
