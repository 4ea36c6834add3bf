"""The ``rulekit`` command line: one module per sub-command, each registering its parser.

A sub-command's module is imported only when that sub-command runs (or for the full
``--help``), so that ``rulekit evaluate`` does not pay for the HTTP server, the decision log
or the certifier's kit: start-up time is most of a single evaluation's time.

Exit codes: 0 success (for ``evaluate``: eligible), 1 a negative answer (not eligible,
problems found), 2 bad input or usage. Errors never print a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rulekit.errors import RulekitError
from rulekit.version import ENGINE_VERSION

EXIT_OK = 0
EXIT_NEGATIVE = 1
EXIT_USAGE = 2

SUBCOMMANDS = {
    "evaluate": "rulekit.cli.evaluate",
    "batch": "rulekit.cli.batch",
    "certifications": "rulekit.cli.certifications",
    "serve": "rulekit.cli.serve",
    "log": "rulekit.cli.log",
    "replay": "rulekit.cli.replay",
    "plugin": "rulekit.cli.plugin",
    "import-rncp": "rulekit.cli.import_rncp",
    "jury": "rulekit.cli.jury",
    "whatif": "rulekit.cli.whatif",
}
"""Each sub-command and the module that registers and runs it, in the order of ``--help``."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the parser of ``command`` only, or of every sub-command when it is None."""
    parser = argparse.ArgumentParser(
        prog="rulekit",
        description="Decide, with reasons, whether a dossier meets a certification.",
    )
    parser.add_argument("--version", action="version", version=f"rulekit {ENGINE_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        if command is None or name == command:
            importlib.import_module(module).register(sub)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command named first in ``argv``, when it is one (else every one is loaded)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in SUBCOMMANDS else None
        if arg in ("-h", "--help", "--version"):
            return None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(arguments))
    args = parser.parse_args(arguments)
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
