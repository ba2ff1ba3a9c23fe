"""DomainError (a refusal with a stable code) and the friendly error pages."""
from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule said no: `code` is stable for tests and clients, `message` is for people."""

    def __init__(self, code: str, message: str = "", field: str | None = None):
        super().__init__(code)
        self.code = code
        self.message = message or code
        self.field = field  # the form field the message belongs next to, if any


ERROR_TEXTS = {
    400: (_l("Something in your request was not right"), _l("Please go back, check the form and try again.")),
    401: (_l("Not signed in"), _l("Please log in, or pair this device again.")),
    403: (_l("No access"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("This link is unknown or no longer valid. Check the link in your e-mail.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("File too large"), _l("What you sent is larger than we accept. Please send something smaller.")),
    429: (_l("Too many attempts"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong on our side"), _l("Please try again in a moment. If it keeps happening, please contact the organisers.")),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(status: int):
    from flask_babel import refresh

    # A CSRF failure is raised before the before_request hook that picks this request's language;
    # forget a language Flask-Babel may still cache from an earlier request in the same app context.
    refresh()
    title, text = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    if _wants_json():
        return jsonify(error=str(title)), status
    return render_template("errors/error.html", status=status, title=title, text=text), status


def register_error_handlers(app) -> None:
    """Show every HTTP error as a page in the visitor's language (JSON under /api/)."""

    @app.errorhandler(DomainError)
    def refusal(error: DomainError):
        # Views catch the refusals they expect; one that escapes is shown, not turned into a 500.
        if error.code == "no_event":
            return render_template("event/no_event.html"), 503
        if _wants_json():
            return jsonify(error=error.code, message=error.message), 400
        return render_template("errors/error.html", status=400, title=ERROR_TEXTS[400][0], text=error.message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        from .extensions import db
        db.session.rollback()
        return render_error(500)
