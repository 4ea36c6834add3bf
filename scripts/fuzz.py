"""Fuzz campaign: mutated dossiers through the API and the CLI, the JSON Schema as oracle.

Seeds are the dossiers of ``examples/`` and of the conformance cases in
``specs/conformance/``. Each mutation (byte flips, truncation, wrong types, unicode, lone
surrogates, huge numbers, deep nesting, extra and missing fields, trailing newlines,
out-of-range years, a byte order mark...) gives JSON text, evaluated with
``rulekit.evaluate`` on the bytes; a sample also goes through ``rulekit evaluate FILE`` in
a subprocess (half of it under ``LC_ALL=C PYTHONIOENCODING=latin-1``).

The oracle is the published schema (``rulekit/schemas/dossier.schema.json``, draft 2020-12,
formats asserted) applied to the text parsed strictly (RFC 8259: UTF-8, a byte order mark
ignored, no duplicate key, no NaN; at most ``MAX_BYTES``). Four counts come out:

- **exceptions that are not rulekit errors** (API), or a CLI exit other than 0, 1, 2, or a
  traceback;
- **decisions on invalid input**: the schema refuses it, yet a decision came out;
- **valid input refused**: the schema accepts it, rulekit refuses it for a reason the
  schema can express. Refusals for rules the schema cannot express (a period ending before
  it starts, a waiver of a requirement that cannot be waived, a lone surrogate, a
  certification that is not installed) are counted apart, by reason;
- and the **slowest input**, with its mutation.

``--count N --seed S`` (same seed, same mutations, whatever ``--jobs``); exit 1 when any
of the three bad counts is not 0. ``tests/test_fuzz.py`` runs a bounded slice.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_AS_OF = date(2023, 7, 1)

Json = Any


@dataclass(frozen=True)
class Seed:
    """A dossier to mutate and the as-of date it is evaluated on."""

    name: str
    value: Json
    as_of: date


@dataclass(frozen=True)
class Mutant:
    """One mutated dossier: how it was made, its bytes and its as-of date."""

    index: int
    label: str
    data: bytes
    as_of: date


def seeds(root: Path = ROOT) -> list[Seed]:
    """The example dossiers and every conformance case's dossier, sorted by name."""
    found = [
        Seed(path.name, json.loads(path.read_text(encoding="utf-8")), DEFAULT_AS_OF)
        for path in sorted((root / "examples").glob("*.json"))
    ]
    for path in sorted((root / "specs" / "conformance").rglob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(case, dict) and isinstance(case.get("dossier"), dict):
            as_of = date.fromisoformat(case.get("as_of", DEFAULT_AS_OF.isoformat()))
            dossier = dict(case["dossier"])
            if "certification" in case:  # a case may name it instead of its dossier
                dossier.setdefault("certification", case["certification"])
            found.append(Seed(f"{path.parent.name}/{path.name}", dossier, as_of))
    return found


# -- mutations ------------------------------------------------------------------------------

ODD_STRINGS = (
    "",
    " ",
    "\u00a0",
    "\u3000",
    "\ufeff",
    "\x1c",
    "\n",
    "\ud800",
    "\udfff",
    "x\ud83d",
    "\U0001f600",
    "e\u0301",
    "\u202e",
    "\x00",
    "２０１９-０９-０１",
    "٢٠١٩-٠٩-٠١",
    "2019-09-01\n",
    "2019-09-01 ",
    "2019-9-1",
    "20190901",
    "2019-W01-1",
    "1899-12-31",
    "1900-01-01",
    "2199-12-31",
    "2200-01-01",
    "0001-01-01",
    "9999-12-31",
    "2019-02-29",
    "2020-02-29",
    "2021-04-31",
    "TET099\n",
    "TET099",
    "tet099",
    "ＴＥＴ０９９",
    "RNCP12976BC01\n",
    "casp_36625\n",
    "passed",
    "passed\n",
    "exam",
    "rulekit.dossier/1\n",
    "x" * 70,
    "x" * 5001,
)
ODD_NUMBERS: tuple[Json, ...] = (
    0,
    -0.0,
    -1,
    1,
    0.5,
    5.0,
    20,
    20.000001,
    240,
    241,
    10_000,
    10_001,
    1e308,
    -1e308,
    10**30,
    -(10**30),
    2**63,
    5e-324,
)
ODD_VALUES: tuple[Json, ...] = (None, True, False, [], {}, [None], {"": 0}, *ODD_NUMBERS)
RAW_NUMBERS = (b"1e999", b"-1e999", b"1" + b"0" * 5000, b"NaN", b"Infinity", b"-0", b"1.0e+2")


def _paths(value: Json, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a node of ``value``, root included."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _get(value: Json, path: tuple[Any, ...]) -> Json:
    for step in path:
        value = value[step]
    return value


def _set(value: Json, path: tuple[Any, ...], new: Json) -> Json:
    if not path:
        return new
    _get(value, path[:-1])[path[-1]] = new
    return value


def _pick(rng: random.Random, value: Json, want: Callable[[Json], bool] = lambda _: True) -> Any:
    paths = [p for p in _paths(value) if want(_get(value, p))]
    return rng.choice(paths) if paths else None


def _dump(rng: random.Random, value: Json) -> bytes:
    """JSON text of ``value``: UTF-8 mostly, with JSON escapes sometimes.

    A lone surrogate written without escapes gives bytes that are not UTF-8 (the encoder's
    ``surrogatepass``), another case worth trying.
    """
    text = json.dumps(value, ensure_ascii=rng.random() < 0.3)
    found = _DEEP_TEXT.search(text)
    if found is not None:  # the first one nested, any other a plain 0
        depth = int(found.group(1))
        text = text[: found.start()] + "[" * depth + "0" + "]" * depth + text[found.end() :]
        text = _DEEP_TEXT.sub("0", text)
    return text.encode("utf-8", "surrogatepass")


def _replace_node(rng: random.Random, value: Json, pool: tuple[Json, ...]) -> tuple[str, Json]:
    path = _pick(rng, value)
    new = copy.deepcopy(rng.choice(pool))
    return f"replace {_show(path)} by {_show(new)}", _set(value, path, new)


def _show(thing: Any) -> str:
    text = thing if isinstance(thing, str) else json.dumps(thing, default=str)
    return text[:40] + ("..." if len(text) > 40 else "")


def m_wrong_type(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A node replaced by a value of another JSON type."""
    return _replace_node(rng, value, ODD_VALUES)


def m_odd_string(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A string replaced by an odd one: unicode, surrogates, full-width digits, edge dates."""
    path = _pick(rng, value, lambda v: isinstance(v, str))
    if path is None:
        return _replace_node(rng, value, ODD_STRINGS)
    new = rng.choice(ODD_STRINGS)
    return f"string {_show(path)} = {new!r:.40}", _set(value, path, new)


def m_trailing(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A string given a trailing newline, space, or byte order mark."""
    path = _pick(rng, value, lambda v: isinstance(v, str))
    if path is None:
        return "nothing", value
    tail = rng.choice(("\n", " ", "\r\n", "\ufeff", "\u00a0", "\t"))
    return f"string {_show(path)} + {tail!r}", _set(value, path, _get(value, path) + tail)


def m_number(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A number replaced by an edge or huge one."""
    path = _pick(rng, value, lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    if path is None:
        path = _pick(rng, value)
    new = rng.choice(ODD_NUMBERS)
    return f"number {_show(path)} = {new!r:.40}", _set(value, path, new)


def m_year(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A date's year moved to the edge of 1900..2199 or past it."""
    path = _pick(rng, value, lambda v: isinstance(v, str) and len(v) == 10 and v[4:5] == "-")
    if path is None:
        return m_odd_string(rng, value)
    year = rng.choice(("1899", "1900", "2199", "2200", "0001", "9999", "1000", "2100"))
    new = year + _get(value, path)[4:]
    return f"year {_show(path)} = {new}", _set(value, path, new)


def m_extra(rng: random.Random, value: Json) -> tuple[str, Json]:
    """An object given an extra field."""
    path = _pick(rng, value, lambda v: isinstance(v, dict))
    if path is None:
        return "nothing", value
    key = rng.choice(("extra", "Units", "units ", "\ud800", "", "x" * 100, "code", "date"))
    _get(value, path)[key] = copy.deepcopy(rng.choice(ODD_VALUES))
    return f"extra {key!r:.20} in {_show(path)}", value


def m_missing(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A field removed from an object."""
    path = _pick(rng, value, lambda v: isinstance(v, dict) and bool(v))
    if path is None:
        return "nothing", value
    holder = _get(value, path)
    key = rng.choice(sorted(holder))
    del holder[key]
    return f"missing {_show((*path, key))}", value


DEEP = "\u0000deep:"
"""Marker of a node to be written as lists nested too deeply for ``json.dumps``."""
_DEEP_TEXT = re.compile(re.escape(json.dumps(DEEP)[:-1]) + r'([0-9]+)(?:[^"\\]|\\.)*"')


def m_deep(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A node wrapped in lists or objects, a little or very deeply."""
    path = _pick(rng, value)
    depth = rng.choice((1, 2, 50, 2000, 100_000))
    node = _get(value, path)
    if depth > 100:
        node = f"{DEEP}{depth}"
    else:
        for _ in range(depth):
            node = [node] if rng.random() < 0.5 else {"k": node}
    return f"deep {depth} at {_show(path)}", _set(value, path, node)


def m_many(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A list's item repeated, up to past the limit of 2,000 items."""
    path = _pick(rng, value, lambda v: isinstance(v, list) and bool(v))
    if path is None:
        return "nothing", value
    times = rng.choice((2, 3, 10, 10, 10, 2001, 2001, 1999))
    items = _get(value, path)
    many = copy.deepcopy((items * times)[:times])
    return f"many {times} x {_show(path)}", _set(value, path, many)


def m_swap_dates(rng: random.Random, value: Json) -> tuple[str, Json]:
    """A period's start and end swapped (a rule the schema cannot express)."""
    path = _pick(rng, value, lambda v: isinstance(v, dict) and "start" in v and "end" in v)
    if path is None:
        return m_year(rng, value)
    item = _get(value, path)
    item["start"], item["end"] = item["end"], item["start"]
    return f"swap start/end of {_show(path)}", value


STRUCTURAL: tuple[Callable[[random.Random, Json], tuple[str, Json]], ...] = (
    m_wrong_type,
    m_odd_string,
    m_trailing,
    m_number,
    m_year,
    m_extra,
    m_missing,
    m_deep,
    m_many,
    m_swap_dates,
)


def b_flip(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """Some bytes replaced by random ones."""
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 5))):
        at = rng.randrange(len(out))
        out[at] = rng.randrange(256)
    return "byte flips", bytes(out)


def b_truncate(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """The text cut short."""
    at = rng.randrange(len(data))
    return f"truncated at {at}", data[:at]


def b_insert(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """Odd bytes inserted: a byte order mark, invalid UTF-8, escapes, control characters."""
    piece = rng.choice(
        (b"\xef\xbb\xbf", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\\ud800", b"\x00", b"\n", b",")
    )
    at = 0 if piece == b"\xef\xbb\xbf" and rng.random() < 0.7 else rng.randrange(len(data))
    return f"insert {piece!r} at {at}", data[:at] + piece + data[at:]


def b_number(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """A number of the text replaced by a raw one JSON parsers disagree on."""
    digits = [i for i, byte in enumerate(data) if 0x30 <= byte <= 0x39]
    if not digits:
        return "nothing", data
    at = rng.choice(digits)
    end = at
    while end < len(data) and data[end] in b"0123456789.eE+-":
        end += 1
    start = at
    while start > 0 and data[start - 1] in b"0123456789.":
        start -= 1
    if data[start - 1 : start] == b'"' or data[end : end + 1] == b'"':
        return "nothing", data  # inside a date: leave it
    raw = rng.choice(RAW_NUMBERS)
    return f"raw number {raw[:12]!r}", data[:start] + raw + data[end:]


def b_duplicate_key(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """A key given twice."""
    at = data.find(b'"format"')
    return "duplicate key", data[:at] + b'"format": "x", ' + data[at:] if at > 0 else data


BYTES: tuple[Callable[[random.Random, bytes], tuple[str, bytes]], ...] = (
    b_flip,
    b_truncate,
    b_insert,
    b_number,
    b_duplicate_key,
)


def mutant(index: int, seed: int, pool: list[Seed]) -> Mutant:
    """The ``index``-th mutation of campaign ``seed``: the same whatever the process."""
    rng = random.Random(f"{seed}:{index}")
    base = rng.choice(pool)
    value = json.loads(json.dumps(base.value))
    labels = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        label, value = rng.choice(STRUCTURAL)(rng, value)
        labels.append(label)
    data = _dump(rng, value)
    if rng.random() < 0.3:
        label, data = rng.choice(BYTES)(rng, data)
        labels.append(label)
    if rng.random() < 0.05:
        data = b"\xef\xbb\xbf" + data
        labels.append("byte order mark")
    return Mutant(index, f"{base.name}: {'; '.join(labels)}", data, base.as_of)


# -- the oracle -----------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


_VALIDATOR: jsonschema.Draft202012Validator | None = None


def validator() -> jsonschema.Draft202012Validator:
    """The published dossier schema, formats (``date``) asserted."""
    global _VALIDATOR  # noqa: PLW0603 - one per process, built on first use
    if _VALIDATOR is None:
        schema = json.loads(
            (ROOT / "rulekit" / "schemas" / "dossier.schema.json").read_text(encoding="utf-8")
        )
        _VALIDATOR = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
    return _VALIDATOR


def schema_says(data: bytes, max_bytes: int) -> str | None:
    """``None`` when the schema accepts the text, else why not (strict RFC 8259 parse first)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if len(data) > max_bytes:
        return "larger than the size limit"
    try:
        text = data.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        return f"not strict JSON: {type(exc).__name__}"
    if any(isinstance(x, float) and math.isinf(x) for x in _numbers(value)):
        return "a number beyond double precision"
    try:
        error = next(validator().iter_errors(value), None)
    except RecursionError:
        return "nested too deeply for the validator"
    return None if error is None else f"schema: {error.message[:80]}"


def _numbers(value: Json) -> Iterator[Json]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float):
            yield item


BEYOND_SCHEMA = {
    "is before start": "a period ends before it starts",
    "is not a requirement of": "a waiver names no requirement of the certification",
    "waive": "a waiver of a requirement that cannot be waived",
    "lone surrogate": "a lone surrogate (RFC 8259 section 8.2)",
    "unknown certification": "a certification that is not installed",
    "no certification named": "no certification named (optional in the format)",
    "has no track": "a track the certification lacks",
}
"""Refusals for rules the JSON Schema cannot express, by a phrase of their message."""


def beyond_schema(messages: list[str]) -> str | None:
    """The rule beyond the schema that every one of ``messages`` breaks, if they all do."""
    reasons = set()
    for message in messages:
        if message.startswith("$: ") and message.endswith(" more errors not listed"):
            continue  # past the first 100: the schema accepts the whole, so these too
        reason = next((r for phrase, r in BEYOND_SCHEMA.items() if phrase in message), None)
        if reason is None:
            return None
        reasons.add(reason)
    return "; ".join(sorted(reasons))


# -- running --------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a run found; merged across processes."""

    tried: int = 0
    decisions: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)
    decisions_on_invalid: list[str] = field(default_factory=list)
    valid_refused: list[str] = field(default_factory=list)
    beyond: Counter[str] = field(default_factory=Counter)
    slowest: tuple[float, str, int] = (0.0, "", 0)
    cli_tried: int = 0

    def merge(self, other: Tally) -> None:
        """Add ``other``'s counts to these."""
        self.tried += other.tried
        self.decisions += other.decisions
        self.refused += other.refused
        self.crashes += other.crashes
        self.decisions_on_invalid += other.decisions_on_invalid
        self.valid_refused += other.valid_refused
        self.beyond += other.beyond
        self.slowest = max(self.slowest, other.slowest)
        self.cli_tried += other.cli_tried

    @property
    def bad(self) -> int:
        """The three counts that must be 0."""
        return len(self.crashes) + len(self.decisions_on_invalid) + len(self.valid_refused)


def _api(item: Mutant) -> tuple[str, list[str]]:
    """``("decision", [outcome])``, ``("refused", messages)`` or ``("crash", [what])``."""
    import rulekit  # noqa: PLC0415 - in the worker process
    from rulekit.errors import DossierError, RulekitError  # noqa: PLC0415

    try:
        decision = rulekit.evaluate(item.data, as_of=item.as_of)
    except DossierError as exc:
        return "refused", [str(error) for error in exc.errors]
    except RulekitError as exc:
        return "refused", [str(exc)]
    except Exception as exc:  # what the campaign is looking for
        return "crash", [f"{type(exc).__name__}: {str(exc)[:200]}"]
    return "decision", [decision.outcome.value]


def judge(item: Mutant, tally: Tally, max_bytes: int) -> None:
    """Evaluate one mutant through the API and add the verdict to ``tally``."""
    started = time.perf_counter()
    kind, detail = _api(item)
    took = time.perf_counter() - started
    tally.tried += 1
    tally.slowest = max(tally.slowest, (took, item.label, len(item.data)))
    where = f"#{item.index} {item.label}"
    if kind == "crash":
        tally.crashes.append(f"{where}: {detail[0]}")
        return
    why_invalid = schema_says(item.data, max_bytes)
    if kind == "decision":
        tally.decisions += 1
        if why_invalid is not None:
            tally.decisions_on_invalid.append(f"{where}: {why_invalid}")
        return
    tally.refused += 1
    if why_invalid is None:
        reason = beyond_schema(detail)
        if reason is None:
            tally.valid_refused.append(f"{where}: {' | '.join(detail)[:200]}")
        else:
            tally.beyond[reason] += 1


def _chunk(args: tuple[int, int, int]) -> Tally:
    start, stop, seed = args
    from rulekit.dossier_format import MAX_BYTES  # noqa: PLC0415

    pool = seeds()
    tally = Tally()
    for index in range(start, stop):
        judge(mutant(index, seed, pool), tally, MAX_BYTES)
    return tally


def run_api(count: int, seed: int, jobs: int = 1) -> Tally:
    """Judge mutations ``0..count-1`` of campaign ``seed`` through the API."""
    size = max(1, min(2000, count // max(1, jobs * 4) or 1))
    chunks = [(start, min(count, start + size), seed) for start in range(0, count, size)]
    tally = Tally()
    if jobs <= 1:
        for chunk in chunks:
            tally.merge(_chunk(chunk))
        return tally
    with ProcessPoolExecutor(jobs) as executor:
        for part in executor.map(_chunk, chunks):
            tally.merge(part)
    return tally


def _expected_code(kind: str, detail: list[str]) -> int:
    if kind == "refused":
        return 2
    return 0 if detail == ["eligible"] else 1


def run_cli(count: int, seed: int, tally: Tally) -> None:
    """Run ``rulekit evaluate FILE`` on ``count`` mutants; its exit code must be the API's."""
    pool = seeds()
    command = [sys.executable, "-c", "import sys; from rulekit.cli import main; sys.exit(main())"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dossier.json"
        for n in range(count):
            item = mutant(10_000_000 + n, seed, pool)
            path.write_bytes(item.data)
            env = dict(os.environ)
            if n % 2:
                env.update(LC_ALL="C", LANG="C", PYTHONIOENCODING="latin-1")
            done = subprocess.run(
                [*command, "evaluate", str(path), "--as-of", item.as_of.isoformat()],
                capture_output=True,
                env=env,
                check=False,
                timeout=120,
            )
            tally.cli_tried += 1
            kind, detail = _api(item)
            expected = _expected_code(kind, detail)
            if b"Traceback" in done.stderr or done.returncode != expected:
                tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
                tally.crashes.append(
                    f"CLI #{item.index} {item.label}: exit {done.returncode}, API says "
                    f"{expected} ({kind}): {tail}"
                )


def summary(tally: Tally, count: int, seed: int, took: float) -> str:
    """The report printed at the end of a run."""
    lines = [
        f"fuzz: seed {seed}, {count} mutated dossiers through the API, "
        f"{tally.cli_tried} through the CLI, in {took:.1f} s",
        f"  tried                                   {tally.tried + tally.cli_tried}",
        f"  decisions / refusals (API)              {tally.decisions} / {tally.refused}",
        f"  exceptions that are not rulekit errors  {len(tally.crashes)}",
        f"  decisions on invalid input              {len(tally.decisions_on_invalid)}",
        f"  valid input refused                     {len(tally.valid_refused)}",
        "  refused by rules beyond the schema      "
        f"{sum(tally.beyond.values())}"
        + "".join(f"\n      {n:7d}  {reason}" for reason, n in sorted(tally.beyond.items())),
        f"  slowest input                           {tally.slowest[0] * 1000:.1f} ms "
        f"({tally.slowest[2]} bytes: {tally.slowest[1][:100]})",
    ]
    for name, found in (
        ("exception", tally.crashes),
        ("decision on invalid input", tally.decisions_on_invalid),
        ("valid input refused", tally.valid_refused),
    ):
        lines += [f"  {name}: {line}" for line in found[:20]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the campaign; exit 1 when a bad count is not 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="mutations through the API")
    parser.add_argument("--seed", type=int, default=1, help="campaign seed")
    parser.add_argument("--cli", type=int, default=300, help="mutations through the CLI")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tally = run_api(args.count, args.seed, args.jobs)
    run_cli(args.cli, args.seed, tally)
    print(summary(tally, args.count, args.seed, time.perf_counter() - started))
    return 1 if tally.bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
