"""Security over HTTP: configuration, cookies, CSP, no inline script, secrets in links, roles, login throttling."""
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import g
from sqlalchemy import select

from conftest import csrf_token_from, make_app
from eventapp import create_app
from eventapp.auth.models import ROLES
from eventapp.auth.services import create_user
from eventapp.config import ConfigError
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registration.models import Registration

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
BAD_LOGIN = "E-mail address or password is not correct."


def page_token(client, url="/login") -> str:
    """The CSRF token of `client`'s session, read from a form page like a browser would."""
    g.pop("csrf_token", None)  # Flask-WTF caches the token on g, which the test's app context shares
    return csrf_token_from(client.get(url).get_data(as_text=True))


def login(client, email, password=PASSWORD):
    """Log `client` in through the real login form (CSRF token and all)."""
    return client.post("/login", data={"csrf_token": page_token(client), "email": email, "password": password})


def script_sources(response) -> list[str]:
    """The sources the page's Content-Security-Policy allows scripts from (script-src, else default-src)."""
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"no Content-Security-Policy on {response.request.path}"
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    sources = directives.get("script-src", directives.get("default-src"))
    assert sources is not None, policy
    return sources


def assert_strict_csp(response) -> None:
    sources = script_sources(response)
    where = f"{response.request.method} {response.request.path} ({response.status_code})"
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, where
    assert not any(s == "*" or s.startswith(("http:", "https:", "data:", "blob:")) for s in sources), where


# -- configuration ---------------------------------------------------------------------------------------------

@pytest.fixture
def production_env(monkeypatch, database_url):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://aanmelden.example.org")
    return {"SQLALCHEMY_DATABASE_URI": database_url}


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[0]


@pytest.mark.parametrize("key", [None, "", "short", "change-me", "x" * 31])
def test_production_refuses_to_start_without_a_strong_secret_key(production_env, monkeypatch, key):
    if key is not None:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError):
        create_app(production_env)


def test_production_refuses_to_start_without_public_base_url(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(20))
    monkeypatch.delenv("PUBLIC_BASE_URL")
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        create_app(production_env)


def test_links_in_mails_use_public_base_url_not_the_requests_host(client, post_form, make_event, frozen_clock):
    """The Host header is the visitor's to choose; mailed links must not follow it."""
    from eventapp.extensions import db
    from eventapp.mail.models import OutboxMessage

    make_event()
    response = post_form("/register", {
        "name": "Piet", "email": "piet@example.org", "organisation": "Gemeente Delft",
        "organisation_type": "municipality", "participation": "attendee", "language": "nl", "privacy_consent": "y"})
    assert response.status_code == 302
    mail = db.session.execute(db.select(OutboxMessage)).scalar_one()
    assert "http://testserver.local/ticket/" in mail.text and "localhost" not in mail.text


def test_production_starts_with_a_40_character_key_and_secure_cookies(production_env, monkeypatch):
    key = secrets.token_hex(20)
    monkeypatch.setenv("SECRET_KEY", key)
    app = create_app(production_env)
    assert len(key) == 40 and app.config["SECRET_KEY"] == key
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    cookie = _session_cookie(app.test_client().get("/login"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_httponly_and_samesite_lax(client):
    cookie = _session_cookie(client.get("/login"))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"] == "SameSite=Lax"


# -- Content-Security-Policy and templates ---------------------------------------------------------------------

def test_every_html_response_has_a_csp_without_inline_script(app, client, post_form, make_event, make_registration,
                                                             frozen_clock):
    make_event()
    registration = make_registration()
    message = db.session.execute(select(OutboxMessage)).scalars().first()
    create_user("organiser@example.org", "organiser", PASSWORD)
    create_user("door@example.org", "door", PASSWORD)
    values = {"secret": registration.manage_secret, "message_id": message.id, "filename": "css/app.css"}
    responses = [client.get("/ticket/UNKNOWN"), client.get("/logout"), client.post("/register"),
                 post_form("/register", {"name": ""})]
    door = app.test_client()
    assert login(door, "door@example.org").status_code == 302
    responses.append(door.get("/organiser/outbox/"))
    assert login(client, "organiser@example.org").status_code == 302
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            responses.append(client.get(adapter.build(rule.endpoint, {a: values.get(a, 1) for a in rule.arguments})))
    statuses = {r.status_code for r in responses}
    assert {200, 400, 403, 404, 405, 422} <= statuses
    html_responses = [r for r in responses if r.mimetype == "text/html"]
    assert len(html_responses) >= 12
    for response in html_responses:
        assert_strict_csp(response)
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_500_page_is_friendly_and_keeps_the_csp(app, database_url, tmp_path):
    broken = make_app(database_url, tmp_path)

    @broken.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = broken.test_client().get("/boom?lang=en")
    assert response.status_code == 500
    assert "If it keeps happening, please contact the organisers." in response.get_data(as_text=True)
    assert_strict_csp(response)


TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)


def test_no_template_has_inline_script_or_event_handler_attributes():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) >= 10
    for path in templates:
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        opened = len(re.findall(r"<script\b", source, re.I))
        assert len(SCRIPT.findall(source)) == opened, f"unclosed <script> in {name}"
        for attributes, body in SCRIPT.findall(source):
            assert not body.strip(), f"inline script in {name}"
            assert "src=" in attributes, f"<script> without src in {name}"
            static = re.search(r"filename=['\"]([^'\"]+)['\"]", attributes)
            assert static and (ROOT / "static" / static.group(1)).is_file(), f"missing script file in {name}"
        for tag in TAG.findall(source):
            assert not EVENT_HANDLER.search(tag), f"on...= attribute in {name}: {tag[:80]}"
        assert "javascript:" not in source.lower(), f"javascript: URL in {name}"


