"""eventapp: RSVP, tickets, door and pledge signing for the launch of the Alliantie Kinderarmoede."""
import os

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from . import config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, commands and error pages."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates", static_folder="../static")
    os.makedirs(app.instance_path, exist_ok=True)
    config.load(app)
    if test_config:
        app.config.update(test_config)
    config.finish(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    _register_blueprints(app)
    from .cli import register_commands
    from .errors import register_error_handlers
    from .i18n import register_filters, register_globals
    from .security import add_security_headers

    register_commands(app)
    register_error_handlers(app)
    register_filters(app)
    register_globals(app)
    app.after_request(add_security_headers)
    return app


def _init_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from . import models  # noqa: F401 - every table known to SQLAlchemy and Alembic
    from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from .i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=os.path.join(app.root_path, "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    app.jinja_env.globals["csrf_enabled"] = app.config.get("WTF_CSRF_ENABLED", True)


def _register_blueprints(app: Flask) -> None:
    from .auth.device_views import bp as devices_bp
    from .auth.views import bp as auth_bp
    from .checkin.api import bp as api_bp
    from .checkin.views import bp as checkin_bp
    from .event.views import bp as event_bp
    from .invitations.views import bp as invitations_bp
    from .mail.views import bp as mail_bp
    from .organiser.export_views import bp as exports_bp
    from .organiser.print_views import bp as printing_bp
    from .organiser.views import bp as organiser_bp
    from .registration.views import bp as registration_bp
    from .signing.views import bp as signing_bp
    from .signing import pdf as _signing_pdf  # noqa: F401 - registers the signed pledge's mail attachment builder
    from .tickets import attachments  # noqa: F401 - registers the ticket's mail attachment builders
    from .tickets.views import bp as tickets_bp

    for blueprint in (event_bp, registration_bp, tickets_bp, auth_bp, mail_bp, checkin_bp, api_bp, devices_bp, signing_bp,
                      organiser_bp, invitations_bp, exports_bp, printing_bp):
        app.register_blueprint(blueprint)


@sa_event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    """WAL: readers never block the door; busy_timeout: a writer waits instead of failing."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
