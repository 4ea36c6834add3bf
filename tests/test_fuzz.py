"""A bounded slice of the fuzz campaign (scripts/fuzz.py): the three bad counts are 0."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import ROOT


def _fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rulekit_fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz()


def test_fuzz_slice_finds_no_crash_no_wrong_decision_no_wrong_refusal() -> None:
    """1,000 mutated dossiers through the API and 4 through the CLI, judged by the schema."""
    tally = FUZZ.run_api(1000, seed=20261202, jobs=1)
    FUZZ.run_cli(4, 20261202, tally)
    report = FUZZ.summary(tally, 1000, 20261202, 0.0)
    assert tally.tried == 1000 and tally.cli_tried == 4
    assert tally.crashes == [], report
    assert tally.decisions_on_invalid == [], report
    assert tally.valid_refused == [], report
    assert tally.decisions > 0 and tally.refused > 0, report  # both sides were exercised


def test_mutations_are_the_same_for_the_same_seed() -> None:
    """``--seed`` replays a campaign exactly, whatever the process."""
    pool = FUZZ.seeds()
    first = [FUZZ.mutant(i, 5, pool) for i in range(50)]
    assert first == [FUZZ.mutant(i, 5, pool) for i in range(50)]
    assert len({m.data for m in first}) > 40


def test_oracle_refuses_what_the_format_refuses() -> None:
    """The oracle: strict JSON and the schema; a trailing newline in a code is invalid."""
    from rulekit.dossier_format import MAX_BYTES  # noqa: PLC0415

    good = (ROOT / "examples" / "casp_national.json").read_bytes()
    assert FUZZ.schema_says(good, MAX_BYTES) is None
    assert FUZZ.schema_says(b"\xef\xbb\xbf" + good, MAX_BYTES) is None
    assert FUZZ.schema_says(good.replace(b'"TET099"', b'"TET099\\n"'), MAX_BYTES) is not None
    assert FUZZ.schema_says(good.replace(b'"format"', b'"format": 1, "format"'), MAX_BYTES)


def test_refusals_beyond_the_schema_are_told_apart() -> None:
    """End before start is a rule the schema cannot express; a bad code is not."""
    period = "experience[0].end: 2018-01-01 is before start 2019-01-01"
    assert FUZZ.beyond_schema([period, "$: 3 more errors not listed"]) is not None
    assert FUZZ.beyond_schema([period, "units[0].code: 'x' is not a unit code"]) is None
