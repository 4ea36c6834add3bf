"""``rulekit batch INPUT...``: a jury session's dossiers in one command.

Decisions stream out as JSON Lines (``--out``, default standard output), one line per
dossier in input order: ``{"index": 0, "source": "promo/a.json", "decision": {...}}`` or,
for a bad dossier, ``{"index": 1, "source": "promo/b.json", "errors": [{"path", "message"}]}``.
``--csv`` writes the jury's table, ``--report`` the session report (HTML) with, when the
session is recorded (``--record``), one decision page per learner beside it.

Exit codes: 0 when the batch ran, whatever the outcomes (ineligible and invalid dossiers
are rows of the session, not failures of the command); 2 on bad usage or when an output
or the decision log cannot be opened or written. A batch interrupted part-way keeps the
records already appended to the log (each is durable on its own).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from rulekit.batch import Item, Options, default_workers, read_inputs, run
from rulekit.calendar import parse_iso_date
from rulekit.session import (
    LANGS,
    CsvTable,
    Row,
    Session,
    keep_dossier_row,
    page_name,
    pages_dir,
    row,
    write_report,
)


def _as_of(text: str) -> str:
    try:
        parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes") from None
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1 process")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``batch`` sub-command."""
    parser = sub.add_parser(
        "batch",
        help="evaluate many dossiers: JSON Lines, the jury's CSV, the session report",
        description="Evaluate every dossier of the inputs (files, directories, JSON Lines "
        "files, '-' for JSON Lines on stdin). Exit 0 when the batch ran, whatever the "
        "outcomes; 2 on bad usage or an output that cannot be written.",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="a dossier file, a directory (its *.json and *.jsonl files), a JSON Lines file "
        "(*.jsonl, *.ndjson) or '-' (JSON Lines on stdin)",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="JSON Lines (default: stdout)")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="the jury's table (CSV)")
    parser.add_argument("--report", type=Path, metavar="FILE.html", help="the session report")
    parser.add_argument(
        "--lang", choices=LANGS, default="fr", help="of the CSV, the report and the summary"
    )
    parser.add_argument("--certification", help="certification id (overrides the dossiers')")
    parser.add_argument("--track", help="evaluate this track only")
    parser.add_argument(
        "--as-of", type=_as_of, help="decision date YYYY-MM-DD (default: today in France)"
    )
    parser.add_argument("--ruleset-version", help="evaluate with this rule-set version")
    parser.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="processes (default: every core; 1 evaluates in this process)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    record = parser.add_argument_group("decision log (docs/audit.md)")
    record.add_argument("--record", action="store_true", help="record every decision")
    record.add_argument(
        "--log", metavar="PATH|URL", help="SQLite file or postgresql://... ($RULEKIT_LOG)"
    )
    record.add_argument(
        "--signing-key",
        type=Path,
        metavar="FILE",
        help="sign every record ($RULEKIT_SIGNING_KEY_FILE, $RULEKIT_SIGNING_KEY)",
    )
    parser.set_defaults(run=run_batch)


def _error(message: str) -> int:
    print(f"rulekit: error: {message}", file=sys.stderr)
    return 2


_SUMMARY = {
    "fr": "rulekit : {total} en {seconds} s : {eligible}, {not_eligible}, {bad_input}",
    "en": "rulekit: {total} in {seconds} s: {eligible}, {not_eligible}, {bad_input}",
}

_NOUNS = {
    # (singular, plural): French takes the singular for 0 and 1, English for 1 only.
    "fr": {
        "total": ("dossier", "dossiers"),
        "eligible": ("recevable", "recevables"),
        "not_eligible": ("non recevable", "non recevables"),
        "bad_input": ("invalide", "invalides"),
    },
    "en": {
        "total": ("dossier", "dossiers"),
        "eligible": ("eligible", "eligible"),
        "not_eligible": ("not eligible", "not eligible"),
        "bad_input": ("invalid", "invalid"),
    },
}


def _counted(count: int, key: str, lang: str) -> str:
    singular, plural = _NOUNS[lang][key]
    one = count < 2 if lang == "fr" else count == 1
    return f"{count} {singular if one else plural}"


