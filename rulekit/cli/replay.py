"""``rulekit replay``: re-evaluate recorded decisions, exactly or against today's rules.

Exit codes, exact replay: 0 every decision byte-identical; 1 anything else with the recorded
rule set installed (a defect, or an engine upgrade: byte identity is required whenever the
recorded rule set is installed, docs/audit.md "Replaying decisions", and the status says
which and what to install); 3 no such difference, but some recorded rule-set versions are
not installed (the output names the plugin version that holds them).
With ``--current``: 0 no decision changed; 1 some changed, or could not be evaluated.
2: bad usage, or a log that cannot be read or fails verification: the records to replay
(all of them, or 1 to the highest ID asked for) are verified first, signatures included
with ``--public-key``, and nothing is replayed from a broken or forged chain.
The last line of text output is a summary for scripts (``summary mode=... key=count``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date

from rulekit.api import today
from rulekit.calendar import parse_iso_date
from rulekit.cli.log import public_key_option, seq_number, verified
from rulekit.errors import RulekitError
from rulekit.log import load_verifier, log_target, open_log
from rulekit.log.record import Record
from rulekit.registry import default_registry
from rulekit.replay import ReplayResult, replay_current, replay_exact
from rulekit.version import ENGINE_VERSION

EXACT_STATUSES = ("identical", "defect", "not_installed", "engine_changed")
CURRENT_STATUSES = ("unchanged", "changed", "error")
EXIT_NOT_REPLAYABLE = 3


def _day(text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``replay`` sub-command."""
    parser = sub.add_parser(
        "replay",
        help="re-evaluate recorded decisions",
        description="Re-evaluate recorded decisions with their recorded rule set (must be "
        "byte-identical) or, with --current, with the rules in force today (requirement-level "
        "diff). The records are verified first. Exit 0 all identical/unchanged, "
        "1 defects/changes, 2 usage or a log failing verification, 3 some decisions not "
        "replayable with what is installed.",
    )
    parser.add_argument("ids", nargs="*", type=seq_number, metavar="ID", help="record numbers")
    parser.add_argument("--since", type=_day, help="records recorded on or after DATE (UTC)")
    parser.add_argument("--until", type=_day, help="records recorded on or before DATE (UTC)")
    parser.add_argument("--all", action="store_true", help="every record of the log")
    parser.add_argument(
        "--current",
        action="store_true",
        help="evaluate with the rule set in force today and show what changed",
    )
    parser.add_argument(
        "--rules-as-of",
        type=_day,
        metavar="DATE",
        help="with --current: the day whose rules apply (default: today in France)",
    )
    parser.add_argument(
        "--log", metavar="PATH|URL", help="SQLite file or postgresql://... (default: $RULEKIT_LOG)"
    )
    public_key_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def _text(result: ReplayResult) -> list[str]:
    head = (
        f"#{result.seq} {result.recorded_at} learner {result.learner} {result.certification} "
        f"as of {result.as_of}: {result.status.upper()}: {result.detail}"
    )
    lines = [head]
    for change in result.differences:
        lines.append(f"    {change}")
    if result.difference_count > len(result.differences):
        lines.append(f"    ... {result.difference_count - len(result.differences)} more")
    if result.track is not None:
        lines.append(f"    track: {result.track[0]} -> {result.track[1]}")
    if result.outcome is not None:
        lines.append(f"    outcome: {result.outcome[0]} -> {result.outcome[1]}")
    for req in result.requirements:
        lines.append(
            f"    requirement {req.id} ({', '.join(req.aspects)}): "
            f"{_state(req.old)} -> {_state(req.new)}"
        )
        if req.causes:
            lines.extend(f"        because {cause}" for cause in req.causes)
        elif result.rule_changes:
            lines.append(
                "        no declaration field of this requirement changed; "
                "see the rule changes below"
            )
        else:
            lines.append(
                "        no declaration change explains it (same rule set: engine "
                f"{ENGINE_VERSION} differs from the recording's?)"
            )
    if result.requirements and result.rule_changes:
        lines.append("    rule changes:")
        lines.extend(f"        {change}" for change in result.rule_changes)
    return lines


def _state(requirement: dict[str, object] | None) -> str:
    if requirement is None:
        return "absent"
    met = "met" if requirement.get("met") else "unmet"
    basis = requirement.get("basis")
    text = f"{met} ({basis})" if basis else met
    missing = requirement.get("missing")
    if isinstance(missing, list) and missing:
        text += " missing " + json.dumps(missing, ensure_ascii=False, sort_keys=True)
    return text


def _check_usage(args: argparse.Namespace) -> None:
    if not (args.ids or args.since or args.until or args.all):
        raise RulekitError("name record IDs, or --since/--until DATE, or --all")
    if args.ids and (args.since or args.until or args.all):
        raise RulekitError("give record IDs or --since/--until/--all, not both")
    if args.rules_as_of and not args.current:
        raise RulekitError("--rules-as-of needs --current")


def run(args: argparse.Namespace) -> int:
    """Replay the selected records and print one result each, then a summary."""
    _check_usage(args)
    registry = default_registry()
    rules_day = args.rules_as_of or today()
    verifier = load_verifier(args.public_key)
    results: list[ReplayResult] = []
    with open_log(log_target(args.log)) as log:
        verified(log, verifier, max(args.ids) if args.ids else None)
        if args.ids:
            records: Iterator[Record] = (log.get(seq) for seq in args.ids)
        else:
            records = log.records(args.since, args.until)
        for record in records:
            if args.current:
                result = replay_current(record, registry, rules_day)
            else:
                result = replay_exact(record, registry)
            results.append(result)
            if args.format == "text":
                print("\n".join(_text(result)), flush=True)
    mode = "current" if args.current else "exact"
    statuses = CURRENT_STATUSES if args.current else EXACT_STATUSES
    counts = Counter(result.status for result in results)
    if args.format == "json":
        payload = {
            "format": "rulekit.replay/1",
            "mode": mode,
            "rules_as_of": rules_day.isoformat() if args.current else None,
            "engine_version": ENGINE_VERSION,
            "results": [result.to_json() for result in results],
            "summary": {"replayed": len(results), **{s: counts[s] for s in statuses}},
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        parts = " ".join(f"{s}={counts[s]}" for s in statuses)
        print(f"summary mode={mode} replayed={len(results)} {parts}")
    return _exit_code(counts, current=args.current)


def _exit_code(counts: Counter[str], *, current: bool) -> int:
    """Return the exit code for these status counts (module doc)."""
    if current:
        return 1 if counts["changed"] or counts["error"] else 0
    if counts["defect"] or counts["engine_changed"]:
        return 1
    if counts["not_installed"]:
        return EXIT_NOT_REPLAYABLE
    return 0
