"""Outside debug mode the server refuses to start with a missing or default secret, naming it."""

import os
import subprocess
import sys

import pytest

from vaora import config

GOOD = {
    "SECRET_KEY": "a-real-production-secret-that-is-long-enough-0123456789",
    "VAORA_DATA_KEY": "cHJvZHVjdGlvbi1kYXRhLWtleS0zMi1ieXRlcy1vayE=",
    "VAORA_PUBLIC_URL": "https://vaora.nghean.gov.vn",
}


def start_server_with(env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    """Runs `vaora check` (Django starts, loads settings) in a clean environment."""
    env = {k: v for k, v in os.environ.items() if k not in GOOD and k != "VAORA_DEBUG"}
    env |= GOOD
    for name, value in env_overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-m", "vaora.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_starts_with_real_secrets():
    result = start_server_with({})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": config.DEV_SECRET_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"VAORA_DATA_KEY": None}, "VAORA_DATA_KEY"),
        ({"VAORA_DATA_KEY": config.DEV_DATA_KEY}, "VAORA_DATA_KEY"),
        ({"VAORA_DATA_KEY": "bm90LTMyLWJ5dGVz"}, "VAORA_DATA_KEY"),
        ({"VAORA_DATA_KEY": "%%%not base64%%%"}, "VAORA_DATA_KEY"),
        ({"VAORA_PUBLIC_URL": "http://vaora.example"}, "VAORA_PUBLIC_URL"),
    ],
    ids=[
        "missing secret key",
        "default secret key",
        "short secret key",
        "missing data key",
        "default data key",
        "data key of wrong length",
        "data key not base64",
        "public url without https",
    ],
)
def test_it_refuses_to_start_and_names_the_variable(overrides, named):
    result = start_server_with(overrides)
    assert result.returncode != 0
    assert "vaora refuses to start" in result.stderr
    assert named in result.stderr


def test_it_allows_development_defaults_only_in_debug_mode():
    loaded = config.load({"VAORA_DEBUG": "1"})
    assert loaded.debug
    assert loaded.secret_key == config.DEV_SECRET_KEY
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load({"VAORA_DEBUG": "0"})


def test_it_reads_retention_and_rejects_nonsense():
    assert config.load({"VAORA_DEBUG": "1"}).retention_days == 21
    assert config.load({"VAORA_DEBUG": "1", "VAORA_RETENTION_DAYS": "14"}).retention_days == 14
    with pytest.raises(config.ConfigError, match="VAORA_RETENTION_DAYS"):
        config.load({"VAORA_DEBUG": "1", "VAORA_RETENTION_DAYS": "three weeks"})
    with pytest.raises(config.ConfigError, match="VAORA_DEBUG"):
        config.load({"VAORA_DEBUG": "maybe"})


def test_it_opens_sqlite_in_wal_mode_with_normal_sync_and_a_busy_timeout(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas apply to the SQLite backend only")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000


def test_it_generates_secrets_the_server_accepts_even_before_any_key_exists():
    import os

    env = {k: v for k, v in os.environ.items() if k not in GOOD and k != "VAORA_DEBUG"}
    printed = subprocess.run(
        [sys.executable, "-m", "vaora.cli", "generate_keys"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    generated = dict(line.split("=", 1) for line in printed.splitlines())
    loaded = config.load(generated | {"VAORA_PUBLIC_URL": "https://vaora.example"})
    assert loaded.secret_key == generated["SECRET_KEY"] and len(loaded.data_key) == 32
