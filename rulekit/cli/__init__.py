"""The ``rulekit`` command line: one module per sub-command, each registering its parser.

Exit codes: 0 success (for ``evaluate``: eligible), 1 a negative answer (not eligible,
problems found), 2 bad input or usage. Errors never print a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rulekit.cli import batch, certifications, evaluate, import_rncp, log, plugin, replay, serve
from rulekit.errors import RulekitError
from rulekit.version import ENGINE_VERSION

EXIT_OK = 0
EXIT_NEGATIVE = 1
EXIT_USAGE = 2

SUBCOMMANDS = (evaluate, batch, certifications, serve, log, replay, plugin, import_rncp)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="rulekit",
        description="Decide, with reasons, whether a dossier meets a certification.",
    )
    parser.add_argument("--version", action="version", version=f"rulekit {ENGINE_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except RulekitError as exc:
        print(f"rulekit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return code
