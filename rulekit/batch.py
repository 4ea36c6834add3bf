"""Evaluate many dossiers: a stream in, a stream of decisions and errors out, in order.

Inputs are dossier files, directories (every ``*.json`` and ``*.jsonl`` file below, in
sorted order), JSON Lines files (``*.jsonl``, ``*.ndjson``: one dossier a line) or ``-``
(standard input, JSON Lines). Each dossier gets a *source* that a clerk can open: the file's
path, or ``path:LINE`` for a line of a JSON Lines file (``-:LINE`` for standard input).

A bad dossier (unreadable, not JSON, invalid, an unknown certification or track) is a
:class:`Failed` result carrying every error with its JSON path; it never stops the batch.

Memory stays flat whatever the number of dossiers: inputs are read lazily, at most a fixed
number of chunks are in flight, and results are yielded (in input order) as soon as they
are ready. With ``workers`` above 1 the evaluations run in that many processes
(:class:`concurrent.futures.ProcessPoolExecutor`), started once the first dossier was
evaluated in this process, so that forked workers inherit the plugins it loaded (:func:`run`).
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from attrs import frozen

from rulekit.api import evaluate, today
from rulekit.decision import Decision
from rulekit.dossier import Dossier
from rulekit.dossier_io import MAX_BYTES
from rulekit.errors import DossierError, InputError, RulekitError, UnknownTrack
from rulekit.registry import Registry

if TYPE_CHECKING:
    from concurrent.futures import Future

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
"""File names read as JSON Lines, one dossier a line."""

DOSSIER_SUFFIXES = (".json", *JSON_LINES_SUFFIXES)
"""File names taken from a directory."""

STDIN = "-"
"""The input naming standard input (JSON Lines)."""

CHUNK = 128
"""Dossiers sent to a worker process at once, at most: large enough that inter-process
traffic (a pickled list each way, a future, the wake-ups of three threads) is small against
evaluation, small enough that results come back steadily (some 20 ms of work)."""

FIRST_CHUNK = 8
"""The size of the first chunks, doubled from one to the next up to :data:`CHUNK`: a
session of a few dossiers is still shared among the workers."""

IN_FLIGHT_PER_WORKER = 4
"""Chunks queued per worker: keeps every worker busy while bounding memory."""

DossierInput = Dossier | Mapping[str, Any] | str | bytes
Input = Path | DossierInput


@frozen
class Item:
    """One dossier to evaluate: its place in the batch, where it came from, its content.

    ``data`` is ``None`` when the dossier could not even be read; ``read_errors`` say why.
    """

    index: int
    source: str | None
    data: DossierInput | None
    read_errors: tuple[InputError, ...] = ()


@frozen
class Evaluated:
    """A dossier that was evaluated: its index in the batch, its source, its decision."""

    index: int
    source: str | None
    decision: Decision

    ok = True


@frozen
class Failed:
    """A dossier that could not be evaluated: every error, each with its JSON path."""

    index: int
    source: str | None
    errors: tuple[InputError, ...]

    ok = False


Result = Evaluated | Failed


@frozen
class Options:
    """What every evaluation of a batch shares (see :func:`rulekit.evaluate`)."""

    as_of: date
    certification: str | None = None
    track: str | None = None
    ruleset_version: str | None = None


def _read_error(source: str, message: str) -> tuple[InputError, ...]:
    return (InputError("$", f"{source}: {message}"),)


def _read_bounded(handle: BinaryIO) -> bytes:
    """Read a file, or :data:`MAX_BYTES` and one byte of it if it is longer.

    ``read(MAX_BYTES + 1)`` allocates that much before reading: 5 MB for a dossier of a few
    kilobytes, more time than reading it. The size the file system gives is read instead,
    and one byte more (to see a file that grew, or one without a size: a pipe).
    """
    size = os.fstat(handle.fileno()).st_size
    data = handle.read(min(size, MAX_BYTES) + 1)
    if len(data) > size and len(data) <= MAX_BYTES:
        data += handle.read(MAX_BYTES + 1 - len(data))
    return data


def _read_file(path: Path, index: int) -> Item:
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = _read_bounded(handle)
    except OSError as exc:
        return Item(index, source, None, _read_error(source, f"cannot read ({exc.strerror})"))
    if len(data) > MAX_BYTES:
        return Item(index, source, None, _read_error(source, f"larger than {MAX_BYTES} bytes"))
    return Item(index, source, data)


def _lines(handle: BinaryIO, name: str, start: int) -> Iterator[Item]:
    """Yield one item per non-blank line; a line too long is an error, not a stop."""
    index = start
    for number, line in enumerate(iter(lambda: handle.readline(MAX_BYTES + 1), b""), 1):
        source = f"{name}:{number}"
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            yield Item(index, source, None, _read_error(source, f"longer than {MAX_BYTES} bytes"))
            index += 1
            rest = line
            while rest and not rest.endswith(b"\n"):  # skip the rest of that line
                rest = handle.readline(MAX_BYTES + 1)
            continue
        if not line.strip():
            continue
        yield Item(
            index, source, line.rstrip(b"\r\n")
        )  # the dossier as given, without its line end
        index += 1


def _expand(target: Path) -> Iterator[Path]:
    """A directory's dossier files in sorted order (deterministic), or the path itself.

    The files ``sorted(target.rglob("*"))`` lists whose suffix is a dossier's and that are
    files (a link to one included; linked directories are not entered, as ``rglob`` does
    not), in that order: Path order, part by part. Walked with :func:`os.scandir`, whose
    entries know their type, and sorted by parts as keys: ``rglob`` made a Path of every
    entry and ``is_file`` asked the system again for each, and comparing Path objects runs
    Python code (8.1 µs a file against 2.2, a folder of 3000 dossiers).
    """
    if not target.is_dir():
        yield target
        return
    found: list[tuple[str, ...]] = []
    folders: list[tuple[tuple[str, ...], str]] = [((), str(target))]
    while folders:
        parts, folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:  # as rglob: a folder that cannot be listed is skipped
            continue
        for entry in entries:
            name = entry.name
            if _suffix(name) in DOSSIER_SUFFIXES and _is(entry.is_file):
                found.append((*parts, name))
            elif _is(entry.is_dir) and not entry.is_symlink():
                folders.append(((*parts, name), entry.path))
    if os.name == "nt":  # Windows paths compare case-folded
        found.sort(key=lambda parts: tuple(os.path.normcase(part) for part in parts))
    else:
        found.sort()
    for parts in found:
        yield target.joinpath(*parts)


def _suffix(name: str) -> str:
    """The suffix of a file name, lower-cased, as :attr:`pathlib.PurePath.suffix` takes it."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _is(test: Callable[[], bool]) -> bool:
    """A directory entry's type test, false when the system cannot tell (as pathlib's)."""
    try:
        return test()
    except OSError:
        return False


