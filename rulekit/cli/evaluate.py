"""``rulekit evaluate FILE``: the decision for one dossier, as a report or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rulekit.api import evaluate, today
from rulekit.calendar import parse_iso_date
from rulekit.cli.output import report_errors
from rulekit.codec import decision_to_json
from rulekit.decision import Decision
from rulekit.dossier_io import read_bounded, read_dossier_bytes
from rulekit.errors import DossierError


def _as_of(text: str) -> str:
    """The ``--as-of`` text, checked as the API checks ``as_of`` (years 1900..2199)."""
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
    parser.add_argument(
        "--verbose", action="store_true", help="text report: list every piece of evidence"
    )
    parser.add_argument(
        "--dates",
        action="store_true",
        help="also say until when an eligible dossier stays eligible, or from when a "
        "not-eligible one becomes eligible by time alone (eligible_until, eligible_from)",
    )
    record = parser.add_argument_group("decision log (docs/audit.md)")
    record.add_argument(
        "--record",
        action="store_true",
        help="append the decision and the dossier, as given, to the decision log",
    )
    record.add_argument(
        "--log",
        metavar="PATH|URL",
        help="the log: a SQLite file or postgresql://... (default: $RULEKIT_LOG)",
    )
    record.add_argument(
        "--recorded-at",
        metavar="TIMESTAMP",
        help="recording time, e.g. 2024-06-01T09:30:00Z (default: now; for imports); "
        "never before the log's last record",
    )
    record.add_argument(
        "--signing-key",
        type=Path,
        metavar="FILE",
        help="sign the record with this private key (default: $RULEKIT_SIGNING_KEY_FILE, "
        "$RULEKIT_SIGNING_KEY; none: unsigned)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate the dossier and print the decision."""
    if (args.log or args.recorded_at or args.signing_key) and not args.record:
        print(
            "rulekit: error: --log, --recorded-at and --signing-key need --record",
            file=sys.stderr,
        )
        return 2
    if args.dates and args.record:
        # A replay re-evaluates a record without dates: the bytes would never match.
        print(
            "rulekit: error: --dates cannot be recorded (the decision log keeps decisions "
            "as replay remakes them); evaluate with --dates separately",
            file=sys.stderr,
        )
        return 2
    try:
        if str(args.file) == "-":
            data = read_bounded(sys.stdin.buffer, "standard input")
        else:
            data = read_dossier_bytes(args.file)
        as_of = parse_iso_date(args.as_of) if args.as_of else today()
        decision = evaluate(
            data,
            certification=args.certification,
            track=args.track,
            as_of=as_of,
            ruleset_version=args.ruleset_version,
            dates=args.dates,
        )
    except DossierError as exc:
        return report_errors(exc.errors, args.format)
    if args.record:
        _record(args, data, decision)
    if args.format == "json":
        sys.stdout.write(decision_to_json(decision, indent=2))
    else:
        from rulekit.report import render  # noqa: PLC0415 - only the text report needs it

        sys.stdout.write(render(decision, args.lang, verbose=args.verbose))
    return 0 if decision.eligible else 1


def _record(args: argparse.Namespace, data: bytes, decision: Decision) -> None:
    """Append the decision before it is shown, so that a shown decision is a recorded one."""
    # The decision log is imported only when recording (start-up time of plain evaluations).
    from rulekit.log import load_signer, log_target, open_log, record_decision  # noqa: PLC0415
    from rulekit.log.record import format_timestamp, parse_timestamp  # noqa: PLC0415

    recorded_at = parse_timestamp(args.recorded_at) if args.recorded_at else None
    if recorded_at is not None:
        format_timestamp(recorded_at)  # out of range: refused before the log is created
    signer = load_signer(args.signing_key)
    with open_log(log_target(args.log), create=True, signer=signer) as log:
        record = record_decision(log, data, decision, recorded_at=recorded_at)
        print(
            f"rulekit: recorded as record {record.seq} in {log.target} ({record.hash})",
            file=sys.stderr,
        )
