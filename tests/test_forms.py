"""Shared form pieces that need no database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from wtforms import Form
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import Select

from dashboard.forms.common import SelectField, option_tags


@given(value=st.text(max_size=40), label=st.one_of(st.none(), st.text(max_size=40)), selected=st.booleans())
def test_quick_select_options_are_the_stock_markup(value, label, selected):
    """An option is written exactly as WTForms' Select writes it: escaped value and label, the label
    falling back to the value, "selected" before "value"."""
    choice = SelectChoice(value, label)
    choice.selected = selected
    assert str(option_tags([(value, label)], value if selected else None)) == str(Select.render_option(choice))


def test_quick_select_escapes_markup():
    assert str(option_tags([('"><script>x</script>', "<b>Acme & Co</b>")])) == (
        '<option value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;b&gt;Acme &amp; Co&lt;/b&gt;</option>'
    )


@given(choices=st.lists(st.tuples(st.text(max_size=20), st.text(max_size=20)), max_size=5),
       pick=st.integers(min_value=0, max_value=5))  # fmt: skip
def test_option_tags_write_what_the_select_widget_writes(choices, pick):
    """A template's option list (option_tags) is the markup WTForms' Select gives the same choices."""
    selected = choices[pick][0] if pick < len(choices) else None
    expected = []
    for value, label in choices:
        choice = SelectChoice(value, label)
        choice.selected = value == selected
        expected.append(str(Select.render_option(choice)))
    assert str(option_tags(choices, selected)) == "".join(expected)


class PickForm(Form):
    pick = SelectField("Pick", validators=[Optional()])


@given(
    choices=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), max_size=6),
    data=st.one_of(st.none(), st.text(max_size=12), st.uuids()),
    pick=st.integers(min_value=0, max_value=6),
)
def test_quick_select_field_is_the_stock_markup(choices, data, pick):
    """A whole select drawn by QuickSelect is what WTForms' Select draws for the same field: options, the
    selected one (by the stock rule, coerced value == data), id, name and attributes."""
    form = PickForm()
    form.pick.choices = choices
    form.pick.data = choices[pick][0] if pick < len(choices) else data
    assert str(form.pick(class_="x")) == str(Select()(form.pick, class_="x"))
