"""Admin pages: users (role, team, manager, active, AI features), teams and
monthly targets. Everything here is admin-only; the database refuses the
same writes from anyone else (RLS), these pages just never show them."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, DecimalField, EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from dashboard.db import db
from dashboard.forms import SelectField, is_stale, stale_response, version_field
from dashboard.models import Target, Team, User
from dashboard.pagination import page_number, paginate
from dashboard.passwords import hash_password, password_problem
from dashboard.permissions import admin_required, get_or_404
from dashboard.users import EMAIL

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLES = [("rep", "Rep"), ("manager", "Manager"), ("admin", "Admin")]


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
    password = PasswordField("New password", validators=[Optional(), _password_rule])


class NewUserForm(UserForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Regexp(EMAIL.pattern, message="Invalid email address."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(), _password_rule])


class EditUserForm(UserForm):
    version = version_field()


def _fill_choices(form: UserForm, editing: User | None = None) -> None:
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    managers = db.session.scalars(
        select(User).where(User.role.in_(["manager", "admin"]), User.is_active).order_by(User.full_name)
    ).all()
    form.team_id.choices = [("", "— none —")] + [(str(t.id), t.name) for t in teams]
    form.manager_id.choices = [("", "— none —")] + [
        (str(m.id), m.full_name) for m in managers if editing is None or m.id != editing.id
    ]


def _apply(form: UserForm, user: User) -> None:
    """Copy only the form's declared fields (no mass assignment)."""
    user.full_name = form.full_name.data.strip()
    user.role = form.role.data
    user.team_id = uuid.UUID(form.team_id.data) if form.team_id.data else None
    user.manager_id = uuid.UUID(form.manager_id.data) if form.manager_id.data else None
    was_active = user.is_active
    user.is_active = form.is_active.data
    user.ai_features = form.ai_features.data
    if form.password.data or (was_active and not user.is_active):
        # a new password or a deactivation revokes every existing session
        user.session_version = (user.session_version or 0) + 1
    if form.password.data:
        user.password_hash = hash_password(form.password.data)


@bp.get("/users")
@admin_required
def users():
    """All users, searchable by name or email."""
    q = request.args.get("q", "").strip()[:100]
    statement = select(User).order_by(User.full_name)
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(or_(func.lower(User.full_name).like(pattern), func.lower(User.email).like(pattern)))
    page = page_number()
    rows, has_next = paginate(statement, page)
    return render_template("admin/users.html", users=rows, q=q, page=page, has_next=has_next)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user():
    """Create a user with a first password."""
    form = NewUserForm(is_active=True)
    _fill_choices(form)
    if form.validate_on_submit():
        user = User(email=form.email.data.strip().lower())
        _apply(form, user)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.email.errors.append("A user with this email already exists.")
        else:
            flash(f"Created {user.email}.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<uuid:id>/edit", methods=["GET", "POST"])
@admin_required
def update_user(id: uuid.UUID):
    """Change a user's role, team, manager, access or password."""
    user = get_or_404(User, id)
    form = EditUserForm(obj=user)
    _fill_choices(form, editing=user)
    if request.method == "GET":
        form.team_id.data = str(user.team_id or "")
        form.manager_id.data = str(user.manager_id or "")
        form.version.data = str(user.version)
    if form.validate_on_submit():
        if is_stale(user, form.version.data):
            return stale_response(user, "user", url_for("admin.update_user", id=id))
        _apply(form, user)
        db.session.commit()
        flash(f"Saved {user.email}.", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


class TeamForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = StringField("Description", validators=[Optional(), Length(max=500)])
    manager_id = SelectField("Manager", choices=[], validate_choice=True)


@bp.get("/teams")
@admin_required
def teams():
    """Teams with their manager and size."""
    members = select(func.count(User.id)).where(User.team_id == Team.id).scalar_subquery()
    rows = db.session.execute(select(Team, members).order_by(Team.name)).all()
    return render_template("admin/teams.html", teams=rows)


@bp.route("/teams/new", methods=["GET", "POST"])
@admin_required
def create_team():
    """Create a team, optionally with its manager."""
    form = TeamForm()
    managers = db.session.scalars(select(User).where(User.role == "manager", User.is_active)).all()
    form.manager_id.choices = [("", "— none —")] + [(str(m.id), m.full_name) for m in managers]
    if form.validate_on_submit():
        team = Team(name=form.name.data.strip(), description=form.description.data or None)
        team.manager_id = uuid.UUID(form.manager_id.data) if form.manager_id.data else None
        db.session.add(team)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.name.errors.append("A team with this name already exists.")
        else:
            flash(f"Created team {team.name}.", "success")
            return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form)


class TargetForm(FlaskForm):
    month = StringField("Month (YYYY-MM)", validators=[DataRequired(), Length(min=7, max=7)])
    revenue_target = DecimalField(
        "New business (revenue)", places=2, validators=[InputRequired(), NumberRange(0, 10**11)]
    )
    outbound_target = IntegerField("Outbound", validators=[InputRequired(), NumberRange(0, 1_000_000)])
    meetings_target = IntegerField("Meetings", validators=[InputRequired(), NumberRange(0, 100_000)])
    proposals_target = IntegerField("Proposals", validators=[InputRequired(), NumberRange(0, 100_000)])

    def validate_month(self, field):
        try:
            year, month = (int(part) for part in field.data.split("-"))
            self.first_day = date(year, month, 1)
        except ValueError:
            raise ValidationError("Use the form YYYY-MM, e.g. 2026-11.") from None
        if not 2000 <= year <= 2100:
            raise ValidationError("Pick a month between 2000 and 2100.")


@bp.route("/users/<uuid:id>/targets", methods=["GET", "POST"])
@admin_required
def targets(id: uuid.UUID):
    """A user's monthly targets; saving a month again replaces it."""
    user = get_or_404(User, id)
    form = TargetForm(month=date.today().strftime("%Y-%m"))
    if form.validate_on_submit():
        existing = db.session.scalar(select(Target).where(Target.user_id == id, Target.month == form.first_day))
        target = existing or Target(user_id=id, month=form.first_day)
        for name in ("revenue_target", "outbound_target", "meetings_target", "proposals_target"):
            setattr(target, name, getattr(form, name).data)
        db.session.add(target)
        db.session.commit()
        flash(f"Saved targets for {form.first_day:%B %Y}.", "success")
        return redirect(url_for("admin.targets", id=id))
    rows = db.session.scalars(select(Target).where(Target.user_id == id).order_by(Target.month.desc())).all()
    return render_template("admin/targets.html", user=user, form=form, targets=rows)


@bp.post("/users/<uuid:id>/sessions/revoke")
@admin_required
def revoke_sessions(id: uuid.UUID):
    """Log a user out everywhere."""
    get_or_404(User, id)
    db.session.execute(update(User).where(User.id == id).values(session_version=User.session_version + 1))
    db.session.commit()
    flash("All of that user's sessions were ended.", "success")
    return redirect(url_for("admin.update_user", id=id))
