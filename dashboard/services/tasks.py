"""Tasks: the lists' filters and counters (from the task totals where they can answer), due badges,
the subtask hierarchy (at most MAX_DEPTH levels, no cycles: the database decides) and its order.

Due dates are calendar days (the same day in every zone), stored at 00:00 UTC of the day
(dashboard/timezones.py); a task is overdue from the day after its due day, in the viewer's
zone, while it is still open.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from dashboard import timezones, vocabulary
from dashboard.db import db
from dashboard.lists import Sorting, choice_arg, contains, search_text
from dashboard.models import Task, TaskTotal, User

STATUSES = list(vocabulary.TASK_STATUSES)
OPEN = vocabulary.OPEN_TASK_STATUSES
PRIORITIES = list(reversed(vocabulary.PRIORITIES))  # most urgent first
TYPES = list(vocabulary.TASK_TYPES)
DUE_FILTERS = {"overdue": "Overdue", "today": "Due today", "week": "Next 7 days", "none": "No due date"}
# ascending priority means most urgent first
PRIORITY_RANK = case({p: rank for rank, p in enumerate(PRIORITIES)}, value=Task.priority)
MAX_DEPTH = vocabulary.MAX_TASK_DEPTH
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
    """Today (in the user's zone) as a stored due day: due days before it are past."""
    return timezones.due_instant(timezones.today())


def as_due(day: date | None) -> datetime | None:
    """A due day as the time it is stored at (00:00 UTC)."""
    return timezones.due_instant(day)


def due_state(task: Task) -> str | None:
    """The badge next to an open task's due date: "overdue", "today" or None."""
    if task.due_date is None or task.status not in OPEN:
        return None
    start = today_start()
    return "overdue" if task.due_date < start else "today" if task.due_date < start + timedelta(days=1) else None


# --- choices ------------------------------------------------------------------------


def assignable_users(user_id, full_name: str, current=None) -> list[tuple[str, str]]:
    """The user themselves, then the active users they can see (row-level security shows a manager's
    team, everyone to admins) and ``current``, the assignee so far."""
    users = db.session.execute(
        select(User.id, User.full_name).where(or_(User.is_active, User.id == current)).order_by(User.full_name)
    ).all()
    return [(str(user_id), f"{full_name} (me)")] + [(str(i), name) for i, name in users if i != user_id]


def parent_choices(user_id, task: Task | None, current=None) -> list[tuple[str, str]]:
    """Options: none, the open tasks the user may change (not the task itself), and the current parent."""
    mine = or_(Task.assigned_to == user_id, Task.created_by == user_id)
    wanted = or_(mine & Task.status.in_(OPEN), Task.id == current) if current else mine & Task.status.in_(OPEN)
    statement = select(Task.id, Task.title, Task.depth).where(wanted).order_by(func.lower(Task.title), Task.id)
    if task is not None:
        statement = statement.where(Task.id != task.id)
    rows = db.session.execute(statement.limit(PARENT_CHOICES)).all()
    return [("", "— none (a top-level task)")] + [(str(i), f"{title} (level {depth})") for i, title, depth in rows]


def next_position(parent_id) -> int:
    """The sequence_order after the last sibling (without flushing a pending move early)."""
    with db.session.no_autoflush:
        last = db.session.scalar(select(func.max(Task.sequence_order)).where(Task.parent_task_id == parent_id))
    return 0 if last is None else last + 1


# --- lists --------------------------------------------------------------------------


def due_condition(key: str | None):
    start = today_start()
    return {
        "overdue": (Task.due_date < start) & Task.status.in_(OPEN),
        "today": (Task.due_date >= start) & (Task.due_date < start + timedelta(days=1)),
        "week": (Task.due_date >= start) & (Task.due_date < start + timedelta(days=7)),
        "none": Task.due_date.is_(None),
    }.get(key)


def status_filter(args, status_column) -> list:
    """The ``status`` argument (a status, or "open" for pending and in progress) as a condition on
    ``status_column`` (the tasks' or their totals'); none without one."""
    status = choice_arg("status", STATUSES + ["open"], args)
    if not status:
        return []
    return [status_column.in_(OPEN) if status == "open" else status_column == status]


def row_filters(args) -> list:
    """The search, priority and due-date conditions of ``args``: only the task rows can answer them."""
    conditions = []
    if q := search_text(args=args):
        conditions.append(contains(Task.title, q))
    if priority := choice_arg("priority", PRIORITIES, args):
        conditions.append(Task.priority == priority)
    if (condition := due_condition(choice_arg("due", DUE_FILTERS, args))) is not None:
        conditions.append(condition)
    return conditions


def filtered_tasks(args, whose):
    """The list query: the tasks ``whose(assignee column)`` admits, with the search and filters of ``args``."""
    return select(Task).where(whose(Task.assigned_to), *status_filter(args, Task.status), *row_filters(args))


def summed_tasks(whose, *conditions) -> int:
    """Tasks summed from the task totals (a row per assignee and status, kept by triggers)."""
    summed = select(func.coalesce(func.sum(TaskTotal.tasks), 0))
    return db.session.scalar(summed.where(whose(TaskTotal.assigned_to), *conditions))


def total(args, whose, statement) -> int:
    """How many tasks the list has: from the task totals when only the status filters it, else counted."""
    if row_filters(args):
        return db.session.scalar(select(func.count()).select_from(statement.subquery()))
    return summed_tasks(whose, *status_filter(args, TaskTotal.status))


def counts(whose) -> dict:
    """Open and overdue tasks (the heading's counters): open from the task totals, overdue, which the
    clock decides, counted from the assignee index."""
    overdue = select(func.count()).select_from(Task).where(whose(Task.assigned_to), due_condition("overdue"))
    return {"open": summed_tasks(whose, TaskTotal.status.in_(OPEN)), "overdue": db.session.scalar(overdue)}


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


def delete(task: Task) -> None:
    """Delete the task; its subtasks go with it (the foreign key cascades)."""
    db.session.delete(task)
    db.session.commit()


# the list's sort keys (the page's and the API's)
SORTING = Sorting(columns={"due": Task.due_date, "priority": PRIORITY_RANK, "created": Task.created_at},
                  default="due")  # fmt: skip