def read_inputs(inputs: Iterable[Input], stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Yield the batch's items lazily, numbered from 0 in input order.

    A :class:`~pathlib.Path` (or the string ``-`` given as ``Path("-")``) is read as a file,
    a directory or JSON Lines; anything else is one dossier as :func:`rulekit.evaluate`
    takes it (a :class:`~rulekit.dossier.Dossier`, its parsed JSON, or JSON text), whose
    source is ``None``.
    """
    index = 0
    for given in inputs:
        if not isinstance(given, Path):
            yield Item(index, None, given)
            index += 1
            continue
        if str(given) == STDIN:
            handle = stdin if stdin is not None else sys.stdin.buffer
            for item in _lines(handle, STDIN, index):
                yield item
                index = item.index + 1
            continue
        for path in _expand(given):
            if path.suffix.lower() in JSON_LINES_SUFFIXES:
                try:
                    with path.open("rb") as handle:
                        for item in _lines(handle, str(path), index):
                            yield item
                            index = item.index + 1
                except OSError as exc:
                    source = str(path)
                    message = f"cannot read ({exc.strerror})"
                    yield Item(index, source, None, _read_error(source, message))
                    index += 1
            else:
                yield _read_file(path, index)
                index += 1


def _error_path(exc: RulekitError) -> str:
    """The dossier field an error that is not a validation error is about."""
    if isinstance(exc, UnknownTrack):
        return "track"
    return "certification"


def _message(exc: RulekitError) -> str:
    text = str(exc)
    return text.removeprefix("track: ")


def decide(
    item: Item, options: Options, registry: Registry | None = None
) -> Decision | tuple[InputError, ...]:
    """Return the item's decision, or every error that prevents one (never raises)."""
    if item.data is None:
        return item.read_errors
    try:
        return evaluate(
            item.data,
            certification=options.certification,
            track=options.track,
            as_of=options.as_of,
            ruleset_version=options.ruleset_version,
            registry=registry,
        )
    except DossierError as exc:
        return exc.errors
    except RulekitError as exc:  # unknown certification, track or rule-set version
        return (InputError(_error_path(exc), _message(exc)),)


T = TypeVar("T")

_WORKER: dict[str, Any] = {}
"""A worker process's options and maker, set once by :func:`_init_worker`."""


def _init_worker(options: Options, make: Callable[..., Any]) -> None:
    _WORKER["options"] = options
    _WORKER["make"] = make


Wire = tuple[int, str | None, DossierInput | None, tuple[InputError, ...]]
"""An :class:`Item` as it crosses to a worker: a plain tuple, which :mod:`pickle` writes
and reads in C (an attrs instance goes through Python-level ``__getstate__`` and
``__setstate__``, several microseconds a dossier)."""


def _work(chunk: list[Wire]) -> list[Any]:
    options: Options = _WORKER["options"]
    make = _WORKER["make"]
    results = []
    for index, source, data, read_errors in chunk:
        item = Item(index, source, data, read_errors)
        results.append(make(item, decide(item, options)))
    return results


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Wire]]:
    """Chunks of :data:`FIRST_CHUNK` items, then twice as many each time, up to ``size``."""
    chunk: list[Wire] = []
    now = min(FIRST_CHUNK, size)
    for item in items:
        chunk.append((item.index, item.source, item.data, item.read_errors))
        if len(chunk) >= now:
            yield chunk
            chunk = []
            now = min(2 * now, size)
    if chunk:
        yield chunk


