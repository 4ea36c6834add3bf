"""Start-up: what ``rulekit evaluate FILE`` leaves unimported, and what is built on first use.

``benchmarks/cold_start.py`` measures the start-up; these tests keep its causes away: a
module that a plain evaluation does not need must not be imported by one, and each thing
built on first use instead of at import must equal what building it at import gave.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rulekit import codec
from rulekit.api import evaluate
from rulekit.codec import make_converter
from rulekit.decision import Decision, Enrolment
from rulekit.dossier import BlockResult, Experience, Internship, Result, UnitResult, Via, Waiver
from rulekit.ordering import ITEM_CLASSES, _key_function, item_sort_key, sorted_items
from tests.conftest import EXAMPLES, ROOT

_EVALUATE = ["-m", "rulekit.cli", "evaluate", str(EXAMPLES / "casp_national.json")]
_AS_OF = ["--as-of", "2023-07-01"]

NOT_FOR_A_REPORT = (
    "cattrs",  # reading decisions back, dossiers and declarations as JSON
    "orjson",  # writing decision bytes
    "babel",  # numbers in words only (rulekit.french.number); dates use rulekit.french.MONTHS
    "zoneinfo",  # today() and instants only: the date is given here (--as-of)
    "jinja2",  # the HTML pages (rulekit serve, batch pages)
    "starlette",
    "rich",
    "sqlite3",  # the decision log
    "rulekit.log",
    "rulekit.web",
    "rulekit.what_if",
    "rulekit.dates",  # --dates only
    "rulekit.batch",
)
"""Modules ``rulekit evaluate FILE`` (the text report) must not import."""


def _modules_after(*argv: str) -> tuple[int, set[str]]:
    """The exit code and the modules imported by ``python argv...``, run in a new process."""
    code = (
        "import runpy, sys, json, atexit\n"
        "report = lambda: sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
        "atexit.register(report)\n"
        f"sys.argv = {['rulekit', *argv[2:]]!r}\n"
        "runpy.run_module('rulekit.cli', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    marker = done.stderr.rindex("MODULES ")
    return done.returncode, set(json.loads(done.stderr[marker + len("MODULES ") :]))


@pytest.mark.parametrize(
    ("extra", "absent"),
    [
        ([], NOT_FOR_A_REPORT),
        (["--format", "json"], tuple(m for m in NOT_FOR_A_REPORT if m != "orjson")),
    ],
    ids=["text", "json"],
)
def test_evaluate_imports_only_what_it_needs(extra: list[str], absent: tuple[str, ...]) -> None:
    """``rulekit evaluate FILE`` (report or JSON) imports none of the modules it never uses."""
    code, modules = _modules_after(*_EVALUATE, *_AS_OF, *extra)
    assert code == 0
    assert sorted(set(absent) & modules) == []


def _modules_of(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}; import sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout))


def test_import_rulekit_imports_only_its_version() -> None:
    """``import rulekit`` adds its version to what ``python -c pass`` imports, nothing else.

    Not the engine, not attrs, not even :mod:`typing` (names resolve on first use).
    """
    added = _modules_of("import rulekit") - _modules_of("pass")
    assert added <= {"rulekit", "rulekit.version", "__future__"}


# -- built on first use, equal to what was built at import ------------------------------


def test_converter_on_first_use_is_the_eager_converter() -> None:
    """``codec.CONVERTER`` (made on first use, once) writes and reads as a new converter does."""
    assert codec.CONVERTER is codec.shared_converter() is codec.CONVERTER
    eager = make_converter()
    text = (EXAMPLES / "casp_national.json").read_bytes()
    decision = evaluate(text, as_of=date(2023, 7, 1))
    lazy_object = codec.CONVERTER.unstructure(decision, Decision)
    assert lazy_object == eager.unstructure(decision, Decision) == codec.decision_to_dict(decision)
    assert codec.decision_from_dict(lazy_object) == eager.structure(lazy_object, Decision)
    assert codec.decision_from_dict(lazy_object) == decision


def test_codec_has_no_other_lazy_attribute() -> None:
    """Only CONVERTER is made on first use; another missing name is an AttributeError."""
    with pytest.raises(AttributeError, match="no attribute 'CONVERTERS'"):
        codec.CONVERTERS  # noqa: B018


_TEXT = st.none() | st.sampled_from(["", "a", "b", "TET099"])
_DAY = st.dates()
_ITEMS = st.one_of(
    st.builds(
        UnitResult,
        st.sampled_from(["TET099", "US210", "UA211G"]),
        st.sampled_from(Result),
        st.none() | _DAY,
        st.none() | st.floats(0, 20),
        st.none() | st.floats(1, 30),
        st.sampled_from(Via),
        _TEXT,
    ),
    st.builds(
        BlockResult, st.sampled_from(["RNCP1BC01", "RNCP1BC02"]), st.sampled_from(Result), _DAY
    ),
    st.builds(Experience, _DAY, st.booleans(), st.none() | _DAY, st.floats(0.1, 1), _TEXT, _TEXT),
    st.builds(
        Internship, _DAY, st.booleans(), st.none() | _DAY, _TEXT, st.none() | st.integers(0, 900)
    ),
    st.builds(
        Waiver,
        st.sampled_from(["units", "experience"]),
        st.text(max_size=3),
        _DAY,
        st.text(max_size=3),
    ),
    st.builds(Enrolment, _DAY),
)


@given(st.lists(_ITEMS, max_size=12))
def test_sort_keys_on_first_use_are_the_eager_keys(items: list[Any]) -> None:
    """Each class's key, made on first use, gives what generating it up front gave."""
    for item in items:
        assert item_sort_key(item) == _key_function(type(item))(item)
    for cls in ITEM_CLASSES:
        same = [item for item in items if type(item) is cls]
        assert sorted_items(same) == sorted(same, key=_key_function(cls))


def test_sort_key_of_another_class_is_refused() -> None:
    """An object of no dossier item class has no key, as before (KeyError)."""
    with pytest.raises(KeyError):
        item_sort_key(Decision)  # type: ignore[arg-type]
