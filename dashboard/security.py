"""Security headers for every response: pages, fragments, errors and static files."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# style-src 'unsafe-inline' is a documented, temporary exception: plotly.js
# sets inline styles on the chart elements it creates (SECURITY.md T18).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


COMMON_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_static_headers(headers) -> None:
    """The same headers on the hashed static files WhiteNoise serves (``dashboard/assets.py``)."""
    for name, value in COMMON_HEADERS.items():
        headers[name] = value


def _add_headers(response: Response, production: bool) -> Response:
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    # pages and fragments hold one user's data and a CSRF token: never stored by a browser or a proxy
    # (hashed static files are cached for a year by WhiteNoise; Flask's own /static/ route revalidates)
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    if production:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if "HX-Request" not in response.vary:
        response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        # request.remote_addr (the login throttle's address) becomes the client's as the
        # nearest trusted proxy saw it; without trusted proxies a forged header changes nothing
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.after_request
    def security_headers(response: Response) -> Response:
        return _add_headers(response, app.config["PRODUCTION"])
