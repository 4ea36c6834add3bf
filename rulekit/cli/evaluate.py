"""``rulekit evaluate FILE``: the decision for one dossier, as a report or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rulekit.api import evaluate, today
from rulekit.calendar import parse_iso_date
from rulekit.codec import decision_to_json
from rulekit.dossier_io import MAX_BYTES, read_limited
from rulekit.errors import DossierError, InputError
from rulekit.report import render


def _as_of(text: str) -> str:
    try:
        parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evaluate`` sub-command."""
    parser = sub.add_parser(
        "evaluate",
        help="evaluate a dossier",
        description="Evaluate a dossier (JSON rulekit.dossier/1). Exit 0 eligible, "
        "1 not eligible, 2 bad input or usage.",
    )
    parser.add_argument("file", type=Path, help="the dossier JSON file ('-' for stdin)")
    parser.add_argument("--certification", help="certification id (overrides the dossier's)")
    parser.add_argument("--track", help="evaluate this track only")
    parser.add_argument(
        "--as-of", type=_as_of, help="decision date YYYY-MM-DD (default: today in France)"
    )
    parser.add_argument("--ruleset-version", help="evaluate with this rule-set version")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.set_defaults(run=run)


def _report_errors(errors: tuple[InputError, ...], fmt: str) -> int:
    for error in errors:
        print(f"rulekit: error: {error}", file=sys.stderr)
    if fmt == "json":
        payload = {
            "format": "rulekit.errors/1",
            "errors": [{"path": e.path, "message": e.message} for e in errors],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 2


def run(args: argparse.Namespace) -> int:
    """Evaluate the dossier and print the decision."""
    try:
        if str(args.file) == "-":
            dossier = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            dossier = read_limited(args.file)
        as_of = parse_iso_date(args.as_of) if args.as_of else today()
        decision = evaluate(
            dossier,
            certification=args.certification,
            track=args.track,
            as_of=as_of,
            ruleset_version=args.ruleset_version,
        )
    except DossierError as exc:
        return _report_errors(exc.errors, args.format)
    if args.format == "json":
        sys.stdout.write(decision_to_json(decision, indent=2))
    else:
        sys.stdout.write(render(decision, args.lang))
    return 0 if decision.eligible else 1
