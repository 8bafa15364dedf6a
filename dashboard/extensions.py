"""Flask extensions, created unbound here and bound in create_app (no import cycles)."""

from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to continue."
# Flask-Login's "strong" mode is silently "basic" for permanent sessions: the
# session is bound to its browser by auth.load_user (services/login.client_fingerprint)
login_manager.session_protection = None
