"""/api/v1/tasks: my tasks (or, for managers, the team's: ``view=team``), the task form and its
hierarchy rules, as the task pages do."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from flask import request
from flask_login import current_user
from pydantic import Field

from dashboard import timezones, vocabulary
from dashboard.api import formdata
from dashboard.api.resource import Resource
from dashboard.api.schemas import Body, Day, Instant, choice, list_query, patch_of, record_of, search, text
from dashboard.db import db
from dashboard.forms.tasks import EditTaskForm, TaskForm, apply_form, prepare
from dashboard.models import Task
from dashboard.permissions import is_manager, owned_by_readable
from dashboard.services import tasks as service
from dashboard.services.saving import save


class TaskCreate(Body):
    title: text(300, required=True)
    description: text(20000) = None
    due_date: Day | None = Field(None, description="a calendar day, the same in every zone")
    priority: choice(vocabulary.PRIORITIES) = "medium"
    task_type: choice(vocabulary.TASK_TYPES) = "general"
    status: choice(vocabulary.TASK_STATUSES) = "pending"
    assigned_to: uuid.UUID = Field(None, description="yourself when left out; managers: someone of the team")
    parent_task_id: uuid.UUID | None = Field(None, description="makes it a subtask of one of your tasks")
    deal_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None


TaskRecord = record_of("Task", {
    "title": str, "description": str, "due_date": Day, "priority": choice(vocabulary.PRIORITIES),
    "task_type": choice(vocabulary.TASK_TYPES), "status": choice(vocabulary.TASK_STATUSES), "assigned_to": uuid.UUID,
    "created_by": uuid.UUID, "parent_task_id": uuid.UUID, "deal_id": uuid.UUID, "company_id": uuid.UUID,
    "contact_id": uuid.UUID, "meeting_id": uuid.UUID, "depth": Annotated[int, Field(ge=0)], "sequence_order": int,
    "auto_generated": bool, "completed_at": Instant, "created_at": Instant, "updated_at": Instant, "version": int,
    "etag": str,
})  # fmt: skip

QUERY = list_query("TaskList", service.SORTING, {
    "view": (Literal["mine", "team"], "mine"),
    "q": search("title contains"),
    "status": (Annotated[str | None, Field(pattern="^(open|" + "|".join(vocabulary.TASK_STATUSES) + ")$")], None),
    "priority": (choice(vocabulary.PRIORITIES) | None, None),
    "due": (choice(service.DUE_FILTERS) | None, None),
})  # fmt: skip


def listing():
    if request.args.get("view") == "team" and is_manager():
        whose = owned_by_readable
    else:
        whose = lambda assignee: assignee == current_user.id  # noqa: E731
    return service.filtered_tasks(request.args, whose)


def saved(form, task: Task, version=None, finish=None) -> Task:
    apply_form(form, task)
    if version is None:
        db.session.add(task)
    if not save(form, service.hierarchy_messages("parent_task_id"), task if version is not None else None, version,
                (lambda: finish(task)) if finish else None):  # fmt: skip
        formdata.refuse(form)
    return task


def create(values: dict, finish) -> Task:
    values = {"assigned_to": current_user.id, "parent_task_id": None} | values
    form = prepare(formdata.fill(TaskForm, values))
    formdata.validated(form)
    return saved(form, Task(), finish=finish)


def update(task: Task, values: dict, version: int) -> None:
    form = formdata.edited(EditTaskForm, task, values, version, lambda f: prepare(f, task))
    saved(form, task, version)


RESOURCE = Resource(
    name="tasks", what="task", model=Task, record=TaskRecord, query=QUERY, listing=listing, sorting=service.SORTING,
    create_model=TaskCreate, patch_model=patch_of(TaskCreate), create=create, update=update, delete=service.delete,
    getters={"due_date": lambda task: timezones.due_day(task.due_date)},
)  # fmt: skip
