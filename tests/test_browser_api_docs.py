"""The REST API's reference page /api/v1/docs in Chromium: Swagger UI (vendored from npm, served by the app)
draws every resource from openapi.json, offline (nothing but the app's own origin is requested), with
the page's CSP intact (no violation, no inline script)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_docs_page_draws_the_document_offline_under_the_csp(browser, live_server, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    response = page.goto(f"{live_server}/api/v1/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("script:not([src])").count() == 0  # no inline script
    page.wait_for_selector(".opblock-tag-section", timeout=15_000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    for name in ("companies", "contacts", "deals", "activities", "meetings", "tasks", "stakeholders", "stages", "users"):
        assert any(text.startswith(name) for text in tags), (name, tags)
    assert page.locator(".opblock").count() >= 36  # every operation
    page.screenshot(path=str(artifacts_dir / "api-docs.png"), full_page=False)
    assert page.evaluate("() => window.__cspViolations") == []
    assert errors == []
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requested), requested
    context.close()
