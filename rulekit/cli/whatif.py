"""``rulekit whatif DOSSIER --plan PLAN``: the decision as if a plan happened, and what changes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rulekit.api import today
from rulekit.calendar import parse_iso_date
from rulekit.cli.evaluate import _as_of
from rulekit.dossier_io import MAX_BYTES, read_dossier_bytes
from rulekit.errors import DossierError, InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``whatif`` sub-command."""
    parser = sub.add_parser(
        "whatif",
        help="the decision as if a plan happened",
        description="Evaluate a dossier (rulekit.dossier/1) as it stands and as if a plan "
        "(rulekit.plan/1: units and blocs planned with their dates, periods planned) "
        "happened, and say what changes, requirement by requirement. Exit 0 eligible with "
        "the plan, 1 not eligible with the plan, 2 bad input or usage.",
    )
    parser.add_argument("file", type=Path, help="the dossier JSON file ('-' for stdin)")
    parser.add_argument("--plan", type=Path, required=True, help="the plan JSON file")
    parser.add_argument("--certification", help="certification id (overrides the dossier's)")
    parser.add_argument("--track", help="evaluate this track only")
    parser.add_argument(
        "--as-of",
        type=_as_of,
        help="date of the decision as it stands, YYYY-MM-DD (default: today in France)",
    )
    parser.add_argument("--ruleset-version", help="evaluate with this rule-set version")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.set_defaults(run=run)


def _report_errors(errors: dict[str, tuple[InputError, ...]], fmt: str) -> int:
    """Every error, naming the document it is in (``dossier`` or ``plan``) and its path."""
    for source, found in errors.items():
        for error in found:
            print(f"rulekit: error: {source}: {error}", file=sys.stderr)
    if fmt == "json":
        payload = {
            "format": "rulekit.errors/1",
            "errors": [
                {"source": source, "path": e.path, "message": e.message}
                for source, found in errors.items()
                for e in found
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 2


def run(args: argparse.Namespace) -> int:
    """Evaluate the dossier without and with the plan and print the comparison."""
    from rulekit.what_if import read_plan, render_whatif, whatif, whatif_to_dict  # noqa: PLC0415

    errors: dict[str, tuple[InputError, ...]] = {}
    data = b""
    try:
        if str(args.file) == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            data = read_dossier_bytes(args.file)
    except DossierError as exc:
        errors["dossier"] = exc.errors
    plan = None
    try:
        plan = read_plan(read_dossier_bytes(args.plan))
    except DossierError as exc:
        errors["plan"] = exc.errors
    if errors or plan is None:
        return _report_errors(errors, args.format)
    as_of = parse_iso_date(args.as_of) if args.as_of else today()
    try:
        result = whatif(
            data,
            plan,
            certification=args.certification,
            track=args.track,
            as_of=as_of,
            ruleset_version=args.ruleset_version,
        )
    except DossierError as exc:
        source = "plan" if [e.path for e in exc.errors] == ["on"] else "dossier"
        return _report_errors({source: exc.errors}, args.format)
    if args.format == "json":
        text = json.dumps(whatif_to_dict(result), ensure_ascii=False, indent=2)
        sys.stdout.write(text + "\n")
    else:
        sys.stdout.write(render_whatif(result, args.lang))
    return 0 if result.after.eligible else 1
