"""What the sub-commands print the same way: bad input, every error with its JSON path."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from rulekit.errors import InputError


def report_errors(errors: Sequence[InputError], fmt: str) -> int:
    """Print every error on stderr (and as ``rulekit.errors/1`` on stdout with JSON); return 2."""
    for error in errors:
        print(f"rulekit: error: {error}", file=sys.stderr)
    if fmt == "json":
        payload = {
            "format": "rulekit.errors/1",
            "errors": [{"path": e.path, "message": e.message} for e in errors],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 2
