"""Hostile and odd input: a refusal naming the field (exit 2), never a crash or a decision.

Each input an adversarial review tried is here, through the Python API (``rulekit.evaluate``,
``rulekit.load_dossier``) and the command line: lone surrogates, endless streams, dates and
numbers out of range, non-ASCII digits, trailing newlines, NaN and non-string keys in a
mapping; and valid input that must not be refused (a byte order mark, the first and last
years of the range, 5.0 hours).
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import rulekit
from rulekit.cli import main
from rulekit.decision import Outcome
from rulekit.dossier_format import (
    BLOCK_CODE,
    CERTIFICATION_ID,
    MAX_YEAR,
    MIN_YEAR,
    REQUIREMENT_ID,
    TRACK_ID,
    UNIT_CODE,
    WHITESPACE,
    json_schema,
)
from rulekit.dossier_io import validate
from rulekit.errors import MAX_ERRORS, DossierError, InvalidArgument, RulekitError
from rulekit.schemas import load_schema
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "casp_national.json"
TEXT = EXAMPLE.read_bytes()
VALUE: dict[str, Any] = json.loads(TEXT)
AS_OF = date(2023, 7, 1)
NAME = b"Camille Exemple (fictitious)"
SCHEMA = jsonschema.Draft202012Validator(
    load_schema("dossier"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def changed(**fields: Any) -> dict[str, Any]:
    """A copy of the example with some top-level fields replaced."""
    value = copy.deepcopy(VALUE)
    value.update(fields)
    return value


def refused(source: Any, **options: Any) -> list[str]:
    """The ``path: message`` lines of the DossierError ``rulekit.evaluate`` raises."""
    with pytest.raises(DossierError) as caught:
        rulekit.evaluate(source, as_of=options.pop("as_of", AS_OF), **options)
    return [str(error) for error in caught.value.errors]


def with_name(name: str) -> dict[str, Any]:
    value = copy.deepcopy(VALUE)
    value["learner"]["name"] = name
    return value


# -- lone surrogates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        TEXT.replace(NAME, b"\\ud800"),  # JSON escape, bytes
        TEXT.decode().replace(NAME.decode(), "\\udfff"),  # JSON escape, str
        TEXT.decode().replace(NAME.decode(), "\ud800"),  # raw in a Python str
        with_name("A\ud800B"),  # in a mapping
    ],
    ids=["escape-bytes", "escape-str", "raw-str", "mapping"],
)
def test_lone_surrogate_in_a_name_is_refused_at_its_path(source: Any) -> None:
    """A lone surrogate is no text (RFC 8259 section 8.2): refused at learner.name."""
    errors = refused(source)
    assert len(errors) == 1 and errors[0].startswith("learner.name: ")
    assert "lone surrogate" in errors[0]
    if isinstance(source, str | bytes):
        with pytest.raises(DossierError):
            rulekit.load_dossier(source)


def test_surrogate_pair_is_a_character_and_accepted() -> None:
    """An escaped pair (U+1F600) is one character: valid."""
    decision = rulekit.evaluate(TEXT.replace(NAME, b"\\ud83d\\ude00"), as_of=AS_OF)
    assert decision.outcome is Outcome.ELIGIBLE


def test_surrogate_in_a_key_gives_a_printable_path() -> None:
    """An unknown key holding a surrogate is named in JSON escapes, on one line."""
    value = copy.deepcopy(VALUE)
    value["learner"]["\ud800\n"] = 1
    assert refused(value) == ['learner["\\ud800\\n"]: unknown field']


def test_cli_surrogate_exit_2_with_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r"""``rulekit evaluate`` of a dossier with ``"\ud800"``: exit 2, the path, no traceback."""
    path = tmp_path / "d.json"
    path.write_bytes(TEXT.replace(NAME, b"\\ud800"))
    assert main(["evaluate", str(path), "--as-of", "2023-07-01"]) == 2
    assert "learner.name:" in capsys.readouterr().err


# -- streams read with a bound --------------------------------------------------------------


def _cli(*args: str, **options: Any) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-c", "import sys; from rulekit.cli import main; sys.exit(main())"]
    return subprocess.run(
        [*command, *args], capture_output=True, check=False, timeout=120, **options
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_after_a_bounded_read() -> None:
    """``rulekit evaluate /dev/zero``: stat says 0 bytes; the read stops past the limit."""
    done = _cli("evaluate", "/dev/zero", "--as-of", "2023-07-01")
    assert done.returncode == 2, done.stderr
    assert b"$: /dev/zero is larger than" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_standard_input_is_refused() -> None:
    """``rulekit evaluate -`` from an endless pipe: at most MAX_BYTES + 1 bytes are read."""
    with open("/dev/zero", "rb") as endless:
        done = _cli("evaluate", "-", "--as-of", "2023-07-01", stdin=endless)
    assert done.returncode == 2
    assert b"$: standard input is larger than" in done.stderr


def test_read_dossier_of_dev_zero_raises_dossier_error() -> None:
    """The API's file reader is bounded too."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(DossierError, match="larger than"):
        rulekit.read_dossier(Path("/dev/zero"))


