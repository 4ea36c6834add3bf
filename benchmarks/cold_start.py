"""Benchmark: cold start of ``rulekit evaluate FILE`` as a ratio of ``python -c pass``.

Not a test: it prints figures. Each command is run N times in fresh processes, the two
alternating so that both see the same load on a shared machine; the medians and their
ratio are printed (the target is a ratio of at most 3). ``import rulekit`` alone is
measured the same way.

Before timing, each command runs once with bytecode caching on (``PYTHONDONTWRITEBYTECODE``
unset for that run), so that what is timed is a start-up with the ``.pyc`` files an
installation has (pip compiles them; an editable install writes them on first import),
not one compiling every module from source because the environment forbids writing them.
The console script (``rulekit`` next to the interpreter) is timed too when installed.

Usage: ``.venv/bin/python benchmarks/cold_start.py [--runs N] [FILE]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "casp_national.json"


def _seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - started


def main() -> None:
    """Time the commands and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("file", nargs="?", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    python = sys.executable
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import rulekit'": [python, "-c", "import rulekit"],
        "rulekit evaluate FILE": [
            python,
            "-c",
            "import sys; from rulekit.cli import main; sys.exit(main())",
            "evaluate",
            str(args.file),
            "--as-of",
            "2023-07-01",
        ],
    }
    script = Path(python).with_name("rulekit")
    if script.exists():
        commands["rulekit evaluate (script)"] = [
            str(script),
            *commands["rulekit evaluate FILE"][3:],
        ]
    caching = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in commands.values():
        _seconds(command, caching)  # writes the bytecode caches, if they are missing
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_seconds(command))
    floor = statistics.median(times["python -c pass"])
    print(f"{'command':<30}{'median ms':>11}{'ratio':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<30}{median * 1000:>11.1f}{median / floor:>8.2f}")


if __name__ == "__main__":
    main()