def default_workers() -> int:
    """The processes a batch uses by default: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(
    items: Iterable[Item],
    options: Options,
    make: Callable[[Item, Decision | tuple[InputError, ...]], T],
    *,
    workers: int = 1,
    registry: Registry | None = None,
    chunk: int = CHUNK,
) -> Iterator[T]:
    """Yield ``make(item, decision or errors)`` for every item, in input order.

    ``workers`` 1 evaluates in this process; more uses that many processes, with at most
    ``workers * IN_FLIGHT_PER_WORKER`` chunks of up to ``chunk`` items in flight. ``make``
    must be picklable (a module-level function or an instance of a module-level class)
    when ``workers`` > 1: it runs in the workers.

    With workers, the first item is evaluated here, before they start: where processes are
    forked (Linux), they inherit what that evaluation loaded and filled (plugins, compiled
    rule sets, locale data, generated writers) instead of each doing it again, which for a
    session of a few hundred dossiers cost more than the evaluations.

    :raises ValueError: when ``workers`` < 1, or a ``registry`` is given with ``workers`` > 1
        (a registry holds plugin modules, which do not cross processes; workers load the
        installed plugins themselves).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if workers == 1:
        for item in items:
            yield make(item, decide(item, options, registry))
        return
    if registry is not None:
        raise ValueError("registry= evaluates in this process only: use workers=1")
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415  (import rulekit stays light)

    remaining = iter(items)
    first = next(remaining, None)
    if first is None:
        return
    yield make(first, decide(first, options))
    limit = workers * IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(options, make)
    ) as pool:
        pending: deque[Future[list[T]]] = deque()
        for batch in _chunks(remaining, chunk):
            pending.append(pool.submit(_work, batch))
            if len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def as_result(item: Item, outcome: Decision | tuple[InputError, ...]) -> Result:
    """The :func:`evaluate_many` result of an item."""
    if isinstance(outcome, Decision):
        return Evaluated(item.index, item.source, outcome)
    return Failed(item.index, item.source, outcome)


def evaluate_many(
    inputs: Iterable[Input],
    *,
    certification: str | None = None,
    track: str | None = None,
    as_of: date | None = None,
    ruleset_version: str | None = None,
    registry: Registry | None = None,
    workers: int = 1,
) -> Iterator[Result]:
    """Yield one :class:`Evaluated` or :class:`Failed` per dossier, in input order.

    :param inputs: dossiers as :func:`rulekit.evaluate` takes them, and paths
        (:class:`~pathlib.Path`) of files, directories, JSON Lines files or ``-``
        (module doc); read lazily, so a generator of any length runs in flat memory.
    :param as_of: the date of every decision; today in France when omitted, read once
        before the first evaluation, so that a batch run over midnight is consistent.
    :param workers: processes to evaluate in (1: this process). With more, ``registry``
        must be ``None``: each worker loads the installed plugins.
    :raises ValueError: on ``workers`` < 1, or ``registry`` with ``workers`` > 1.

    A bad dossier never raises: its :class:`Failed` lists every error with its JSON path,
    and its ``index`` and ``source`` say which one it was.
    """
    options = Options(
        as_of=as_of if as_of is not None else today(),
        certification=certification,
        track=track,
        ruleset_version=ruleset_version,
    )
    return run(read_inputs(inputs), options, as_result, workers=workers, registry=registry)
