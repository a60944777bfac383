"""Fixtures shared by every test: personas, clients logged in as them, and the audit flag."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Allow flushing the append-only audit table between transactional tests.

    The maintenance flag lifts the database's refusal of DELETE on audit events (see
    audit migration 0002); tests that prove the refusal delete the flag inside their own
    transaction first.
    """
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test suite')")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Each test starts with an empty cache: the file cache outlives a run, and a counter left by
    one test (wrong follow-up codes from an address) must not throttle the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def personas(db: Any) -> Any:
    from jixiao.demo.personas import make_personas

    return make_personas()


@pytest.fixture
def client_for(personas: Any) -> Any:
    """Return a function giving a test client logged in as the named persona (anonymous: none)."""

    def build(name: str) -> Client:
        client = Client()
        user = personas[name]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return build


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that create many users hash with MD5 instead.

    ``jixiao/common/tests/test_settings.py`` checks that the real setting is Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
