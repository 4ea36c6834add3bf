"""``rulekit jury check JURY.json``: whether a jury is lawful under the declared composition."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rulekit.cli.output import report_errors
from rulekit.declaration import Route
from rulekit.jury import JuryCheck, JuryFileError, check, read_jury
from rulekit.jury.io import MAX_BYTES, load_jury
from rulekit.jury.words import NNBSP

ROUTES = tuple(route.value for route in Route)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``jury`` sub-command and its ``check`` action."""
    parser = sub.add_parser(
        "jury",
        help="check a jury against the declared composition",
        description="Juries of a certification (JSON rulekit.jury/1, schema in "
        "rulekit/schemas/jury.schema.json).",
    )
    actions = parser.add_subparsers(dest="jury_command", required=True, metavar="ACTION")
    checking = actions.add_parser(
        "check",
        help="is this jury lawful?",
        description="Compare a jury file with the jury composition the certification "
        "declares for the route, and name each shortfall. Exit 0 lawful, 1 shortfalls, "
        "2 bad input or usage.",
    )
    checking.add_argument("file", type=Path, help="the jury JSON file ('-' for stdin)")
    checking.add_argument("--certification", help="certification id (default: the file's)")
    checking.add_argument(
        "--route", choices=ROUTES, help="the access route the jury sat for (default: the file's)"
    )
    checking.add_argument("--format", choices=("text", "json"), default="text")
    checking.add_argument("--lang", choices=("fr", "en"), default="fr")
    checking.set_defaults(run=run)


def render(result: JuryCheck, lang: str) -> str:
    """The check as a short text report for jury staff, in ``lang`` (``fr`` or ``en``)."""
    cert = result.certification
    summary = result.summary()
    colon = f"{NNBSP}:" if lang == "fr" else ":"
    if lang == "fr":
        lines = [
            summary.fr,
            f"Titre{colon} {cert.title} ({cert.rncp}), version {cert.version} des règles.",
            f"Composition prévue par la fiche{colon} {result.composition}",
        ]
    else:
        lines = [
            summary.en,
            f"Title{colon} {cert.title} ({cert.rncp}), rule set version {cert.version}.",
            f"Composition in the RNCP fiche (in French){colon} {result.composition}",
        ]
    for finding in result.findings:
        lines.append(f"- {finding.message.fr if lang == 'fr' else finding.message.en}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Read the jury file, check it and print the result."""
    try:
        if str(args.file) == "-":
            jury = load_jury(sys.stdin.buffer.read(MAX_BYTES + 1))
        else:
            jury = read_jury(args.file)
        result = check(jury, args.certification, args.route)
    except JuryFileError as exc:
        return report_errors(exc.errors, args.format)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(result, args.lang))
    return 0 if result.lawful else 1
