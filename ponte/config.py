"""Configuration, read from the environment (``PONTE_*``) with safe defaults."""

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """Return PONTE_SECRET_KEY, or a key generated once and kept in the instance folder."""
    if key := os.environ.get("PONTE_SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _engine_options(database_url: str) -> dict:
    """Connection pool: PostgreSQL connections per Ponte process (docs/operations.md)."""
    options = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        # Each event holds a connection for a few ms; more greenlets wait their turn (gevent
        # yields while they wait). Processes x (size + overflow) must stay under the server's
        # max_connections.
        options["pool_size"] = int(os.environ.get("PONTE_DATABASE_POOL_SIZE", "10"))
        options["max_overflow"] = int(os.environ.get("PONTE_DATABASE_MAX_OVERFLOW", "10"))
        options["pool_timeout"] = 10
    return options


def from_environment(instance_path: Path) -> dict:
    """Build the Flask config dict for this process."""
    database_url = os.environ.get("PONTE_DATABASE_URL") or (
        f"sqlite:///{instance_path / 'ponte.sqlite3'}"
    )
    redis_url = os.environ.get("PONTE_REDIS_URL") or None
    origins = os.environ.get("PONTE_ALLOWED_ORIGINS", "")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PONTE_REDIS_URL": redis_url,
        # Photos and rendered publications (back them up with the database).
        # A self-hosted LibreTranslate server for machine drafts of translations; off if unset.
        "PONTE_LIBRETRANSLATE_URL": os.environ.get("PONTE_LIBRETRANSLATE_URL") or None,
        "PONTE_LIBRETRANSLATE_KEY": os.environ.get("PONTE_LIBRETRANSLATE_KEY") or None,
        "PONTE_FILES_DIR": os.environ.get("PONTE_FILES_DIR") or str(instance_path),
        # Where tablets reach this server (used for the join QR code); None = the request's host.
        "PONTE_BEHIND_PROXY": os.environ.get("PONTE_BEHIND_PROXY") == "1",
        "PONTE_PUBLIC_URL": os.environ.get("PONTE_PUBLIC_URL") or None,
        # The local time of sessions and activities (the calendar feed's time zone).
        "PONTE_TIMEZONE": os.environ.get("PONTE_TIMEZONE") or "Europe/Rome",
        # Extra origins allowed to open a Socket.IO connection; same-origin is always allowed.
        "PONTE_ALLOWED_ORIGINS": [o.strip() for o in origins.split(",") if o.strip()],
        # FULL: an acknowledged post survives a power cut, not only a crash (docs/operations.md).
        "PONTE_SQLITE_SYNCHRONOUS": os.environ.get("PONTE_SQLITE_SYNCHRONOUS", "FULL"),
        "PONTE_JOIN_FAILURES_LIMIT": os.environ.get("PONTE_JOIN_FAILURES_LIMIT", "30 per minute"),
        # Failed joins from all addresses together: a botnet guessing codes gets nowhere.
        "PONTE_JOIN_FAILURES_GLOBAL_LIMIT": os.environ.get(
            "PONTE_JOIN_FAILURES_GLOBAL_LIMIT", "300 per minute"
        ),
        "PONTE_LOGIN_LIMIT": os.environ.get("PONTE_LOGIN_LIMIT", "10 per minute"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("PONTE_SECURE_COOKIES") == "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("PONTE_SECURE_COOKIES") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }
