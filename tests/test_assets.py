"""Static files: content-hashed names, gzip/brotli, a year of caching; pages never cached."""

from __future__ import annotations

import gzip
import hashlib
import re

import brotli

from dashboard import assets
from tests.test_static import sources

HASHED = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def test_hashed_names_hold_the_content_hash(tmp_path):
    digest = hashlib.sha256(b"body{}").hexdigest()[:12]
    assert assets.hashed_name("app.css", b"body{}") == f"app.{digest}.css"
    assert assets.hashed_name("vendor/htmx.min.js", b"x") == f"vendor/htmx.min.{hashlib.sha256(b'x').hexdigest()[:12]}.js"
    # a changed file gets a new name; the old one stays for pages already loaded
    source, target = tmp_path / "src", tmp_path / "build"
    source.mkdir()
    (source / "a.js").write_text("var a = 1;" * 100)
    first = assets.build(source, target)["a.js"]
    (source / "a.js").write_text("var a = 2;" * 100)
    second = assets.build(source, target)["a.js"]
    assert first != second and (target / first).exists() and (target / second).exists()
    # twins: the same bytes once decompressed
    assert gzip.decompress((target / (second + ".gz")).read_bytes()) == b"var a = 2;" * 100
    assert brotli.decompress((target / (second + ".br")).read_bytes()) == b"var a = 2;" * 100


def test_pages_link_hashed_files_served_compressed_and_immutable(client, auth, users):
    auth.login(users["rep"]["email"])
    page = client.get("/")
    assert page.headers["Cache-Control"] == "no-store"
    urls = HASHED.findall(page.get_data(as_text=True))
    assert any(re.fullmatch(r"/static/vendor/plotly-basic\.min\.[0-9a-f]{12}\.js", url) for url in urls)
    assert any(re.fullmatch(r"/static/app\.[0-9a-f]{12}\.css", url) for url in urls)
    for url in urls:
        plain = client.get(url)
        assert plain.status_code == 200, url
        assert plain.headers["Cache-Control"] == "max-age=31536000, public, immutable"
        assert plain.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in plain.headers
        if url.endswith((".js", ".css")):
            br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
            assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
            assert brotli.decompress(br.data) == plain.data
            gz = client.get(url, headers={"Accept-Encoding": "gzip"})
            assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain.data


def test_plotly_bundle_is_the_basic_one_and_small_compressed(app):
    with app.app_context():
        manifest = app.extensions["assets"]
    assert "vendor/plotly-basic.min.js" in manifest and not any("strict" in name for name in manifest)
    body = (assets.SOURCE / "vendor/plotly-basic.min.js").read_bytes()
    # the full strict bundle was 5.1 MB (1.5 MB gzipped); this one is ~1.2 MB, ~330 KB as brotli
    assert len(brotli.compress(body, quality=5)) < 450_000


def test_templates_name_static_files_through_static_url_only(app):
    with app.app_context():
        manifest = app.extensions["assets"]
    for path in sources("*.html"):
        text = path.read_text()
        assert "url_for('static'" not in text and 'url_for("static"' not in text, path.name
        for name in re.findall(r"static_url\(['\"]([^'\"]+)['\"]\)", text):
            assert name in manifest, (path.name, name)


def test_dashboard_transfer_budget(client, auth, users):
    """First visit <= 600 KB (page + every linked file, brotli as Chromium asks), repeat visit <= 30 KB
    (the page alone: the files are cached immutable). bench/assets.py measures it in Chromium."""
    auth.login(users["rep"]["email"])
    page = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in page.headers  # pages are not compressed (secrets in them: BREACH)
    linked = [client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) for url in set(HASHED.findall(page.get_data(as_text=True)))]
    first = len(page.data) + sum(len(response.data) for response in linked)
    assert all(r.headers["Cache-Control"].endswith("immutable") for r in linked)
    assert first <= 600 * 1024 and len(page.data) <= 30 * 1024, (first, len(page.data))