# -- secrets in links ------------------------------------------------------------------------------------------

def test_links_carry_the_manage_secret_never_a_database_id(client, post_form, make_event, make_registration,
                                                          frozen_clock):
    make_event()
    for _ in range(3):
        make_registration()  # so that ids and counts are not all 1
    data = {"name": "Anouk de Vries", "email": "anouk@example.org", "organisation": "Gemeente Den Haag",
            "organisation_type": "municipality", "participation": "attendee", "language": "nl",
            "privacy_consent": "y"}
    response = post_form("/register", data)
    registration = db.session.execute(select(Registration).filter_by(email="anouk@example.org")).scalar_one()
    assert urlsplit(response.location).path == f"/ticket/{registration.manage_secret}"
    mail = db.session.execute(select(OutboxMessage).filter_by(registration_id=registration.id)).scalar_one()
    for body in (mail.text, mail.html):
        links = re.findall(r"https?://[^\s\"'<>]+", body)
        ticket_links = [link for link in links if "/ticket/" in link]
        assert ticket_links, "no manage link in the mail"
        for link in ticket_links:
            assert urlsplit(link).path.split("/")[2] == registration.manage_secret
        for link in links:
            assert str(registration.id) not in urlsplit(link).path.split("/"), link
        assert registration.ticket_secret not in body  # the ticket secret travels only in the QR code


# -- roles -----------------------------------------------------------------------------------------------------

def test_outbox_sends_anonymous_to_login_and_refuses_door_staff(client):
    response = client.get("/organiser/outbox/")
    assert response.status_code == 302 and urlsplit(response.location).path == "/login"
    create_user("door@example.org", "door", PASSWORD)
    create_user("organiser@example.org", "organiser", PASSWORD)
    assert login(client, "door@example.org").status_code == 302
    refused = client.get("/organiser/outbox/?lang=en")
    assert refused.status_code == 403 and "No access" in refused.get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": page_token(client)}).status_code == 302
    assert client.get("/organiser/outbox/").status_code == 302
    assert login(client, "organiser@example.org").status_code == 302
    assert client.get("/organiser/outbox/").status_code == 200


def test_every_role_route_refuses_anonymous_and_other_roles(app, database_url, tmp_path):
    """Walk the URL map, so that a new /organiser route without @role_required fails here."""
    for role in ROLES:
        create_user(f"{role}@example.org", role, PASSWORD)
    bare = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False)  # a role check, not CSRF, must refuse
    adapter = bare.url_map.bind("localhost")
    clients = {role: bare.test_client() for role in ROLES}
    for role, staff in clients.items():
        assert staff.post("/login", data={"email": f"{role}@example.org", "password": PASSWORD}).status_code == 302
    checked = 0
    for rule in bare.url_map.iter_rules():
        required = getattr(bare.view_functions[rule.endpoint], "required_roles", None)
        if rule.rule.startswith("/organiser"):
            assert required, f"{rule.rule} ({rule.endpoint}) has no @role_required"
        if not required:
            continue
        url = adapter.build(rule.endpoint, {argument: 1 for argument in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            anonymous = bare.test_client().open(url, method=method)
            assert anonymous.status_code in (302, 401), f"{method} {url}"
            if anonymous.status_code == 302:
                assert urlsplit(anonymous.location).path == "/login", f"{method} {url}"
            for role, staff in clients.items():
                status = staff.open(url, method=method).status_code
                if role in required:
                    assert status not in (302, 401, 403), f"{method} {url} as {role}"
                else:
                    assert status == 403, f"{method} {url} as {role}"
            checked += 1
    assert checked >= 3


# -- login -----------------------------------------------------------------------------------------------------

def test_login_is_rate_limited_with_a_friendly_429_page(app, database_url, tmp_path):
    limited = make_app(database_url, tmp_path, RATELIMIT_ENABLED=True)
    client = limited.test_client()
    token = csrf_token_from(client.get("/login?lang=en").get_data(as_text=True))
    data = {"csrf_token": token, "email": "someone@example.org", "password": "wrong password"}
    for attempt in range(10):
        response = client.post("/login?lang=en", data=data)
        assert response.status_code == 200 and BAD_LOGIN in response.get_data(as_text=True), attempt
    throttled = client.post("/login?lang=en", data=data)
    page = throttled.get_data(as_text=True)
    assert throttled.status_code == 429
    assert "Too many attempts" in page and "Please wait a moment and try again." in page
    assert throttled.mimetype == "text/html" and '<html lang="en">' in page
    assert_strict_csp(throttled)
    assert client.get("/login").status_code == 200  # only attempts are limited, not the page


def _form_errors(page: str) -> str:
    match = re.search(r'<div class="flash flash-error"[^>]*id="form-errors">(.*?)</div>', page, re.S)
    assert match, "no error at the top of the form"
    return match.group(1)


def test_wrong_password_and_unknown_address_get_the_same_answer(client, post_form):
    create_user("organiser@example.org", "organiser", PASSWORD)
    wrong_password = post_form("/login?lang=en", {"email": "organiser@example.org", "password": "not the password"})
    unknown = post_form("/login?lang=en", {"email": "nobody@example.org", "password": "not the password"})
    assert wrong_password.status_code == unknown.status_code
    assert BAD_LOGIN in _form_errors(wrong_password.get_data(as_text=True))
    assert _form_errors(wrong_password.get_data(as_text=True)) == _form_errors(unknown.get_data(as_text=True))
    assert client.get("/organiser/outbox/").status_code == 302
