"""Instructions a Python process executes, counted by Valgrind's callgrind (benchmarks only).

An instruction count does not move with the load of a shared machine, as times do; the
hash seed is fixed so that a run gives the same figure on any machine with the same Python
and libraries. Shared by ``instructions.py`` and ``http_load.py --instructions``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

_COLLECTED = re.compile(r"Collected : (\d+)")


def count(arguments: list[str], what: str) -> int:
    """Return the instructions of ``python ARGUMENTS``, whole process, under callgrind.

    :raises SystemExit: naming ``what`` when the process or callgrind fails.
    """
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, *arguments]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind failed for {what}:\n{done.stderr[-2000:]}")
    return int(found.group(1))
