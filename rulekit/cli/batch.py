"""``rulekit batch INPUT...``: a jury session's dossiers in one command.

Decisions stream out as JSON Lines (``--out``, default standard output), one line per
dossier in input order: ``{"index": 0, "source": "promo/a.json", "decision": {...}}`` or,
for a bad dossier, ``{"index": 1, "source": "promo/b.json", "errors": [{"path", "message"}]}``.
``--csv`` writes the jury's table, ``--report`` the session report (HTML) with, when the
session is recorded (``--record``), one decision page per learner beside it.

Exit codes: 0 when the batch ran, whatever the outcomes (ineligible and invalid dossiers
are rows of the session, not failures of the command); 2 on bad usage or when an output
or the decision log cannot be opened or written. Decisions are recorded in groups
(:class:`rulekit.log.recording.GroupRecorder`, one transaction each): a batch interrupted
part-way commits what it decided; a crash loses at most the last group.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from attrs import evolve, frozen

from rulekit.batch import Item, Options, default_workers, read_inputs, run
from rulekit.calendar import parse_iso_date
from rulekit.codec import decision_to_json_bytes
from rulekit.decision import Decision
from rulekit.errors import InputError
from rulekit.session import (
    LANGS,
    CsvTable,
    Row,
    Session,
    csv_line,
    decision_row,
    line_head,
    page_name,
    pages_dir,
    row,
    write_report,
)

if TYPE_CHECKING:
    from rulekit.log.recording import GroupRecorder


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
        "--jury",
        type=Path,
        metavar="JURY.json",
        help="check this jury file against the declared composition and show the result at "
        "the top of the session report (rulekit jury check)",
    )
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


Packed = tuple[int, str, bytes, str | None, Row | None, bytes | None, bytes | None]
"""What comes back from a worker per dossier: index, outcome, the JSON Lines output line
(UTF-8, with its line end), the CSV line, the session row (``--report`` only), the dossier's
and the decision's bytes (``--record`` only, ``None`` for a bad dossier)."""


def _line_head(index: int, source: str | None) -> bytes:
    """``{"index":I,"source":S,"decision":`` as :func:`rulekit.session.line_of` writes it."""
    return (line_head(index, source) + '"decision":').encode()


@frozen
class Render:
    """Makes a :data:`Packed` of each dossier where it was evaluated (a :func:`run` maker).

    The outputs are made in the worker process, so that what crosses back to the command is
    a tuple of bytes and text, which :mod:`pickle` copies in C, rather than a :class:`Row`
    of attrs objects (unpickled in Python, several times the cost), and the command only
    writes them. The row itself is sent only when the session report needs it.
    """

    csv_lang: str | None = None
    """The CSV's language, or ``None`` when there is no ``--csv``."""
    report: bool = False
    record: bool = False

    def __call__(self, item: Item, outcome: Decision | tuple[InputError, ...]) -> Packed:
        """Pack the outputs of ``item``'s decision, or of its errors."""
        if isinstance(outcome, Decision):
            data = decision_to_json_bytes(outcome)  # what the log records, line end included
            # The line of session.line_of, made in bytes: the decision's are not copied to
            # text and back.
            line = b"".join((_line_head(item.index, item.source), data[:-1], b"}\n"))
            dossier = None
            if self.record and item.data is not None:
                from rulekit.log.recording import dossier_bytes  # noqa: PLC0415  (--record)

                dossier = dossier_bytes(item.data)
            kept = data if self.record else None
            if self.csv_lang is None and not self.report:  # the line is all there is
                return (item.index, outcome.outcome.value, line, None, None, dossier, kept)
            each = decision_row(item, outcome, "", dossier=dossier, decision=kept)
        else:
            each = row(item, outcome)
            line = (each.line + "\n").encode("utf-8")
        return (
            each.index,
            each.outcome,
            line,
            csv_line(each, self.csv_lang) if self.csv_lang is not None else None,
            evolve(each, line="", dossier=None, decision=None) if self.report else None,
            each.dossier,
            each.decision,
        )


PROGRESS_EVERY = 0.1
"""Seconds between two updates of the progress bar: it is redrawn ten times a second
anyway, and updating it for every dossier cost more than writing that dossier's line."""


