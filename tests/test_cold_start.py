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

import pytest

from rulekit import codec
from rulekit.api import evaluate
from rulekit.codec import make_converter
from rulekit.decision import Decision
from tests.conftest import EXAMPLES, ROOT

_EVALUATE = ["-m", "rulekit.cli", "evaluate", str(EXAMPLES / "casp_national.json")]
_AS_OF = ["--as-of", "2023-07-01"]

NOT_FOR_A_REPORT = (
    "cattrs",  # reading decisions back, dossiers and declarations as JSON
    "orjson",  # writing decision bytes
    "importlib.metadata",  # rulekit.entry_points reads the plugins' metadata itself
    "email",
    "zipfile",
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


def test_import_rulekit_imports_no_engine() -> None:
    """``import rulekit`` imports its version and nothing of the engine, nor attrs."""
    done = subprocess.run(
        [sys.executable, "-c", "import rulekit, sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(json.loads(done.stdout))
    assert {m for m in modules if m.startswith("rulekit")} == {"rulekit", "rulekit.version"}
    assert "attr" not in modules and "attrs" not in modules


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