def summary(counts: dict[str, int], seconds: float, lang: str) -> str:
    """The one line printed at the end: counts by outcome and the time taken."""
    text = f"{seconds:.1f}"
    words = {key: _counted(counts.get(key, 0), key, lang) for key in _NOUNS[lang] if key != "total"}
    return _SUMMARY[lang].format(
        total=_counted(sum(counts.values()), "total", lang),
        seconds=text.replace(".", ",") if lang == "fr" else text,
        **words,
    )


def _progress(rows: Iterator[Row], enabled: bool) -> Iterator[Row]:
    """Show a progress bar on a terminal (standard error) while rows come."""
    if not enabled:
        yield from rows
        return
    from rich.console import Console  # noqa: PLC0415  (only on a terminal)
    from rich.progress import (  # noqa: PLC0415
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("dossiers", total=None)
        for each in rows:
            yield each
            bar.advance(task)


def _open(path: Path, stack: ExitStack) -> IO[str]:
    handle: IO[str] = stack.enter_context(path.open("w", encoding="utf-8", newline="\n"))
    return handle


def _record(log: Any, each: Row, folder: Path | None, lang: str) -> str | None:
    """Append an evaluated dossier's decision; write its page; return the page's link."""
    if each.dossier is None or each.decision is None:
        return None  # a bad dossier: nothing to record
    record = log.append(None, each.dossier, each.decision)
    if folder is None:
        return None
    from rulekit.log.page import render_page  # noqa: PLC0415

    name = page_name(each.index)
    (folder / name).write_text(render_page(record, lang), encoding="utf-8")
    return f"{folder.name}/{name}"


def run_batch(args: argparse.Namespace) -> int:
    """Evaluate the inputs; write the JSON Lines, CSV, report and records asked for."""
    if (args.log or args.signing_key) and not args.record:
        return _error("--log and --signing-key need --record")
    if args.report is not None and not args.report.parent.is_dir():
        return _error(f"--report: no folder {args.report.parent}")
    from rulekit.api import today  # noqa: PLC0415
    from rulekit.errors import RulekitError  # noqa: PLC0415

    options = Options(
        as_of=parse_iso_date(args.as_of) if args.as_of else today(),
        certification=args.certification,
        track=args.track,
        ruleset_version=args.ruleset_version,
    )
    workers = args.workers or default_workers()
    started = time.monotonic()
    counts: dict[str, int] = {}
    try:
        with ExitStack() as stack:
            out: IO[str] = _open(args.out, stack) if args.out else sys.stdout
            table = CsvTable(args.csv, args.lang) if args.csv else None
            if table is not None:
                stack.callback(table.close)
            log: Any = None
            if args.record:
                from rulekit.log import load_signer, log_target, open_log  # noqa: PLC0415

                signer = load_signer(args.signing_key)
                log = stack.enter_context(
                    open_log(log_target(args.log), create=True, signer=signer)
                )
            session = stack.enter_context(Session(args.lang)) if args.report else None
            folder = None
            if session is not None and log is not None:
                folder = pages_dir(args.report)
                folder.mkdir(exist_ok=True)
            make = keep_dossier_row if log is not None else row
            items: Iterator[Item] = read_inputs(args.inputs)
            rows = run(items, options, make, workers=workers)
            for each in _progress(rows, sys.stderr.isatty() and not args.quiet):
                counts[each.outcome] = counts.get(each.outcome, 0) + 1
                out.write(each.line + "\n")
                if table is not None:
                    table.add(each)
                page = _record(log, each, folder, args.lang) if log is not None else None
                if session is not None:
                    session.add(each, page)
            out.flush()
            if session is not None:
                write_report(args.report, session, pages=folder is not None)
    except RulekitError as exc:  # the log cannot be opened or written
        return _error(str(exc))
    except OSError as exc:
        return _error(f"{exc.filename or ''}: {exc.strerror}")
    if not args.quiet:
        print(summary(counts, time.monotonic() - started, args.lang), file=sys.stderr)
    return 0
