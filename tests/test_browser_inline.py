"""Inline edits in a real browser (Debian's Chromium) against the app on a loopback port: a deal's close
date edited in place persists; an edit made stale by someone else's save shows the conflict and writes
nothing. The live server has its own connections, so the data is committed (as the superuser) and removed
again."""

from __future__ import annotations

import psycopg
import pytest

from dashboard import pg
from tests.test_browser_pipeline import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def deal(admin_url, users):
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        mark = conn.execute("select coalesce(max(id), 0) from crm.audit_log").fetchone()[0]
        deal_id = conn.execute(
            """insert into crm.deals (name, value, owner_id, stage_id, expected_close_date)
               values ('Inline Browser Deal', 1200, %s, (select id from crm.deal_stages where name = 'Lead'),
                       '2030-01-15') returning id""", (users["rep"]["id"],),
        ).fetchone()[0]  # fmt: skip
    yield deal_id
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.activities where deal_id = %s", (deal_id,))
        conn.execute("delete from crm.deals where id = %s", (deal_id,))
        conn.execute("delete from crm.audit_log where id > %s", (mark,))


def close_date(admin_url, deal_id) -> str:
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        return str(conn.execute("select expected_close_date from crm.deals where id = %s", (deal_id,)).fetchone()[0])


def test_inline_close_date_persists_and_a_stale_edit_shows_the_conflict(live_server, page, users, deal, admin_url,
                                                                          artifacts_dir):  # fmt: skip
    from playwright.sync_api import expect

    log_in(page, live_server, users["rep"]["email"], f"/deals/{deal}")
    cell = page.locator(f"#inline-{deal}-close")
    expect(cell.locator("button.inline-value")).to_have_text("2030-01-15")
    cell.locator("button.inline-value").click()
    date_input = page.locator(f"#expected_close_date-{deal}")
    expect(date_input).to_be_focused()  # inline.js puts the focus in the form
    date_input.fill("2031-03-04")
    date_input.press("Enter")
    expect(page.locator(f"#inline-{deal}-close button.inline-value")).to_have_text("2031-03-04")
    assert close_date(admin_url, deal) == "2031-03-04"
    page.reload()  # persisted: the page shows it after a reload
    expect(page.locator(f"#inline-{deal}-close button.inline-value")).to_have_text("2031-03-04")

    # open the form, then someone else saves the deal (as the ORM does: a new version)
    page.locator(f"#inline-{deal}-close button.inline-value").click()
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("update crm.deals set value = 1300, version = version + 1 where id = %s", (deal,))
    page.locator(f"#expected_close_date-{deal}").fill("2032-12-31")
    page.locator(f"#inline-{deal}-close button[type=submit]").click()
    conflict = page.locator(f"#inline-{deal}-close.inline-conflict")
    expect(conflict).to_contain_text("Not saved: this was changed")
    expect(conflict.locator("button.inline-value")).to_have_text("2031-03-04")  # the value as it is now
    page.screenshot(path=str(artifacts_dir / "inline-conflict.png"), full_page=True)
    assert close_date(admin_url, deal) == "2031-03-04"
    # Escape cancels an open form without saving
    conflict.locator("button.inline-value").click()
    expect(page.locator(f"#expected_close_date-{deal}")).to_be_focused()  # the form is in, ready (inline.js)
    page.locator(f"#expected_close_date-{deal}").press("Escape")
    expect(page.locator(f"#inline-{deal}-close button.inline-value")).to_have_text("2031-03-04")


def test_the_board_asks_why_before_closing_as_lost(live_server, page, users, deal, admin_url):
    """The card's stage menu to Lost: nothing moves, the card asks why; with a reason the deal closes as lost."""
    from playwright.sync_api import expect

    log_in(page, live_server, users["rep"]["email"], "/pipeline")
    page.get_by_label("Stage of Inline Browser Deal").select_option(label="Lost")
    expect(page.locator("#board-note")).to_contain_text("Choose why Inline Browser Deal was lost")
    page.get_by_label("Why was Inline Browser Deal lost?").select_option(label="Competitor")
    page.locator(f"#lost-reason-{deal} button[type=submit]").click()
    expect(page.locator("#board-note")).to_have_text("Moved Inline Browser Deal to Lost.")
    expect(page.locator(f"#stage-60 #deal-{deal}")).to_have_count(1)
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        assert conn.execute("select d.status, r.name from crm.deals d join crm.lost_reasons r on r.id = d.lost_reason_id"
                            " where d.id = %s", (deal,)).fetchone() == ("lost", "Competitor")  # fmt: skip
    assert page.console_errors == []
