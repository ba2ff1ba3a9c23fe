"""Settings from environment variables and instance/config.py, with safe defaults."""
import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """The app refuses to start with an unsafe or incomplete configuration."""


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key(instance_path: str) -> str:
    """Keep one random key per checkout so that sessions survive restarts and every worker agrees."""
    path = Path(instance_path) / ".secret_key"
    try:
        # O_EXCL: of several workers starting at once exactly one writes it; 0600 from the first byte.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'eventapp.sqlite'}"
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load(app) -> None:
    """Fill app.config from the defaults, instance/config.py and the environment, in that order."""
    env = os.environ.get("APP_ENV", "development")
    app.config.from_mapping(
        APP_ENV=env,
        SQLALCHEMY_DATABASE_URI=database_url(app.instance_path),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MAIL_SERVER=os.environ.get("MAIL_SERVER") or None,
        MAIL_PORT=int(os.environ.get("MAIL_PORT", "25")),
        MAIL_USERNAME=os.environ.get("MAIL_USERNAME") or None,
        MAIL_PASSWORD=os.environ.get("MAIL_PASSWORD") or None,
        MAIL_USE_TLS=_env_bool("MAIL_USE_TLS"),
        MAIL_USE_SSL=_env_bool("MAIL_USE_SSL"),
        MAIL_DEFAULT_SENDER=os.environ.get("MAIL_DEFAULT_SENDER", "Alliantie Kinderarmoede <noreply@example.org>"),
        MAIL_TIMEOUT=float(os.environ.get("MAIL_TIMEOUT", "10")),
        # Deliver in a background thread after commit, so a slow mail server never slows an RSVP.
        MAIL_DELIVER_IN_BACKGROUND=_env_bool("MAIL_DELIVER_IN_BACKGROUND", True),
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Off only for load tests from one address (bench/, tests/concurrency/); never in production.
        RATELIMIT_ENABLED=_env_bool("RATELIMIT_ENABLED", True),
        RATELIMIT_HEADERS_ENABLED=True,
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        LANGUAGES=("nl", "en"),
        DISPLAY_TIMEZONE="Europe/Amsterdam",
        PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
        # How many reverse proxies (nginx, Caddy) stand in front: their X-Forwarded-* headers are then
        # trusted, so the rate limits see each visitor's own address. 0: none, headers ignored.
        TRUSTED_PROXIES=int(os.environ.get("TRUSTED_PROXIES", "0")),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=env == "production",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=env == "production",
        WTF_CSRF_TIME_LIMIT=None,  # a form left open over lunch must still submit
    )
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]


def finish(app) -> None:
    """Check the merged configuration; fill what may be generated in development."""
    key = app.config.get("SECRET_KEY")
    if app.config["APP_ENV"] == "production":
        if not key or len(key) < 32 or key in {"dev", "change-me", "secret"}:
            raise ConfigError("APP_ENV=production needs SECRET_KEY set to a random value of at least 32 characters.")
        if not app.config["PUBLIC_BASE_URL"]:
            raise ConfigError("APP_ENV=production needs PUBLIC_BASE_URL (e.g. https://aanmelden.example.org) for links in mails.")
    elif not key:
        app.config["SECRET_KEY"] = _dev_secret_key(app.instance_path)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        # Wait for the writer instead of failing with "database is locked".
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