def _progress(rows: Iterator[Packed], enabled: bool) -> Iterator[Packed]:
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
        done, due = 0, time.monotonic() + PROGRESS_EVERY
        for each in rows:
            yield each
            done += 1
            if time.monotonic() >= due:
                bar.update(task, completed=done)
                due = time.monotonic() + PROGRESS_EVERY
        bar.update(task, completed=done)


def _open(path: Path, stack: ExitStack) -> IO[bytes]:
    handle: IO[bytes] = stack.enter_context(path.open("wb"))
    return handle


def _stdout() -> IO[bytes] | _TextOut:
    """Standard output for bytes (its text layer when it has no buffer, as under a test)."""
    buffer: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        return buffer
    return _TextOut(sys.stdout)


class _TextOut:
    """Bytes written to a text stream (UTF-8 decoded)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        return self._stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self._stream.flush()


def _page_writer(folder: Path, lang: str) -> Callable[[int, Any], None]:
    """Write the decision page of each record committed (``index``: the dossier's)."""
    from rulekit.log.page import render_page  # noqa: PLC0415

    def write(index: int, record: Any) -> None:
        (folder / page_name(index)).write_text(render_page(record, lang), encoding="utf-8")

    return write


def _jury(path: Path, certification: str | None, lang: str) -> tuple[bool, str, list[str]]:
    """The jury check the session report shows: lawful, its summary, each shortfall.

    :raises RulekitError: when the jury file is bad or cannot be checked (usage error).
    """
    from rulekit.jury.check import check  # noqa: PLC0415
    from rulekit.jury.io import read_jury  # noqa: PLC0415

    result = check(read_jury(path), certification)
    findings = [getattr(finding.message, lang) for finding in result.findings]
    return result.lawful, getattr(result.summary(), lang), findings


def _session(args: argparse.Namespace, stack: ExitStack) -> Session | None:
    """The session report being gathered (``--report``), with its jury check (``--jury``)."""
    if not args.report:
        return None
    session = stack.enter_context(Session(args.lang))
    if args.jury is not None:
        session.jury = _jury(args.jury, args.certification, args.lang)
    return session


def _write(
    rows: Iterator[Packed],
    counts: dict[str, int],
    *,
    out: IO[bytes] | _TextOut,
    table: CsvTable | None,
    recorder: GroupRecorder[int] | None,
    folder: Path | None,
    session: Session | None,
) -> None:
    """Write each dossier's outputs as they come, in input order; count the outcomes."""
    for index, outcome, line, csv_text, each, dossier, decision in rows:
        counts[outcome] = counts.get(outcome, 0) + 1
        page = None
        # Recorded before its line is written: interrupted (Ctrl-C) between the two, the
        # log holds one decision more than the outputs show, never one fewer.
        if recorder is not None and dossier is not None and decision is not None:
            recorder.add(index, dossier, decision)
            if folder is not None:  # written once its record is committed
                page = f"{folder.name}/{page_name(index)}"
        out.write(line)
        if csv_text is not None and table is not None:
            table.add_line(csv_text)
        if session is not None and each is not None:
            session.add(each, page)


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
            out: IO[bytes] | _TextOut = _open(args.out, stack) if args.out else _stdout()
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
            session = _session(args, stack)
            folder = None
            if session is not None and log is not None:
                folder = pages_dir(args.report)
                folder.mkdir(exist_ok=True)
            recorder = None
            if log is not None:
                from rulekit.log.recording import GroupRecorder  # noqa: PLC0415

                written = _page_writer(folder, args.lang) if folder is not None else None
                recorder = stack.enter_context(GroupRecorder(log, written))
            make = Render(
                csv_lang=args.lang if table is not None else None,
                report=session is not None,
                record=log is not None,
            )
            items: Iterator[Item] = read_inputs(args.inputs)
            rows = run(items, options, make, workers=workers)
            shown = _progress(rows, sys.stderr.isatty() and not args.quiet)
            _write(shown, counts, out=out, table=table, recorder=recorder, folder=folder,
                   session=session)  # fmt: skip
            if recorder is not None:
                recorder.flush()
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
