"""Language choice and the one filter that turns stored UTC into Amsterdam time."""
from datetime import datetime, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_time


def select_locale() -> str:
    """Pick the language: explicit ?lang=, a page's own (e.g. the registrant's), the session, else Dutch."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # CLI and background work: Dutch
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    page_language = getattr(g, "page_language", None)
    if page_language in languages and "lang" not in session:
        return page_language
    return session.get("lang") if session.get("lang") in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def to_local(value: datetime) -> datetime:
    """Convert a naive UTC datetime from the database to an aware Amsterdam datetime."""
    tz = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    return value.replace(tzinfo=timezone.utc).astimezone(tz)


def register_filters(app) -> None:
    """Jinja filters: |date, |time and |datetime take UTC and show Amsterdam time in the page's language."""

    @app.template_filter("date")
    def date_filter(value: datetime | None, fmt: str = "full"):
        return format_date(to_local(value), fmt) if value else ""

    @app.template_filter("time")
    def time_filter(value: datetime | None, fmt: str = "HH:mm"):
        return format_time(to_local(value), fmt) if value else ""

    @app.template_filter("datetime")
    def datetime_filter(value: datetime | None, fmt: str = "medium"):
        return format_datetime(to_local(value), fmt) if value else ""


def register_globals(app) -> None:
    """Template helpers for the language switch."""
    from flask_babel import get_locale, refresh

    @app.before_request
    def choose_language_afresh():
        # Flask-Babel caches the language on `g`, which outlives a request when an app context was
        # already pushed (the test client, scripts): decide it anew for every request.
        g.pop("page_language", None)
        refresh()

    app.jinja_env.add_extension("jinja2.ext.do")

    @app.template_global()
    def current_locale() -> str:
        return str(get_locale())

    @app.template_global()
    def url_with_lang(language: str) -> str:
        """This page with ?lang= set, as a query-only link: the path is never echoed (no "/\\evil" tricks)."""
        args = request.args.to_dict()
        args["lang"] = language
        return "?" + urlencode(args)
