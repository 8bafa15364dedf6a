"""WSGI entry point: ``gunicorn wsgi:app`` (``crm serve`` does this for you)."""

from dashboard import create_app

app = create_app()
