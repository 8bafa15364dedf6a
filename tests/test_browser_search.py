"""In Chromium: the command palette (Ctrl-K, type a deal's name, Enter lands on the deal), the
shortcut list (?), "g" shortcuts and the menu bar's search box. The data is committed (the live
server has its own connections) and removed afterwards."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from dashboard import pg
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def deal(admin_url, users):
    """A deal of the rep's with a unique name (deleted at the end)."""
    tag = uuid.uuid4().hex[:8]
    name = f"Palette Renewal {tag}"
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        deal_id = conn.execute(
            """insert into crm.deals (name, value, stage_id, owner_id)
               values (%s, 4200, (select id from crm.deal_stages where name = 'Qualified'), %s) returning id""",
            (name, users["rep"]["id"]),
        ).fetchone()[0]
    yield {"id": deal_id, "name": name}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.deals where id = %s", (deal_id,))


def log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")


def test_ctrl_k_finds_a_deal_and_enter_opens_it(live_server, page, users, deal, artifacts_dir):
    log_in(page, live_server, users["rep"]["email"])
    page.goto(f"{live_server}/tasks")
    opener = page.locator("#nav-tasks-index")
    opener.focus()
    page.keyboard.press("Control+k")
    dialog = page.get_by_role("dialog", name="Search and actions")
    assert dialog.is_visible()
    box = page.get_by_role("combobox", name="Search records or find an action")
    assert box.evaluate("el => el === document.activeElement")
    box.press_sequentially(deal["name"].lower(), delay=10)
    hit = page.locator(f"#palette-deal-{deal['id']}")
    hit.wait_for()
    # the deal's own name ranks first, so it is the active option, shown with its stage and value
    assert hit.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == f"palette-deal-{deal['id']}"
    assert "Qualified · 4,200" in hit.inner_text()
    page.screenshot(path=str(artifacts_dir / "palette.png"))
    box.press("Enter")
    page.wait_for_url(f"{live_server}/deals/{deal['id']}")
    assert deal["name"] in page.locator("h1").inner_text()
    assert page.console_errors == []


def test_palette_moves_with_arrows_and_escape_returns_focus(live_server, page, users):
    log_in(page, live_server, users["rep"]["email"])
    opener = page.locator("#nav-deals-index")
    opener.focus()
    page.keyboard.press("Control+k")
    box = page.locator("#palette-input")
    box.fill("go to pipe")  # the actions filter as you type
    options = page.locator("#palette-listbox [role=option]:visible")
    assert [" ".join(t.split()) for t in options.all_inner_texts()] == ["Go to pipeline g p"]
    box.fill("")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    assert second.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert not page.locator("#palette").is_visible()
    # focus is back where it was before the palette opened
    assert opener.evaluate("el => el === document.activeElement")


def test_question_mark_lists_the_shortcuts_and_g_keys_move(live_server, page, users):
    log_in(page, live_server, users["rep"]["email"])
    page.locator("main").click()
    page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert shortcuts.is_visible()
    text = shortcuts.inner_text()
    for line in ["Ctrl K", "Open the command palette", "g d", "Go to dashboard", "g p", "Go to pipeline", "g t",
                 "Go to tasks", "This list of shortcuts"]:  # fmt: skip
        assert line in text
    page.locator("#shortcuts-close").click()
    assert not shortcuts.is_visible()
    # "g" then "p": the pipeline; "g t": tasks; "/" focuses the search box, whose Enter opens /search
    page.keyboard.press("g")
    page.keyboard.press("p")
    page.wait_for_url(f"{live_server}/pipeline")
    page.keyboard.press("g")
    page.keyboard.press("t")
    page.wait_for_url(f"{live_server}/tasks*")
    page.keyboard.press("/")
    search = page.locator("#global-search")
    assert search.evaluate("el => el === document.activeElement")
    search.fill("palette renewal")
    search.press("Enter")
    page.wait_for_url(f"{live_server}/search?q=palette+renewal")
    # typing in a field is typing, not a shortcut
    page.locator("#search-q").fill("gp")
    assert page.url.startswith(f"{live_server}/search")
    assert page.console_errors == []
