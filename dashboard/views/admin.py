"""Admin pages: users (role, team, manager, active, AI features), teams and
monthly targets. Everything here is admin-only; the database refuses the
same writes from anyone else (RLS), these pages just never show them."""

from __future__ import annotations

import uuid
from functools import partial

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from dashboard import csv_export, htmx, timezones
from dashboard.db import db
from dashboard.forms.admin import EditUserForm, NewUserForm, TargetForm, TeamForm, apply_form, fill_choices
from dashboard.models import Target, Team, User
from dashboard.pagination import page_number, paginate
from dashboard.permissions import admin_required, get_or_404
from dashboard.responses import answers_stale
from dashboard.services import accounts, exports
from dashboard.services.saving import save

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@admin_required
def users():
    """All users, searchable by name or email."""
    q = request.args.get("q", "").strip()[:100]
    statement = select(User).order_by(User.full_name)
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(or_(func.lower(User.full_name).like(pattern), func.lower(User.email).like(pattern)))
    if csv_export.requested():
        return csv_export.download(exports.users(), statement.order_by(User.id))
    page = page_number()
    rows, has_next = paginate(statement, page)
    # the search box filters as one types (htmx, debounced): the results alone for htmx
    return htmx.render("admin/users.html", "admin/_users.html", users=rows, q=q, page=page, has_next=has_next)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user():
    """Create a user with a first password."""
    form = NewUserForm(is_active=True)
    fill_choices(form)
    if form.validate_on_submit():
        user = User(email=form.email.data.strip().lower())
        apply_form(form, user)
        db.session.add(user)
        messages = {"unique_users_lower_email": ("email", "A user with this email already exists.")}
        if save(form, messages, before_commit=lambda: accounts.set_password(user.id, form.password.data)):
            flash(f"Created {user.email}.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<uuid:id>/edit", methods=["GET", "POST"])
@admin_required
@answers_stale("user", "admin.update_user")
def update_user(id: uuid.UUID):
    """Change a user's role, team, manager, access or password."""
    user = get_or_404(User, id)
    form = EditUserForm(obj=user)
    fill_choices(form, editing=user)
    if request.method == "GET":
        form.team_id.data = str(user.team_id or "")
        form.manager_id.data = str(user.manager_id or "")
        form.version.data = str(user.version)
    if form.validate_on_submit():
        apply_form(form, user)
        password = form.password.data  # empty: keep the current one
        save(form, {}, user, form.version.data, partial(accounts.set_password, user.id, password) if password else None)
        flash(f"Saved {user.email}.", "success")
        return redirect(url_for("admin.users"))
    failed = accounts.recent_failures(user.email, current_app.config["LOGIN_WINDOW_SECONDS"])
    return render_template("admin/user_form.html", form=form, user=user, failed_logins=failed)


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
        if save(form, {"unique_teams_lower_name": ("name", "A team with this name already exists.")}):
            flash(f"Created team {team.name}.", "success")
            return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form)


@bp.route("/users/<uuid:id>/targets", methods=["GET", "POST"])
@admin_required
def targets(id: uuid.UUID):
    """A user's monthly targets; saving a month again replaces it."""
    user = get_or_404(User, id)
    form = TargetForm(month=timezones.today().strftime("%Y-%m"))
    if form.validate_on_submit():
        existing = db.session.scalar(select(Target).where(Target.user_id == id, Target.month == form.first_day))
        target = existing or Target(user_id=id, month=form.first_day)
        for name in ("revenue_target", "outbound_target", "meetings_target", "proposals_target"):
            setattr(target, name, getattr(form, name).data)
        db.session.add(target)
        save(form, {})
        flash(f"Saved targets for {form.first_day:%B %Y}.", "success")
        return redirect(url_for("admin.targets", id=id))
    rows = db.session.scalars(select(Target).where(Target.user_id == id).order_by(Target.month.desc())).all()
    return render_template("admin/targets.html", user=user, form=form, targets=rows)


@bp.post("/users/<uuid:id>/sessions/revoke")
@admin_required
def revoke_sessions(id: uuid.UUID):
    """Log a user out everywhere."""
    get_or_404(User, id)
    accounts.revoke_sessions(id)
    db.session.commit()
    flash("All of that user's sessions were ended.", "success")
    return redirect(url_for("admin.update_user", id=id))


@bp.post("/users/<uuid:id>/unlock")
@admin_required
def unlock_login(id: uuid.UUID):
    """Forget a user's failed logins, so the throttle lets them in from anywhere again."""
    user = get_or_404(User, id)
    accounts.unlock_login(id)
    db.session.commit()
    flash(f"{user.email} can log in again from anywhere.", "success")
    return redirect(url_for("admin.update_user", id=id))
