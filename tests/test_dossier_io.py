import json
from pathlib import Path
from typing import Any

import pytest

from rulekit.dossier import Result, Via
from rulekit.dossier_io import MAX_BYTES, load_dossier, read_dossier, validate
from rulekit.errors import DossierError


def base(**extra: Any) -> dict[str, Any]:
    return {"format": "rulekit.dossier/1", "learner": {"id": "T1"}, **extra}


def paths(value: Any) -> list[str]:
    return [error.path for error in validate(value)]


def test_minimal_dossier_defaults() -> None:
    """Only format and learner.id are required; lists default to empty, via to exam."""
    dossier = load_dossier(json.dumps(base(units=[{"code": "TET099", "result": "in_progress"}])))
    assert dossier.experience == () and dossier.waivers == ()
    assert dossier.units[0].via is Via.EXAM and dossier.units[0].result is Result.IN_PROGRESS


def test_every_error_at_once_with_paths() -> None:
    """All problems are reported together, each at its JSON path."""
    value = base(
        units=[{"code": "tet099", "result": "won"}],
        experience=[{"start": "2019-01-01", "end": "2018-01-01", "fte": 0, "in_field": "yes"}],
        internships=[{"start": "2021-02-30", "in_field": True}],
        surprise=1,
    )
    assert sorted(paths(value)) == sorted(
        [
            "surprise",
            "units[0].code",
            "units[0].result",
            "experience[0].fte",
            "experience[0].in_field",
            "experience[0].end",
            "internships[0].start",
        ]
    )


def test_end_before_start_message() -> None:
    """The message names both dates, as jury staff need to fix the dossier."""
    errors = validate(
        base(experience=[{"start": "2019-01-01", "end": "2018-01-01", "in_field": True}])
    )
    assert str(errors[0]) == "experience[0].end: 2018-01-01 is before start 2019-01-01"


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ([], "$"),
        (base(format="rulekit.dossier/2"), "format"),
        ({"learner": {"id": "x"}}, "format"),
        (base(learner={"name": "x"}), "learner.id"),
        (base(learner="x"), "learner"),
        (base(units={}), "units"),
        (base(units=[1]), "units[0]"),
        (base(units=[{"code": "TET099", "result": "passed"}]), "units[0].date"),
        (
            base(units=[{"code": "TET099", "result": "passed", "date": "2020-01-01", "grade": 21}]),
            "units[0].grade",
        ),
        (
            base(
                units=[{"code": "TET099", "result": "passed", "date": "2020-01-01", "grade": True}]
            ),
            "units[0].grade",
        ),
        (
            base(units=[{"code": "TET099", "result": "passed", "date": "2020-01-01", "via": None}]),
            "units[0].via",
        ),
        (
            base(blocks=[{"code": "RNCP1BC1", "result": "passed", "date": "2020-01-01"}]),
            "blocks[0].code",
        ),
        (
            base(experience=[{"start": "2020-01-01", "in_field": True, "fte": 1.5}]),
            "experience[0].fte",
        ),
        (base(experience=[{"in_field": True}]), "experience[0].start"),
        (
            base(
                waivers=[
                    {"requirement": "units", "granted_by": "", "date": "2020-01-01", "reason": "r"}
                ]
            ),
            "waivers[0].granted_by",
        ),
        (base(certification="CASP"), "certification"),
        (base(track="Nouvelle Aquitaine"), "track"),
        (base(enrolled_on="yesterday"), "enrolled_on"),
        (base(units=[{"code": "TET099", "result": "passed", "date": 20200101}]), "units[0].date"),
    ],
)
def test_rejected_at_path(value: Any, path: str) -> None:
    """Each malformed field is reported at its own path."""
    assert path in paths(value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "not valid JSON"),
        ('{"format": "rulekit.dossier/1", "format": "x"}', "duplicate key"),
        ('{"a": NaN}', "NaN"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply|not valid JSON"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_hostile_json_is_an_error(text: str | bytes, reason: str) -> None:
    """Malformed, duplicate-key, NaN, deeply nested or non-UTF-8 input gives an error."""
    with pytest.raises(DossierError, match=reason):
        load_dossier(text)


def test_huge_file_refused_before_reading(tmp_path: Path) -> None:
    """A file larger than the limit is refused by size, without parsing it."""
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(DossierError, match="larger than"):
        read_dossier(path)


def test_missing_file(tmp_path: Path) -> None:
    """An unreadable file is an input error naming the file."""
    with pytest.raises(DossierError, match="cannot read"):
        read_dossier(tmp_path / "absent.json")


def test_too_many_items() -> None:
    """Lists are bounded."""
    units = [{"code": "TET099", "result": "in_progress"}] * 2001
    assert paths(base(units=units)) == ["units"]
