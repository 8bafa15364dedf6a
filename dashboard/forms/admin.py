"""The admin pages' forms: users, teams and monthly targets."""

from __future__ import annotations

import re
import uuid
from datetime import date

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import MonthInput

from dashboard import vocabulary
from dashboard.db import db
from dashboard.forms.common import DecimalField, SelectField, version_field
from dashboard.forms.time_fields import TimeZoneField
from dashboard.models import Team, User
from dashboard.passwords import password_problem
from dashboard.users import EMAIL

MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
FIRST_TARGET_YEAR, LAST_TARGET_YEAR = 2000, 2100
ROLES = [(role, role.title()) for role in vocabulary.USER_ROLES]


def _password_rule(form, field):
    if field.data:
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class UserForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=ROLES)
    team_id = SelectField("Team", choices=[], validate_choice=True)
    manager_id = SelectField("Manager", choices=[], validate_choice=True)
    is_active = BooleanField("Active (may log in)")
    ai_features = BooleanField("AI features (scores, win probability, insights)")
    time_zone = TimeZoneField("Time zone", allow_blank=True)
    password = PasswordField("New password", validators=[Optional(), _password_rule])


class NewUserForm(UserForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Regexp(EMAIL.pattern, message="Invalid email address."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(), _password_rule])


class EditUserForm(UserForm):
    version = version_field()


def fill_choices(form: UserForm, editing: User | None = None) -> None:
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    managers = db.session.scalars(
        select(User).where(User.role.in_(["manager", "admin"]), User.is_active).order_by(User.full_name)
    ).all()
    form.team_id.choices = [("", "— none —")] + [(str(t.id), t.name) for t in teams]
    form.manager_id.choices = [("", "— none —")] + [
        (str(m.id), m.full_name) for m in managers if editing is None or m.id != editing.id
    ]


def apply_form(form: UserForm, user: User) -> None:
    """Copy only the form's declared fields (no mass assignment)."""
    user.full_name = form.full_name.data.strip()
    user.role = form.role.data
    user.team_id = uuid.UUID(form.team_id.data) if form.team_id.data else None
    user.manager_id = uuid.UUID(form.manager_id.data) if form.manager_id.data else None
    user.is_active = form.is_active.data  # deactivation ends every session (a trigger)
    user.ai_features = form.ai_features.data
    user.time_zone = form.time_zone.data  # checked by the form and by the database (check_time_zone)


class TeamForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = StringField("Description", validators=[Optional(), Length(max=500)])
    manager_id = SelectField("Manager", choices=[], validate_choice=True)


class TargetForm(FlaskForm):
    # a month picker (<input type=month>); browsers without one send what was typed, checked below
    month = StringField(
        "Month",
        widget=MonthInput(),
        validators=[DataRequired("Pick a month.")],
        render_kw={"min": f"{FIRST_TARGET_YEAR}-01", "max": f"{LAST_TARGET_YEAR}-12"},
    )
    revenue_target = DecimalField(
        "New business (revenue)", places=2, validators=[InputRequired(), NumberRange(0, 10**11)]
    )
    outbound_target = IntegerField("Outbound", validators=[InputRequired(), NumberRange(0, 1_000_000)])
    meetings_target = IntegerField("Meetings", validators=[InputRequired(), NumberRange(0, 100_000)])
    proposals_target = IntegerField("Proposals", validators=[InputRequired(), NumberRange(0, 100_000)])

    def validate_month(self, field):
        text = field.data.strip()
        try:
            if not MONTH.fullmatch(text):
                raise ValueError
            year, month = (int(part) for part in text.split("-"))
            self.first_day = date(year, month, 1)
        except ValueError:
            shown = text[:20]
            raise ValidationError(f"“{shown}” is not a month: pick one or type YYYY-MM (e.g. 2026-11).") from None
        if not FIRST_TARGET_YEAR <= year <= LAST_TARGET_YEAR:
            raise ValidationError(f"Pick a month between {FIRST_TARGET_YEAR} and {LAST_TARGET_YEAR}.")
