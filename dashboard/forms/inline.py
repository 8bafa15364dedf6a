"""The forms of the inline edits: one field each, with the same validators as the full forms (the fields
are the deal and task forms' own) and the hidden ``version`` for optimistic locking."""

from __future__ import annotations

from flask_wtf import FlaskForm

from dashboard.forms.common import SelectField, version_field
from dashboard.forms.deals import DealForm, MoveForm
from dashboard.forms.tasks import TaskForm


class DealCloseForm(FlaskForm):
    expected_close_date = DealForm.expected_close_date
    version = version_field()


class DealValueForm(FlaskForm):
    value = DealForm.value
    version = version_field()


class DealForecastForm(FlaskForm):
    forecast_category = DealForm.forecast_category
    version = version_field()


class DealStageForm(MoveForm):
    """The board's move form: the stage, and the reason when it is a lost one."""


class DealOwnerForm(FlaskForm):
    owner_id = SelectField("Owner", choices=[])
    version = version_field()


class TaskDueForm(FlaskForm):
    due_date = TaskForm.due_date
    version = version_field()


class TaskStatusForm(FlaskForm):
    status = TaskForm.status
    version = version_field()
