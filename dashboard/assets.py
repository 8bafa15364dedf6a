"""Static files under content-hashed names, compressed, cached for a year.

At start-up every file under ``dashboard/static`` (our own and the vendored npm bundles) is copied
once to ``<instance>/static-build/`` under a name that holds its content's hash
(``charts.js`` -> ``charts.3f9c1e07a2b4.js``), with a gzip and a brotli twin. WhiteNoise, wrapped
around the Flask app, serves that folder under ``/static/`` with ``Cache-Control: max-age=31536000,
public, immutable`` and the encoding the browser accepts; a changed file gets a new name, so a year of
caching never serves a stale one. Templates name files through one helper, ``static_url('charts.js')``
(``tests/test_static.py`` fails for a template that calls ``url_for('static', ...)``). Pages
themselves are answered with ``Cache-Control: no-store`` (``dashboard/security.py``).

Building is idempotent and safe to run from several processes at once: each file is written to a
temporary name and renamed into place, the compressed twins before the file itself, and a file that
is already there is left alone.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

from flask import Flask, current_app, url_for
from whitenoise import WhiteNoise

SOURCE = Path(__file__).resolve().parent / "static"
ONE_YEAR = 365 * 24 * 60 * 60
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".txt", ".map"}


class Assets(WhiteNoise):
    """WhiteNoise with a one-year lifetime (its default is ten) for the hashed files."""

    FOREVER = ONE_YEAR


def hashed_name(relative: str, content: bytes) -> str:
    """``vendor/htmx.min.js`` -> ``vendor/htmx.min.<first 12 hex digits of its SHA-256>.js``."""
    stem, dot, suffix = relative.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{relative}.{digest}"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _compressed(data: bytes) -> dict[str, bytes]:
    """The gzip and brotli twins worth serving (each at least 5% smaller than the file)."""
    import brotli

    twins = {".gz": gzip.compress(data, 9, mtime=0), ".br": brotli.compress(data, quality=11)}
    return {ext: packed for ext, packed in twins.items() if len(packed) < 0.95 * len(data)}


def _source_files(source: Path):
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            yield relative.as_posix(), path


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy each file of ``source`` to ``target`` under its hashed name (plus twins); return the manifest."""
    manifest = {}
    for relative, path in _source_files(source):
        content = path.read_bytes()
        name = hashed_name(relative, content)
        manifest[relative] = name
        destination = target / name
        if destination.exists():
            continue
        if path.suffix in COMPRESSIBLE:
            for ext, packed in _compressed(content).items():
                _write_atomically(destination.with_name(destination.name + ext), packed)
        _write_atomically(destination, content)
    return manifest


def static_url(filename: str) -> str:
    """The URL of a static file under its hashed name (templates: ``static_url('app.css')``)."""
    manifest = current_app.extensions["assets"]
    if filename not in manifest:
        raise LookupError(f"no static file {filename!r} (run `npm ci` for vendor/ files)")
    return url_for("static", filename=manifest[filename])


def init_app(app: Flask) -> None:
    """Build the hashed copies and serve them with WhiteNoise in front of the app."""
    target = Path(app.config.get("STATIC_BUILD_DIR") or Path(app.instance_path) / "static-build")
    app.extensions["assets"] = build(SOURCE, target)
    from dashboard import security

    app.wsgi_app = Assets(
        app.wsgi_app,
        root=str(target),
        prefix=app.static_url_path,
        allow_all_origins=False,
        max_age=None,
        immutable_file_test=lambda path, url: True,  # every file in the folder has its hash in its name
        add_headers_function=lambda headers, path, url: security.add_static_headers(headers),
    )
    app.jinja_env.globals["static_url"] = static_url
