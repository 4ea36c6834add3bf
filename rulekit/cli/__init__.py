"""The ``rulekit`` command line: one module per sub-command, each registering its parser.

A sub-command's module is imported only when that sub-command runs (or for the full
``--help``), so that ``rulekit evaluate`` does not pay for the HTTP server, the decision log
or the certifier's kit: start-up time is most of a single evaluation's time.

Exit codes are one table for every command (:data:`EXIT_CODES`, printed by ``rulekit
--help`` and copied in README.md): a crash must never read as "not eligible", so an
internal error has a code of its own and one line on standard error, never a traceback
(``RULEKIT_DEBUG=1`` prints it). Output is UTF-8 whatever the locale.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Sequence

from rulekit.errors import RulekitError
from rulekit.version import ENGINE_VERSION

EXIT_OK = 0
EXIT_NEGATIVE = 1
EXIT_USAGE = 2
EXIT_NOT_REPLAYABLE = 3
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130
DEBUG_ENV = "RULEKIT_DEBUG"
"""Set to 1 to print the traceback of an internal error (exit code 4)."""

EXIT_CODES = """\
exit codes (every command):
  0    success: evaluate eligible; whatif eligible with the plan; batch ran
       (whatever the outcomes: each dossier's is in its row); log verify intact;
       replay identical or unchanged; plugin check clean; jury check lawful;
       certifications all plugins loaded
  1    a negative answer: evaluate not eligible; whatif not eligible with the
       plan; log verify or export found a bad record; replay defects or changes;
       plugin check findings; jury check shortfalls; certifications a plugin
       failed to load or was refused
  2    bad input or usage: an invalid dossier (every error with its JSON path), a
       date or number out of range, an unknown option, certification or track, a
       file or log that cannot be read or written, a log failing verification
  3    replay: some recorded rule-set versions are not installed
  4    internal error (please report it): one line on stderr; RULEKIT_DEBUG=1
       prints the traceback
  130  interrupted
"""
"""The exit codes of every command, as ``rulekit --help`` prints them (README.md copies it)."""

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
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rulekit {ENGINE_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        if command is None or name == command:
            importlib.import_module(module).register(sub)
    for child in sub.choices.values():
        child.epilog = child.epilog or "Exit codes of every command: rulekit --help."
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command named first in ``argv``, when it is one (else every one is loaded)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in SUBCOMMANDS else None
        if arg in ("-h", "--help", "--version"):
            return None
    return None


def utf8_output() -> None:
    """Write standard output and error as UTF-8 whatever the locale (``LC_ALL=C``, Latin-1).

    A learner's name outside the locale's charset must not crash the report after the
    decision was recorded; what UTF-8 cannot hold (a lone surrogate in a path) is written
    as a backslash escape.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def _internal_error(exc: BaseException) -> int:
    """Report an exception no command expected: one line, its own exit code."""
    if os.environ.get(DEBUG_ENV) == "1":
        import traceback  # noqa: PLC0415 - only an internal error prints one

        traceback.print_exception(exc, file=sys.stderr)
    message = " ".join(str(exc).split())[:500]
    print(
        f"rulekit: internal error (please report): {type(exc).__name__}: {message}"
        + ("" if os.environ.get(DEBUG_ENV) == "1" else f" ({DEBUG_ENV}=1 for details)"),
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code (:data:`EXIT_CODES`)."""
    utf8_output()
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser(_command(arguments))
        args = parser.parse_args(arguments)
        code: int = args.run(args)
    except RulekitError as exc:
        print(f"rulekit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # the machine's: a file, a port, a disk, not the input's
        print(f"rulekit: error: {_os_message(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the one place every other error ends up
        return _internal_error(exc)
    return code


def _os_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename is not None else ""
    return f"{where}{exc.strerror or exc}"


def _quiet_stdout() -> None:
    """After a closed pipe (``rulekit ... | head``), keep Python from failing at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
