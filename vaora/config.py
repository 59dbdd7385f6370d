"""Reads vaora's configuration from the environment and refuses unsafe production settings.

Kept apart from settings.py so the rules can be tested without importing Django settings.
"""

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

# Development-only defaults. They are public (they are in the source), so outside debug mode
# the server refuses to start with them.
DEV_SECRET_KEY = "vaora-development-secret-key-do-not-use-in-production"  # noqa: S105
DEV_DATA_KEY = base64.b64encode(b"vaora-dev-data-key-not-for-prod!").decode()

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A setting is missing or unsafe; the message names the variable and how to fix it."""


@dataclass(frozen=True)
class Config:
    debug: bool
    secret_key: str
    data_key: bytes
    old_data_keys: tuple[bytes, ...]
    database_url: str
    public_url: str
    allowed_hosts: tuple[str, ...]
    retention_days: int
    sensitive_retention_days: int
    trusted_proxies: tuple[str, ...]
    sms_budget_per_hour: int
    sms_backend: str
    sms_http_url: str
    sms_http_token: str
    sms_rate: float
    sms_max_backoff_seconds: int
    late_upload_hours: int
    reminder_interval_hours: int
    travel_qr_days: int
    approval_threshold: int
    var_dir: Path


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; use 1 or 0.")


def _networks(env: dict[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated addresses or networks (10.0.0.5, 10.0.0.0/24, ::1); empty = none."""
    import ipaddress

    items = tuple(i.strip() for i in env.get(name, "").split(",") if i.strip())
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigError(f"{name}: {item!r} is not an IP address or network.") from None
    return items


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}.")
    return value


def _positive_float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number.") from None
    if not 0 < value <= 10_000:
        raise ConfigError(f"{name} must be above 0 and at most 10000, got {value}.")
    return value


def _decode_key(name: str, raw: str) -> bytes:
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        try:
            key = base64.urlsafe_b64decode(raw.strip())
        except (binascii.Error, ValueError):
            raise ConfigError(f"{name} is not base64. Make one with: vaora generate_keys") from None
    if len(key) != 32:
        raise ConfigError(f"{name} must decode to 32 bytes, got {len(key)}.")
    return key


def generate_keys() -> str:
    """Fresh production secrets as environment lines. Keep VAORA_DATA_KEY backed up: without it
    the encrypted personal data cannot be read."""
    import secrets

    data_key = base64.b64encode(secrets.token_bytes(32)).decode()
    return f"SECRET_KEY={secrets.token_urlsafe(50)}\nVAORA_DATA_KEY={data_key}\n"


def load(env: dict[str, str] | None = None) -> Config:
    """Builds the configuration; raises ConfigError naming the variable when it is unsafe."""
    env = dict(os.environ if env is None else env)
    debug = _flag(env, "VAORA_DEBUG", default=False)

    secret_key = env.get("SECRET_KEY", "")
    if not debug:
        if not secret_key:
            raise ConfigError("SECRET_KEY is not set. Production needs a long random value.")
        if secret_key == DEV_SECRET_KEY or len(secret_key) < 32:
            raise ConfigError(
                "SECRET_KEY is the development default or shorter than 32 characters."
            )
    secret_key = secret_key or DEV_SECRET_KEY

    raw_data_key = env.get("VAORA_DATA_KEY", "")
    if not debug:
        if not raw_data_key:
            raise ConfigError(
                "VAORA_DATA_KEY is not set. It encrypts personal data; keep it safe and backed up."
            )
        if raw_data_key.strip() == DEV_DATA_KEY:
            raise ConfigError("VAORA_DATA_KEY is the development default.")
    data_key = _decode_key("VAORA_DATA_KEY", raw_data_key or DEV_DATA_KEY)
    old_keys = tuple(
        _decode_key("VAORA_OLD_DATA_KEYS", part)
        for part in env.get("VAORA_OLD_DATA_KEYS", "").split(",")
        if part.strip()
    )

    public_url = env.get("VAORA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    parts = urlsplit(public_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"VAORA_PUBLIC_URL={public_url!r} must be an http(s) URL with a host.")
    if not debug and parts.scheme != "https":
        raise ConfigError("VAORA_PUBLIC_URL must use https outside debug mode.")
    hosts = {parts.hostname}
    hosts.update(h.strip() for h in env.get("VAORA_ALLOWED_HOSTS", "").split(",") if h.strip())
    if debug:
        hosts.update({"127.0.0.1", "localhost", "testserver"})

    sms_backend = env.get("VAORA_SMS_BACKEND", "outbox").strip().lower()
    if sms_backend not in {"outbox", "http"}:
        raise ConfigError(f"VAORA_SMS_BACKEND={sms_backend!r}: use 'outbox' or 'http'.")
    sms_http_url = env.get("VAORA_SMS_HTTP_URL", "").strip()
    if sms_backend == "http" and not sms_http_url.startswith(("https://", "http://")):
        raise ConfigError(
            "VAORA_SMS_HTTP_URL must be the gateway's URL when VAORA_SMS_BACKEND=http."
        )
    # Where the SQLite file, spooled uploads and mail files live (a state directory such as
    # /var/lib/vaora on a server; the test script gives each database run its own).
    var_dir = Path(env.get("VAORA_VAR_DIR") or BASE_DIR / "var").resolve()
    default_db = f"sqlite:///{var_dir / 'vaora.sqlite3'}"
    retention_days = _positive_int(env, "VAORA_RETENTION_DAYS", default=21)
    sensitive_days = _positive_int(env, "VAORA_SENSITIVE_RETENTION_DAYS",
                                   default=min(14, retention_days))  # fmt: skip
    if sensitive_days > retention_days:
        raise ConfigError(
            f"VAORA_SENSITIVE_RETENTION_DAYS ({sensitive_days}) must not be longer than "
            f"VAORA_RETENTION_DAYS ({retention_days}): sensitive places keep less, not more."
        )
    return Config(
        debug=debug,
        secret_key=secret_key,
        data_key=data_key,
        old_data_keys=old_keys,
        database_url=env.get("DATABASE_URL") or default_db,
        public_url=public_url,
        allowed_hosts=tuple(sorted(hosts)),
        retention_days=retention_days,
        sensitive_retention_days=sensitive_days,
        trusted_proxies=_networks(env, "VAORA_TRUSTED_PROXIES"),
        sms_budget_per_hour=_positive_int(env, "VAORA_SMS_BUDGET_PER_HOUR", default=2000),
        sms_backend=sms_backend,
        sms_http_url=sms_http_url,
        sms_http_token=env.get("VAORA_SMS_HTTP_TOKEN", ""),
        sms_rate=_positive_float(env, "VAORA_SMS_RATE", default=20.0),
        sms_max_backoff_seconds=_positive_int(env, "VAORA_SMS_MAX_BACKOFF_SECONDS", default=600),
        late_upload_hours=_positive_int(env, "VAORA_LATE_UPLOAD_HOURS", default=72),
        reminder_interval_hours=_positive_int(env, "VAORA_REMINDER_INTERVAL_HOURS", default=24),
        travel_qr_days=_positive_int(env, "VAORA_TRAVEL_QR_DAYS", default=3),
        approval_threshold=_positive_int(env, "VAORA_APPROVAL_THRESHOLD", default=200),
        var_dir=var_dir,
    )
