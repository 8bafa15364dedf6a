"""The admin forms of the pipeline: a stage, a lost reason, and a stage's move up or down."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from dashboard.forms.common import SelectField, text_field, version_field
from dashboard.services.stages import KINDS


class StageForm(FlaskForm):
    name = text_field("Name", 60, required=True)
    color = StringField("Colour", validators=[
        InputRequired("Choose a colour."), Regexp(r"^#[0-9a-fA-F]{6}$", message="Choose a colour like #3b82f6.")],
        render_kw={"type": "color"})  # fmt: skip
    default_probability = IntegerField("Default win probability (%)", validators=[
        InputRequired("Enter a probability from 0 to 100."), NumberRange(0, 100)])  # fmt: skip
    rotting_days = IntegerField("Rotting days (a deal longer in the stage is stalled; empty: never)",
                                validators=[Optional(), NumberRange(1, 365)])  # fmt: skip
    kind = SelectField("Kind", choices=KINDS, default="open")


class EditStageForm(StageForm):
    version = version_field()


class MoveStageForm(FlaskForm):
    direction = SelectField("Direction", choices=[("up", "Up"), ("down", "Down")])


class LostReasonForm(FlaskForm):
    name = text_field("Name", 80, required=True)
    position = IntegerField("Order (lower first)", validators=[Optional(), NumberRange(0, 100000)])
    is_active = BooleanField("Offered when a deal is lost", default=True)


class EditLostReasonForm(LostReasonForm):
    version = version_field()
