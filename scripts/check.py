"""The whole test suite, as one command: ruff, mypy, then pytest.

Run it with the project's virtual environment (README, second set-up command):
``.venv/bin/python scripts/check.py``. Extra arguments go to pytest. Exits non-zero at the
first failing step, naming it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
