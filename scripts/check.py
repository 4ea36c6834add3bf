"""The whole test suite, as one command: ruff, mypy, then pytest.

Run it with the project's virtual environment (README, second set-up command):
``.venv/bin/python scripts/check.py``. Extra arguments go to pytest. Exits non-zero at the
first failing step, naming it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from throwaway_postgres import throwaway_postgres

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "RULEKIT_TEST_POSTGRES"


def main(argv: list[str]) -> int:
    """Run each step; return the first non-zero exit code."""
    python = sys.executable
    steps = [
        ("ruff check", [python, "-m", "ruff", "check", "."]),
        ("ruff format", [python, "-m", "ruff", "format", "--check", "."]),
        ("mypy", [python, "-m", "mypy"]),
        ("pytest", [python, "-m", "pytest", *argv]),
    ]
    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        if POSTGRES_ENV not in env:
            # A real server for the decision-log tests; they skip, saying why, without one.
            url = stack.enter_context(throwaway_postgres())
            print(f"==> PostgreSQL: {url or 'initdb/pg_ctl not found, its tests will skip'}")
            if url:
                env[POSTGRES_ENV] = url
        for name, command in steps:
            print(f"==> {name}", flush=True)
            code = subprocess.call(command, cwd=ROOT, env=env)
            if code != 0:
                print(f"==> {name} failed (exit {code})", file=sys.stderr)
                return code
    print("==> all checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
