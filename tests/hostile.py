"""Hostile input for the fuzz tests: the values, Hypothesis strategies over them, and the forms a page
offers (read from its HTML, so a new field or form is fuzzed without touching the tests)."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import strategies as st

# what a black-box probe sends: NUL and control characters, dates and numbers out of every range,
# malformed ids, spreadsheet formulas, very long and non-ASCII text
HOSTILE = [
    "", " ", "\x00", "a\x00b", "\x01\x02\x1f\x7f", "\t", "line\r\nbreak", "x" * 10_000, "=cmd|' /C calc'!A0",
    "+1", "-1", "@SUM(1)", "\u202egnp.exe", "😀" * 50, "<script>alert(1)</script>",
    "'; drop table crm.deals; --", "%", "_", "\\", "2024-02-30", "0000-01-01", "0001-01-01", "9999-12-31",
    "10000-01-01", "-0001-01-01", "2026-11-25T10:00", "9999-12-31T23:59", "99999999999999999999", "-2147483649",
    "2147483648", "-1", "0", "1e309", "-1e309", "NaN", "sNaN", "-Infinity", "1e-400", "0x10", "00000000-0000-0000-0000-000000000000",
    "not-a-uuid", "{00000000-0000-0000-0000-000000000000}", "javascript:alert(1)", "https://example.com", "//evil.example",
]  # fmt: skip

# control characters come from HOSTILE only (a few of its values), so that most examples get past the 400
# the app answers them with and reach the parsers behind it
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def header_safe(value: str) -> str:
    """A header value as a server could pass it on: no line breaks (HTTP servers refuse them before the app)."""
    return value.replace("\r", "").replace("\n", "")


class PageForms(HTMLParser):
    """The forms of a page: how and where each one is sent (``method`` and ``action``, ``hx-post``, ``hx-delete``;
    no action: the page itself) and its fields with
    the values the page filled in (an input's value, a textarea's text, a select's selected or first option).

    htmx forms name their target on the form element; buttons with their own ``hx-post`` count as forms of
    the fields around them."""

    TARGETS = ("hx-post", "hx-delete", "hx-put", "action")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, dict]] = []  # (method, target, fields)
        self._fields: dict | None = None
        self._form: tuple[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    @classmethod
    def of(cls, html: str) -> list[tuple[str, str, dict]]:
        parser = cls()
        parser.feed(html)
        return parser.forms

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = next(((name, attrs[name]) for name in self.TARGETS if attrs.get(name)), None)
        if tag == "form":
            method = {"hx-delete": "DELETE", "hx-put": "PUT"}.get(target and target[0], attrs.get("method", "get"))
            self._form, self._fields = (method.upper(), (target or ("", ""))[1]), {}
        elif tag == "button" and target and target[0] != "action" and self._fields is not None:
            self.forms.append(("DELETE" if target[0] == "hx-delete" else "POST", target[1], self._fields))
        if self._fields is None or not attrs.get("name"):
            if tag == "option" and self._select and (self._select not in self._fields or "selected" in attrs):
                self._fields[self._select] = attrs.get("value", "")
            return
        name = attrs["name"]
        if tag == "input" and attrs.get("type") not in ("checkbox", "radio", "submit", "file"):
            self._fields[name] = attrs.get("value", "")
        elif tag == "input" and "checked" in attrs:
            self._fields[name] = attrs.get("value", "y")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea, self._fields[name] = name, ""

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form:
            self.forms.append((*self._form, self._fields))
            self._form, self._fields = None, None
