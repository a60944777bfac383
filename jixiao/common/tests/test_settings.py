"""Security and database settings as DESIGN.md requires them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from jixiao.settings import database_from_url

ROOT = Path(__file__).resolve().parents[3]


def test_passwords_are_hashed_with_argon2() -> None:
    import jixiao.settings as project

    assert project.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_is_throttled_and_required() -> None:
    assert "axes" in settings.INSTALLED_APPS
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


def test_sqlite_uses_immediate_transactions_wal_and_a_timeout() -> None:
    entry = database_from_url("sqlite:////tmp/x.sqlite3")
    options = entry["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        ("postgres://postgres@127.0.0.1:5432/jixiao", "django.db.backends.postgresql", "jixiao"),
        ("mysql://root:@127.0.0.1:3306/jixiao", "django.db.backends.mysql", "jixiao"),
    ],
)
def test_database_url_chooses_the_server(url: str, engine: str, name: str) -> None:
    entry = database_from_url(url)
    assert entry["ENGINE"] == engine and entry["NAME"] == name and entry["HOST"] == "127.0.0.1"


def test_an_unknown_database_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        database_from_url("oracle://x/y")


def test_deploy_check_reports_nothing_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "JIXIAO_PRODUCTION": "1",
        "JIXIAO_DATA_DIR": str(tmp_path),
        "JIXIAO_ALLOWED_HOSTS": "jixiao.example.cn",
    }
    env.pop("JIXIAO_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "jixiao.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "secret_key").exists()