# -- dates and numbers out of range ---------------------------------------------------------


@pytest.mark.parametrize(
    "as_of", [date(9999, 12, 31), date(1, 1, 1), date(1899, 12, 31), date(2200, 1, 1)]
)
def test_api_as_of_outside_the_years_is_refused(as_of: date) -> None:
    """``as_of=date(9999, 12, 31)`` raised OverflowError; now InvalidArgument at ``as_of``."""
    with pytest.raises(InvalidArgument, match=r"^as_of: .* outside 1900\.\.2199$") as caught:
        rulekit.evaluate(TEXT, as_of=as_of)
    assert isinstance(caught.value, RulekitError) and caught.value.name == "as_of"


@pytest.mark.parametrize("as_of", [date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)])
def test_api_as_of_first_and_last_days_are_accepted(as_of: date) -> None:
    """The range is inclusive: 1900-01-01 and 2199-12-31 give decisions."""
    assert rulekit.evaluate(TEXT, as_of=as_of).outcome in (Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE)


@pytest.mark.parametrize("as_of", [datetime(2023, 7, 1), "2023-07-01", 20230701])
def test_api_as_of_of_another_type_is_refused(as_of: Any) -> None:
    """A datetime, a string or a number is not a date: InvalidArgument, not TypeError."""
    with pytest.raises(InvalidArgument, match=r"^as_of: expected a date"):
        rulekit.evaluate(TEXT, as_of=as_of)


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_cli_as_of_outside_the_years_exit_2(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``--as-of 0001-01-01``: exit 2, the same range as the API and the schema."""
    with pytest.raises(SystemExit) as stop:
        main(["evaluate", str(EXAMPLE), "--as-of", text])
    assert stop.value.code == 2
    assert "outside 1900..2199" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("year", "valid"), [(1899, False), (1900, True), (2199, True), (2200, False), (9999, False)]
)
def test_year_range_is_the_same_in_schema_reader_and_api(year: int, valid: bool) -> None:
    """The year range is written once and enforced alike by the schema, reader and API."""
    value = changed(enrolled_on=f"{year:04d}-09-01")
    assert SCHEMA.is_valid(value) is valid
    assert (not validate(value)) is valid
    assert (MIN_YEAR <= year <= MAX_YEAR) is valid
    if valid:
        rulekit.evaluate(TEXT, as_of=date(year, 9, 1))
    else:
        with pytest.raises(InvalidArgument):
            rulekit.evaluate(TEXT, as_of=date(year, 9, 1))


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        (b"1e999", "units[1].grade"),
        (b"-1e999", "units[1].grade"),
        (b"1" + b"0" * 5000, "units[1].grade"),
        (b"100000000000000000000000000000", "units[1].grade"),
    ],
)
def test_huge_numbers_in_text_are_refused_at_their_path(raw: bytes, path: str) -> None:
    """A number beyond the field's range, even past int's 4,300 digits, is named."""
    errors = refused(TEXT.replace(b'"grade": 11}', b'"grade": ' + raw + b"}"))
    assert len(errors) == 1 and errors[0].startswith(f"{path}: ") and len(errors[0]) < 100


def test_huge_int_in_a_mapping_is_described_not_printed() -> None:
    """10**5000 cannot even be printed by ``repr``: the message describes it."""
    value = copy.deepcopy(VALUE)
    value["units"][1]["grade"] = 10**5000
    assert refused(value) == ["units[1].grade: a number of about 5000 digits is outside [0, 20]"]


def test_long_wrong_value_is_quoted_briefly() -> None:
    """A wrong value of 5,000 characters is quoted in 40: the path says where it is."""
    value = copy.deepcopy(VALUE)
    value["units"][0]["result"] = "x" * 5000
    (message,) = refused(value)
    assert message.startswith("units[0].result: 'xxxx") and len(message) < 120


# -- non-ASCII digits and trailing newlines -------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (b'"2019-09-01"', '"２０１９-０９-０１"'.encode(), "experience[0].start"),
        (b'"2019-09-01"', '"٢٠١٩-٠٩-٠١"'.encode(), "experience[0].start"),
        (b'"2019-09-01"', b'"2019-09-01\\n"', "experience[0].start"),
        (b'"TET099"', b'"TET099\\n"', "units[0].code"),
        (b'"TET099"', '"ＴＥＴ０９９"'.encode(), "units[0].code"),
        (b'"casp_36625"', b'"casp_36625\\n"', "certification"),
        (b'"passed"', b'"passed\\n"', "units[0].result"),
        (b'"rulekit.dossier/1"', b'"rulekit.dossier/1\\n"', "format"),
    ],
)
def test_non_ascii_digits_and_trailing_newlines_are_refused(
    old: bytes, new: bytes, path: str
) -> None:
    r"""``$`` and ``\d`` let these through in Python regexes; every check refuses them."""
    source = TEXT.replace(old, new, 1)
    errors = refused(source)
    assert [e.split(":")[0] for e in errors] == [path]
    assert refused(json.loads(source)) == errors  # the same through a mapping
    assert not SCHEMA.is_valid(json.loads(source))


def test_trailing_newline_in_a_mapping_code_is_refused() -> None:
    r"""``"TET099\n"`` given as a Python str: refused, not matched against TET099."""
    value = copy.deepcopy(VALUE)
    value["units"][0]["code"] = "TET099\n"
    assert refused(value) == ["units[0].code: 'TET099\\n' is not a unit code (e.g. TET099)"]


@pytest.mark.parametrize(
    "pattern", [UNIT_CODE, BLOCK_CODE, CERTIFICATION_ID, TRACK_ID, REQUIREMENT_ID]
)
def test_every_pattern_is_anchored_at_the_very_end(pattern: re.Pattern[str]) -> None:
    r"""Patterns end with \Z; the schema's form ends where ECMA-262 and Python both end."""
    assert pattern.pattern.endswith("\\Z")
    sample = {
        UNIT_CODE: "TET099",
        BLOCK_CODE: "RNCP12976BC01",
        CERTIFICATION_ID: "casp_36625",
        TRACK_ID: "national",
        REQUIREMENT_ID: "units",
    }[pattern]
    assert pattern.match(sample) and not pattern.match(sample + "\n")
    published = json.dumps(json_schema())
    schema_form = pattern.pattern[:-2] + "$(?!\\n)"
    assert json.dumps(schema_form) in published
    assert re.search(schema_form, sample) and not re.search(schema_form, sample + "\n")


def test_schema_blank_class_is_python_whitespace() -> None:
    """The schema's "not blank" class is exactly what ``str.strip`` removes."""
    blank = re.compile(f"[{WHITESPACE}]")
    assert all(bool(blank.fullmatch(chr(c))) is chr(c).isspace() for c in range(sys.maxunicode + 1))


# -- mappings given to the API --------------------------------------------------------------


@pytest.mark.parametrize("where", ["grade", "ects"])
def test_nan_in_a_mapping_is_refused(where: str) -> None:
    """NaN compares false with everything: refused at its path, never taken as in range."""
    value = copy.deepcopy(VALUE)
    value["units"][0][where] = float("nan")
    assert refused(value) == [
        f"units[0].{where}: nan is outside "
        + {
            "grade": "[0, 20]",
            "ects": "(0, 240]",
        }[where]
    ]


def test_nan_fte_in_a_mapping_is_refused() -> None:
    value = copy.deepcopy(VALUE)
    value["experience"][0]["fte"] = float("nan")
    assert refused(value) == ["experience[0].fte: nan is outside (0, 1]"]


@pytest.mark.parametrize(
    ("key", "holder", "path"),
    [(1, "learner", "learner"), (None, None, "$"), ((1, 2), "learner", "learner")],
)
def test_non_string_key_in_a_mapping_is_refused(key: Any, holder: str | None, path: str) -> None:
    """A key that is not a string (only possible from Python) is named, not sorted into a crash."""
    value = copy.deepcopy(VALUE)
    (value if holder is None else value[holder])[key] = "x"
    (message,) = refused(value)
    assert message.startswith(f"{path}: keys must be strings, not ")


def test_python_only_values_are_named_as_such() -> None:
    """A tuple where a list belongs: the message says it is no JSON value."""
    assert refused(changed(units=tuple(VALUE["units"]))) == [
        "units: expected a list, got a Python tuple, not a JSON value"
    ]


def test_bytearray_is_read_as_bytes() -> None:
    """A bytearray (not in the signature, but bytes-like) is read as the bytes it holds."""
    decision = rulekit.evaluate(bytearray(TEXT), as_of=AS_OF)  # type: ignore[arg-type]
    assert decision.outcome is Outcome.ELIGIBLE


@pytest.mark.parametrize("name", ["certification", "track", "ruleset_version"])
def test_names_of_another_type_are_refused(name: str) -> None:
    with pytest.raises(InvalidArgument, match=f"^{name}: expected a string"):
        rulekit.evaluate(TEXT, as_of=AS_OF, **{name: 5})  # type: ignore[arg-type]


def test_mapping_nested_too_deeply_is_refused() -> None:
    """A structure nested past the recursion limit, in a known field."""
    deep: Any = {}
    for _ in range(100_000):
        deep = {"id": deep}
    errors = refused(changed(learner=deep))
    assert errors[0].startswith("learner.id: expected a string")


# -- valid input is never refused -----------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [b"\xef\xbb\xbf" + TEXT, "\ufeff" + TEXT.decode()],
    ids=["bytes", "str"],
)
def test_byte_order_mark_is_accepted_and_stripped(source: str | bytes) -> None:
    """A UTF-8 byte order mark first (RFC 8259 section 8.1): the same decision and digest."""
    plain = rulekit.evaluate(TEXT, as_of=AS_OF)
    assert rulekit.evaluate(source, as_of=AS_OF) == plain
    assert rulekit.load_dossier(source) == rulekit.load_dossier(TEXT)


