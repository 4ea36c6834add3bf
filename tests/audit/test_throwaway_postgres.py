"""scripts/throwaway_postgres.py: the server check.py starts really starts, and goes away."""

from __future__ import annotations

import importlib.util
import os
import pwd
from pathlib import Path
from types import ModuleType

import pytest

from tests.audit.helpers import ROOT


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "throwaway_postgres", ROOT / "scripts" / "throwaway_postgres.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


throwaway = _load()


@pytest.mark.skipif(throwaway.find_bindir() is None, reason="initdb/pg_ctl are not installed")
def test_cluster_starts_as_an_unprivileged_user_and_is_removed() -> None:
    """A real server answers; as root it runs as 'nobody'; its directory is gone after."""
    import psycopg  # noqa: PLC0415

    with throwaway.throwaway_postgres() as url:
        assert url is not None
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT current_database()").fetchone()
            assert row == ("rulekit_test",)
        home = Path(url.split("host=", 1)[1])
        owner = (home / "data").stat().st_uid
        expected = pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else os.geteuid()
        assert owner == expected
    assert not home.exists()


def test_root_runs_the_server_through_runuser_or_setpriv() -> None:
    """As root the command prefix drops to 'nobody'; otherwise there is none."""
    prefix, uid = throwaway.as_server_user()
    if os.geteuid() == 0:
        assert prefix[0] in ("runuser", "setpriv")
        assert uid == pwd.getpwnam("nobody").pw_uid
    else:
        assert (prefix, uid) == ([], None)
