"""A decision-log writer process for the crash and concurrency tests.

``python -m tests.audit.writer TARGET DOSSIER DECISION COUNT [--wait]`` appends COUNT
records (the given dossier and decision files' bytes) and prints ``ack SEQ HASH`` after
each append returns, that is once the record is committed: what a caller is entitled to
rely on. With ``--wait`` it opens the log, then waits for a line on stdin before writing,
so that several writers start appending at the same moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rulekit.log import open_log


def main(argv: list[str]) -> int:
    """Append the records, acknowledging each on stdout."""
    target, dossier_file, decision_file, count = argv[:4]
    dossier = Path(dossier_file).read_bytes()
    decision = Path(decision_file).read_bytes()
    with open_log(target, create=True) as log:
        if "--wait" in argv[4:]:
            sys.stdin.readline()
        for _ in range(int(count)):
            # No time given: the log reads it under its write lock, never going backwards.
            record = log.append(None, dossier, decision)
            print(f"ack {record.seq} {record.hash}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