def test_cli_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT)
    assert main(["evaluate", str(path), "--as-of", "2023-07-01", "--format", "json"]) == 0


def test_whole_number_written_with_a_point_is_accepted() -> None:
    """``"hours": 5.0`` is a whole number in JSON and in the schema's "integer"."""
    internship = {"start": "2022-03-01", "end": "2022-05-31", "in_field": True, "hours": 5.0}
    value = changed(internships=[internship])
    assert SCHEMA.is_valid(value) and not validate(value)
    dossier = rulekit.load_dossier(json.dumps(value))
    assert dossier.internships[0].hours == 5 and isinstance(dossier.internships[0].hours, int)


# -- at most 100 errors ---------------------------------------------------------------------


def test_at_most_100_errors_then_a_count() -> None:
    """4,000 problems: the first 100 listed, then one saying how many were left out."""
    with pytest.raises(DossierError) as caught:
        rulekit.evaluate(changed(units=[{"code": "x"}] * 2000), as_of=AS_OF)
    errors = caught.value.errors
    assert len(errors) == MAX_ERRORS + 1 and caught.value.total == 4000
    assert str(errors[-1]) == "$: 3900 more errors not listed"
    assert validate(changed(units=[{"code": "x"}] * 2000)) == list(errors)


def test_unknown_keys_by_the_hundred_thousand_give_a_short_answer() -> None:
    """A body of 300,000 unknown keys gives 101 errors, not 300,000."""
    body = b'{"format": "rulekit.dossier/1", "learner": {"id": "A"}, '
    body += b", ".join(b'"k%d": 0' % i for i in range(300_000)) + b"}"
    errors = refused(body)
    assert len(errors) == MAX_ERRORS + 1 and errors[-1] == "$: 299900 more errors not listed"


def test_cli_lists_at_most_100_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps(changed(units=[{"code": "x"}] * 300)), encoding="utf-8")
    assert main(["evaluate", str(path), "--as-of", "2023-07-01", "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)["errors"]) == MAX_ERRORS + 1
    assert captured.err.splitlines()[-1] == "rulekit: error: $: 500 more errors not listed"
