"""Fixtures: app, client, runner, a frozen clock, factories, and a real database (SQLite or PostgreSQL).

TEST_DATABASE_URL=postgresql+psycopg://... runs the whole suite against PostgreSQL; without it every
run gets a fresh SQLite file. The schema is built by the real migrations, once per run.
"""
import os
import re
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from eventapp import clock, create_app
from eventapp.extensions import db

FROZEN_NOW = datetime(2026, 11, 23, 10, 0, 0)  # naive UTC, months before the test event


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def make_app(database_url, tmp_path, **overrides):
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_SERVER": None,
        "MAIL_DELIVER_IN_BACKGROUND": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        "PUBLIC_BASE_URL": "http://testserver.local",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Build the schema once with the real Alembic migrations."""
    from flask_migrate import downgrade, upgrade

    app = make_app(database_url, tmp_path_factory.mktemp("schema"))
    with app.app_context():
        if database_url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
    yield
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables():
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_schema, database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    with app.app_context():
        _empty_all_tables()
        yield app
        db.session.remove()
        db.engine.dispose()  # each test's app has its own pool: close it, or PostgreSQL runs out of slots
    clock.freeze(None)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def frozen_clock():
    """Freeze eventapp.clock.now() at FROZEN_NOW; tests may move it with .freeze(other)."""
    clock.freeze(FROZEN_NOW)
    yield clock
    clock.freeze(None)


@pytest.fixture
def make_event(app):
    """Create the deployment's event (defaults: 26 March next year, 250 seats, registration open)."""
    from eventapp.event.models import Event

    def factory(**kw):
        starts = kw.pop("starts_at", datetime(2027, 3, 26, 8, 30))  # 09:30 in Amsterdam (CET)
        values = dict(title="Lancering Alliantie Kinderarmoede", starts_at=starts, ends_at=starts + timedelta(hours=3),
                      city="Den Haag", capacity=250, contact_name="Tessa van Velzen",
                      contact_email="tessa@example.org", organisers="Alles is Gezondheid")
        values.update(kw)
        event = Event(**values)
        db.session.add(event)
        db.session.commit()
        return event

    return factory


def registration_data(**kw) -> dict:
    """Valid RSVP data for registration.services.register(); override any key."""
    n = uuid.uuid4().hex[:10]
    data = {
        "name": "Anouk de Vries", "email": f"anouk.{n}@example.org", "organisation": "Gemeente Den Haag",
        "organisation_type": "municipality", "function": "Beleidsadviseur", "participation": "attendee",
        "commitments": {1: "", 2: "", 3: ""}, "suggested_partners": [], "monitoring_consent": False,
        "accessibility_needs": "", "dietary_wishes": "", "photo_consent": True, "privacy_consent": True,
        "newsletter_opt_in": False, "language": "nl",
    }
    data.update(kw)
    return data


@pytest.fixture
def make_registration(app):
    """Register someone through the real service; returns the Registration."""
    from eventapp.registration.services import register

    def factory(**kw):
        send_mail = kw.pop("send_mail", True)
        return register(registration_data(**kw), send_mail=send_mail).registration

    return factory


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


@pytest.fixture
def post_form(client):
    """GET a form page, then POST `data` to it with the page's CSRF token, like a browser would."""

    def post(url, data, get_url=None, **kw):
        page = client.get(get_url or url)
        token = csrf_token_from(page.get_data(as_text=True))
        return client.post(url, data={"csrf_token": token, **data}, **kw)

    return post
