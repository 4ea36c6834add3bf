"""A throwaway PostgreSQL server for the test suite (used by scripts/check.py).

When ``initdb`` and ``pg_ctl`` are found (on PATH, else in Debian's
/usr/lib/postgresql/*/bin), :func:`throwaway_postgres` creates a cluster in a fresh
temporary directory, starts it listening only on a Unix socket in that directory (no TCP
port, so nothing clashes with another server), creates the database ``rulekit_test`` and
yields its URL; the server is stopped and the directory removed on the way out, even when
the tests fail.

initdb refuses to run as root (CI runs as root), so as root the cluster is created and run
as the unprivileged user ``nobody`` through ``runuser`` (or ``setpriv``); the test
processes, as root, still reach the socket.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

SERVER_USER = "nobody"
"""The account the server runs as when the tests run as root."""


def find_bindir() -> Path | None:
    """Return the directory of initdb, pg_ctl and createdb, or ``None`` when absent."""
    initdb = shutil.which("initdb")
    if initdb is not None and shutil.which("pg_ctl") is not None:
        return Path(initdb).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def as_server_user() -> tuple[list[str], int | None]:
    """Return the command prefix that runs a program as the server's user, and its uid.

    Empty (and ``None``) when not root: the server runs as the current user.

    :raises RuntimeError: as root, when neither runuser nor setpriv nor ``nobody`` exists.
    """
    if os.geteuid() != 0:
        return [], None
    try:
        account = pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise RuntimeError(
            f"running as root and no user {SERVER_USER!r} to run PostgreSQL"
        ) from None
    if shutil.which("runuser"):
        return ["runuser", "-u", SERVER_USER, "--"], account.pw_uid
    if shutil.which("setpriv"):
        prefix = [
            "setpriv",
            f"--reuid={account.pw_uid}",
            f"--regid={account.pw_gid}",
            "--clear-groups",
        ]
        return prefix, account.pw_uid
    raise RuntimeError("running as root and neither runuser nor setpriv to drop privileges")


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """Start a temporary server; yield its URL (``None`` when PostgreSQL is not installed)."""
    bindir = find_bindir()
    if bindir is None:
        yield None
        return
    prefix, uid = as_server_user()
    # SIGTERM (a CI time limit, say) must still stop the server: make it unwind like ^C.
    previous = signal.signal(signal.SIGTERM, _terminate)
    home = Path(tempfile.mkdtemp(prefix="rulekit-pg-"))
    data = home / "data"
    started = False

    def run(*command: str | Path) -> None:
        subprocess.run(
            [*prefix, *map(str, command)],
            cwd=home,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    try:
        if uid is not None:
            os.chown(home, uid, -1)
        run(
            bindir / "initdb",
            "-D",
            data,
            "-U",
            "rulekit",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = f"-k {home} -c listen_addresses='' -c fsync=off"
        run(
            bindir / "pg_ctl",
            "-D",
            data,
            "-l",
            home / "server.log",
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        started = True
        run(bindir / "createdb", "-h", home, "-U", "rulekit", "rulekit_test")
        yield f"postgresql://rulekit@/rulekit_test?host={home}"
    except subprocess.CalledProcessError as exc:
        log = home / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"{exc.cmd[len(prefix)]} failed: {exc.stderr}{tail}") from None
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                cwd=home,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(home, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
