"""Fixtures for the decision-log, replay and rule-set version tests.

``log_target`` runs each log test on SQLite and on PostgreSQL: the PostgreSQL run gets a
fresh schema in the server named by ``RULEKIT_TEST_POSTGRES`` (scripts/check.py starts a
throwaway one) and is skipped, saying so, when no server is given.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from rulekit.registry import Registry, discover
from tests.plugins import fictitious_versions

POSTGRES_ENV = "RULEKIT_TEST_POSTGRES"
SKIP_POSTGRES = (
    f"{POSTGRES_ENV} is unset, so there is no PostgreSQL server to test against "
    "(scripts/check.py starts a throwaway one when initdb and pg_ctl are installed)"
)


def postgres_url() -> str | None:
    """The test server's URL, or ``None``."""
    return os.environ.get(POSTGRES_ENV) or None


def with_schema(url: str, schema: str) -> str:
    """Return ``url`` with the connection's search_path set to ``schema``."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def new_postgres_target() -> str:
    """Create an empty schema in the test server; return a URL that works inside it."""
    import psycopg  # noqa: PLC0415  (only when a server is there)

    url = postgres_url()
    if url is None:
        pytest.skip(SKIP_POSTGRES)
    schema = f"rulekit_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return with_schema(url, schema)


def new_target(backend: str, directory: Path) -> str:
    """Return a fresh, empty log target of ``backend`` (``sqlite`` or ``postgres``)."""
    if backend == "sqlite":
        return str(directory / f"decisions-{uuid.uuid4().hex[:8]}.db")
    return new_postgres_target()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each log test runs on both backends; PostgreSQL skips without a server."""
    name: str = request.param
    if name == "postgres" and postgres_url() is None:
        pytest.skip(SKIP_POSTGRES)
    return name


@pytest.fixture
def log_target(backend: str, tmp_path: Path) -> str:
    """A fresh, empty decision log on the current backend."""
    return new_target(backend, tmp_path)


@pytest.fixture(scope="session")
def audit_registry() -> Registry:
    """The installed plugins plus the fictitious two-version plugin."""
    plugins, _ = discover()
    return Registry.from_plugins([*plugins, fictitious_versions.plugin_info()])
