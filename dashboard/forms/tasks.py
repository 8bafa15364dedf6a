"""The task form (with its parent select: the subtask hierarchy) and the quick subtask form."""

from __future__ import annotations

import uuid

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from dashboard.db import db
from dashboard.forms.common import SelectField, no_nul, prepare_records, record_field, text_field, version_field
from dashboard.forms.time_fields import DueDayField
from dashboard.models import Company, Contact, Deal, Task
from dashboard.permissions import may_write
from dashboard.services import tasks as rules


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
    due_date = DueDayField("Due date", validators=[Optional()])
    priority = SelectField("Priority", choices=[(p, p) for p in rules.PRIORITIES], default="medium")
    task_type = SelectField("Type", choices=[(t, t.replace("_", " ")) for t in rules.TYPES], default="general")
    status = SelectField("Status", choices=[(s, s.replace("_", " ")) for s in rules.STATUSES], default="pending")
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
    return rules.assignable_users(current_user.id, current_user.full_name, current)


def prepare(form: TaskForm, task: Task | None = None, parent_id=None) -> TaskForm:
    """Fill the selects: assignees, possible parents, the user's own deals, companies, contacts."""
    prepare_records(form, current_user.id, task)
    form.initial["parent_task_id"] = task.parent_task_id if task else None  # a new task's parent is always checked
    current_parent = task.parent_task_id if task else parent_id
    form.assigned_to.choices = assignable_users(task.assigned_to if task else None)
    form.parent_task_id.choices = rules.parent_choices(current_user.id, task, current_parent)
    if not form.is_submitted():
        form.assigned_to.data = str(task.assigned_to if task else current_user.id)
        form.parent_task_id.data = str(current_parent) if current_parent else ""
    return form


def apply_form(form: TaskForm, task: Task) -> None:
    """Copy only the declared fields; a new parent puts the task at the end of its new siblings."""
    for name in FIELDS:
        value = form[name].data
        setattr(task, name, value if value != "" else None)
    task.due_date = rules.as_due(form.due_date.data)
    task.assigned_to = uuid.UUID(form.assigned_to.data)
    if form.parent_task_id.data != task.parent_task_id:
        task.parent_task_id = form.parent_task_id.data
        task.sequence_order = rules.next_position(task.parent_task_id) if task.parent_task_id else 0
